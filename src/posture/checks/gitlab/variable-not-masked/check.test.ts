import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/variable-not-masked', () => {
  it('reports: a credential variable is not masked', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: CI/CD variable AWS_SECRET_ACCESS_KEY of acme-gl/backend looks like a credential but is not masked: a job that prints it (set -x, a failing command, debug output) publishes it in the log",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: it is masked', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').variables)[0]!.masked = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: variables cannot be listed', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').variables = noScope('the Maintainer role');
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
