import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/environment-no-branch-policy', () => {
  it('reports: a deployment environment takes any branch', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: environment production of acme-widgets/api accepts deployments from any branch: a pushed feature branch that edits deploy.yml:deploy gets the environment's secrets @.github/workflows/deploy.yml:10",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: only protected branches may deploy', async () => {
    const d = await exampleGithub();
    value(repo(d, 'api').environments)[0]!.deployment_branch_policy = { protected_branches: true, custom_branch_policies: false };
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: environments cannot be read', async () => {
    const d = await exampleGithub();
    repo(d, 'api').environments = noScope('repo');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/api: scope: needs repo",
        ],
      }
    `);
  });
});
