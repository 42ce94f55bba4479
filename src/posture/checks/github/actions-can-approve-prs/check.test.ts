import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGithub, noScope } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/actions-can-approve-prs', () => {
  it('reports: workflows may approve pull requests', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets high: organisation acme-widgets lets workflows approve pull requests: anyone who can push a workflow can satisfy required reviews with the GITHUB_TOKEN",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: the organisation forbids it', async () => {
    const d = await exampleGithub();
    d.workflowPermissions = ok({ default_workflow_permissions: 'read', can_approve_pull_request_reviews: false });
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: neither the organisation nor the repository setting can be read', async () => {
    const d = await exampleGithub();
    d.workflowPermissions = noScope(); for (const r of d.repos) r.workflowPermissions = noScope('admin on the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org",
          "acme-widgets/api: scope: needs admin on the repository",
          "acme-widgets/infra: scope: needs admin on the repository",
          "acme-widgets/website: scope: needs admin on the repository",
        ],
      }
    `);
  });
});
