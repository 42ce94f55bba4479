import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/default-branch-unprotected', () => {
  it('reports: the default branch is not protected', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/docs-site high: default branch main of acme-gl/docs-site is not protected: developers can push, force-push or delete it, and change .gitlab-ci.yml without a merge request",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: it is protected', async () => {
    const d = await exampleGitlab();
    value(project(d, 'docs-site').branches)[0]!.protected = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: branches cannot be listed', async () => {
    const d = await exampleGitlab();
    project(d, 'docs-site').branches = noScope('read_api');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-gl/docs-site: scope: needs read_api",
        ],
      }
    `);
  });
});
