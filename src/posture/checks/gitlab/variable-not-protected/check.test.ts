import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/variable-not-protected', () => {
  it('reports: credential variables are not protected (group and project)', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl medium: CI/CD variable REGISTRY_PASSWORD of acme-gl is not protected: a pipeline on any branch a developer pushes can read it",
          "acme-gl/backend medium: CI/CD variable SENTRY_DSN of acme-gl/backend is not protected: a pipeline on any branch a developer pushes can read it",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: they are protected', async () => {
    const d = await exampleGitlab();
    for (const v of value(d.variables)) v.protected = true; for (const v of value(project(d, 'backend').variables)) v.protected = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: group variables cannot be listed', async () => {
    const d = await exampleGitlab();
    d.variables = noScope('the Owner role');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: CI/CD variable SENTRY_DSN of acme-gl/backend is not protected: a pipeline on any branch a developer pushes can read it",
        ],
        "notEvaluated": [
          "acme-gl: scope: needs the Owner role",
        ],
      }
    `);
  });
});
