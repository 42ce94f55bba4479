import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/runner-shared-untrusted', () => {
  it('reports: a project runner also serves a project outside the group', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend high: runner 91 ("build-vm") of acme-gl/backend also runs jobs of 1 project outside acme-gl (someone-else/scratch): their jobs share the machine, its caches and credentials with yours",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: it only serves the group\'s projects', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').runners)[0]!.projects!.splice(1);
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: runners cannot be listed', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').runners = noScope('the Maintainer role');
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
