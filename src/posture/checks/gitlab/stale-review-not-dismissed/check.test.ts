import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/stale-review-not-dismissed', () => {
  it('reports: approvals survive new commits', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: approvals in acme-gl/backend are kept when new commits are pushed: an approved merge request can be changed before merging",
        ],
        "notEvaluated": [
          "acme-gl/docs-site: plan: needs GitLab Premium or Ultimate (approval settings and rules)",
        ],
      }
    `);
  });

  it('passes: they are reset', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').approvals).reset_approvals_on_push = true;
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
          "acme-gl/backend medium: approvals in acme-gl/backend are kept when new commits are pushed: an approved merge request can be changed before merging",
        ],
        "notEvaluated": [
          "acme-gl/docs-site: plan: needs GitLab Premium or Ultimate (approval settings and rules)",
        ],
      }
    `);
  });
});
