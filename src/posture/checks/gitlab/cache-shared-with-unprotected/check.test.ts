import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, project } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/cache-shared-with-unprotected', () => {
  it('reports: caches are shared', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/docs-site medium: pipelines on unprotected branches of acme-gl/docs-site share caches with protected branches: a developer branch can poison what a release build restores",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: caches are separated', async () => {
    const d = await exampleGitlab();
    project(d, 'docs-site').info.ci_separated_caches = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the setting is hidden (below Maintainer)', async () => {
    const d = await exampleGitlab();
    delete project(d, 'docs-site').info.ci_separated_caches;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-gl/docs-site: scope: needs read_api and the Maintainer role (ci_separated_caches not returned)",
        ],
      }
    `);
  });
});
