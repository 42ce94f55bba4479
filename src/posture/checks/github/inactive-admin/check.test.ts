import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/inactive-admin', () => {
  it('reports: an owner made no contributions in 90 days', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets medium: owner dave-old has no contributions to acme-widgets in the last 90 days: a dormant owner account is an unwatched key to the whole organisation",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: every owner is active', async () => {
    const d = await exampleGithub();
    value(d.ownerActivity)['dave-old'] = 'active';
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: activity cannot be read', async () => {
    const d = await exampleGithub();
    d.ownerActivity = noScope('read:org');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs read:org",
        ],
      }
    `);
  });
});
