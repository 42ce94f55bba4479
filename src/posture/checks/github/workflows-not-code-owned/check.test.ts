import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/workflows-not-code-owned', () => {
  it('reports: workflow files have no code owner', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: no workflow files in acme-widgets/api have a code owner in .github/CODEOWNERS (.github/workflows/ci.yml, .github/workflows/deploy.yml): pipeline changes need no review by the people responsible for CI",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: CODEOWNERS covers .github/', async () => {
    const d = await exampleGithub();
    value(repo(d, 'api').codeowners)!.text += '/.github/ @acme-widgets/platform\n';
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: workflows cannot be read', async () => {
    const d = await exampleGithub();
    repo(d, 'api').workflows = noScope('repo');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/api: scope: needs repo",
        ],
      }
    `);
  });
});
