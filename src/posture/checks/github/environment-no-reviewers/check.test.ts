import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/environment-no-reviewers', () => {
  it('reports: a deployment environment has no reviewers, and one does not exist', async () => {
    const d = await exampleGithub();
    value(repo(d, 'infra').environments).splice(0);
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api high: environment production of acme-widgets/api has no required reviewers: deploy.yml:deploy deploys as soon as a workflow runs, with nobody approving @.github/workflows/deploy.yml:10",
          "acme-widgets/infra high: apply.yml:apply in acme-widgets/infra deploys to environment prod, which does not exist: GitHub creates it on the first run with no reviewers and no branch policy @.github/workflows/apply.yml:8",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: every deployment environment has required reviewers', async () => {
    const d = await exampleGithub();
    value(repo(d, 'api').environments)[0]!.protection_rules = [{ type: 'required_reviewers', prevent_self_review: true }];
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: workflows cannot be read', async () => {
    const d = await exampleGithub();
    repo(d, 'api').workflows = noScope('repo');
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
