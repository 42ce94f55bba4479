import { describe, expect, it } from 'vitest';
import { missing } from '../../../fetched.js';
import { evaluate, exampleGitlab, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/review-not-required', () => {
  it('reports: maintainers push directly and no approval is required', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend high: changes reach main of acme-gl/backend without review: Maintainers can push to it directly; merge requests need no approval",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: nobody pushes directly and one approval is required', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').protectedBranches)[0]!.push_access_levels = [{ access_level: 0 }]; value(project(d, 'backend').approvalRules)[0]!.approvals_required = 1;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: approval rules need Premium', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').approvalRules = missing({ reason: 'plan', detail: 'needs GitLab Premium or Ultimate (approval settings and rules)' });
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-gl/backend: plan: needs GitLab Premium or Ultimate (approval settings and rules)",
        ],
      }
    `);
  });
});
