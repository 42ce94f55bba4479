import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/deploy-key-write', () => {
  it('reports: a deploy key can push', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').deployKeys)[0]!.can_push = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: deploy key "mirror" can push to acme-gl/backend, tied to no person and no expiry",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: keys are read-only', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: keys cannot be listed', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').deployKeys = noScope('the Maintainer role');
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
