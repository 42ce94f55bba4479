import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/org-too-many-owners', () => {
  it('reports: there are more owners than the default maximum', async () => {
    const d = await exampleGithub();
    const OPTIONS: Record<string, unknown> = {};
    expect(evaluate(check, d, OPTIONS)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets medium: organisation acme-widgets has 4 owners (more than 3): each owner account can change every repository, secret and Actions policy (alice-ops, bob-dev, carol-sec, dave-old)",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: the maximum is raised to 4 in the config', async () => {
    const d = await exampleGithub();
    const OPTIONS: Record<string, unknown> = { maxOwners: 4 };
    expect(evaluate(check, d, OPTIONS)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: owners cannot be listed', async () => {
    const d = await exampleGithub();
    const OPTIONS: Record<string, unknown> = {};
    d.owners = noScope('read:org');
    expect(evaluate(check, d, OPTIONS)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs read:org",
        ],
      }
    `);
  });
});
