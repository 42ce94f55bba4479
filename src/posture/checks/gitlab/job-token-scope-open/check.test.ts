import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/job-token-scope-open', () => {
  it('reports: the inbound allowlist is off', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend high: acme-gl/backend does not limit which projects' CI_JOB_TOKEN can access it: a pipeline in any project where a member of this one runs jobs can read its code, packages and releases",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: it is on', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').jobTokenScope).inbound_enabled = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the setting cannot be read', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').jobTokenScope = noScope('the Maintainer role');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-gl/backend: scope: needs the Maintainer role",
        ],
      }
    `);
  });
});
