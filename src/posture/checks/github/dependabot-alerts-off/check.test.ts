import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/dependabot-alerts-off', () => {
  it('reports: alerts are off', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api low: Dependabot alerts are off for acme-widgets/api: known-vulnerable dependencies and actions go unreported",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: alerts are on', async () => {
    const d = await exampleGithub();
    repo(d, 'api').vulnerabilityAlerts = ok(true);
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the token is not an admin', async () => {
    const d = await exampleGithub();
    repo(d, 'api').vulnerabilityAlerts = noScope('admin on the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/api: scope: needs admin on the repository",
        ],
      }
    `);
  });
});
