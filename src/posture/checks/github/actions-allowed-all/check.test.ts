import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGithub, noScope } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/actions-allowed-all', () => {
  it('reports: every action is allowed', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets medium: organisation acme-widgets allows every action and reusable workflow from any repository: one compromised or typosquatted action runs with your workflows' tokens and secrets",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: only selected actions are allowed', async () => {
    const d = await exampleGithub();
    d.actionsPermissions = ok({ enabled_repositories: 'all', allowed_actions: 'selected' }); d.selectedActions = ok({ github_owned_allowed: true, patterns_allowed: ['acme-widgets/*'] });
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the token cannot read the Actions policy', async () => {
    const d = await exampleGithub();
    d.actionsPermissions = noScope();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org",
        ],
      }
    `);
  });
});
