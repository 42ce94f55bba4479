import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/codeowners-missing', () => {
  it('reports: a repository has no CODEOWNERS', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/website low: acme-widgets/website has no CODEOWNERS file: nobody in particular has to review changes",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: every repository has one', async () => {
    const d = await exampleGithub();
    repo(d, 'website').codeowners = ok({ path: 'CODEOWNERS', text: '* @acme-widgets/web\n' });
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the file cannot be read', async () => {
    const d = await exampleGithub();
    repo(d, 'website').codeowners = noScope('repo');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/website: scope: needs repo",
        ],
      }
    `);
  });
});
