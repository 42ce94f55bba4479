import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/secret-stale', () => {
  it('reports: secrets older than a year', async () => {
    const d = await exampleGithub();
    const OPTIONS: Record<string, unknown> = {};
    expect(evaluate(check, d, OPTIONS)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets low: secret SLACK_WEBHOOK (organisation acme-widgets) was last updated 1420 days ago (more than 365): a credential that leaked in that time still works",
          "acme-widgets/api low: secret DEPLOY_KEY (repository acme-widgets/api) was last updated 1278 days ago (more than 365): a credential that leaked in that time still works",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: the maximum age is raised in the config', async () => {
    const d = await exampleGithub();
    const OPTIONS: Record<string, unknown> = { maxAgeDays: 2000 };
    expect(evaluate(check, d, OPTIONS)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: organisation secrets cannot be listed', async () => {
    const d = await exampleGithub();
    d.secrets = noScope();
    const OPTIONS: Record<string, unknown> = { maxAgeDays: 2000 };
    expect(evaluate(check, d, OPTIONS)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org",
        ],
      }
    `);
  });
});
