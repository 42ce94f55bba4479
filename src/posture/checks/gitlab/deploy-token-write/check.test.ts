import { describe, expect, it } from 'vitest';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/deploy-token-write', () => {
  it('reports: a deploy token has write scopes and no expiry', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend high: deploy token "registry-push" of acme-gl/backend has write_registry and never expires: whoever holds it can push code, images or packages outside any review",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: its scopes are read-only', async () => {
    const d = await exampleGitlab();
    value(project(d, 'backend').deployTokens)[0]!.scopes = ['read_registry'];
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: tokens cannot be listed', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').deployTokens = noScope('the Maintainer role');
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
