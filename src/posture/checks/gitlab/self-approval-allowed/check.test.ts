import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/self-approval-allowed', () => {
  it('reports: authors and committers can approve', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: authors and committers can approve their own merge requests in acme-gl/backend: required approvals can be met without a second person",
        ],
        "notEvaluated": [
          "acme-gl/docs-site: plan: needs GitLab Premium or Ultimate (approval settings and rules)",
        ],
      }
    `);
  });

  it('passes: neither can', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').approvals).merge_requests_author_approval = false; value(project(d, 'backend').approvals).merge_requests_disable_committers_approval = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-gl/docs-site: plan: needs GitLab Premium or Ultimate (approval settings and rules)",
        ],
      }
    `);
  });

  it('not evaluated: approval settings need Premium (docs-site, as recorded)', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: authors and committers can approve their own merge requests in acme-gl/backend: required approvals can be met without a second person",
        ],
        "notEvaluated": [
          "acme-gl/docs-site: plan: needs GitLab Premium or Ultimate (approval settings and rules)",
        ],
      }
    `);
  });
});
