import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGitlab, noScope, project, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example group (examples/posture/gitlab) and change one setting.
describe('gitlab posture/release-refs-unprotected', () => {
  it('reports: tags and a release branch are unprotected', async () => {
    const d = await exampleGitlab();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: release branch release/2.x of acme-gl/backend is not protected",
          "acme-gl/backend medium: acme-gl/backend has tags but no protected tags: developers can create, move or delete release tags that trigger release pipelines",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: tags and release branches are protected', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').protectedTags = ok([{ name: 'v*' }]); value(project(d, 'backend').branches)[1]!.protected = true;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: protected tags cannot be listed', async () => {
    const d = await exampleGitlab();
    project(d, 'backend').protectedTags = noScope('the Maintainer role');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-gl/backend medium: release branch release/2.x of acme-gl/backend is not protected",
        ],
        "notEvaluated": [
          "acme-gl/backend: scope: needs the Maintainer role",
        ],
      }
    `);
  });
});
