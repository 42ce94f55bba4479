import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/force-push-allowed', () => {
  it('reports: force pushes are allowed', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend high: protected branch main of acme-gl/backend allows force pushes: history can be rewritten to hide a malicious commit",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: they are not', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').protectedBranches)[0]!.allow_force_push = false;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: protected branches cannot be listed', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').protectedBranches = noScope('the Maintainer role');
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
