import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, project } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/public-pipelines', () => {
  it('reports: a public project publishes job logs', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').info.visibility = 'internal'; project(d, 'backend').info.public_jobs = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend low: job logs and artifacts of internal project acme-gl/backend are visible to every signed-in user: anything a job prints or archives (unmasked values, internal hosts) is published",
          "acme-gl/docs-site low: job logs and artifacts of public project acme-gl/docs-site are visible to everyone: anything a job prints or archives (unmasked values, internal hosts) is published",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: public pipelines are off', async () => {
    const d = await exampleGitlab();
    project(d, 'docs-site').info.public_jobs = false;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: jobs are disabled (nothing to publish)', async () => {
    const d = await exampleGitlab();
    project(d, 'docs-site').info.builds_access_level = 'disabled';
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });
});
