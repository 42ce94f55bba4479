import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, project } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/status-checks-not-required', () => {
  it('reports: merges do not need a passing pipeline', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend low: merge requests in acme-gl/backend can merge when the pipeline failed or never ran: tests and security jobs are advisory",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: they do', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').info.only_allow_merge_if_pipeline_succeeds = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the setting is hidden', async () => {
    const d = await exampleGitlab();
    delete project(d, 'backend').info.only_allow_merge_if_pipeline_succeeds;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-gl/backend: scope: needs read_api and the Maintainer role (only_allow_merge_if_pipeline_succeeds not returned)",
        ],
      }
    `);
  });
});
