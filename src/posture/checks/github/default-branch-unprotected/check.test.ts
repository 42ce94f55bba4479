import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/default-branch-unprotected', () => {
  it('reports: a default branch has neither protection nor a ruleset', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/website high: default branch main of acme-widgets/website has no branch protection and no ruleset: anyone with write access can push, force-push or delete it, and change workflows without review",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: a ruleset applies', async () => {
    const d = await exampleGithub();
    repo(d, 'website').defaultBranch.rules = ok([{ type: 'pull_request' }]);
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: classic protection cannot be read and no ruleset applies', async () => {
    const d = await exampleGithub();
    repo(d, 'website').defaultBranch.protection = noScope('admin on the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/website: scope: needs admin on the repository",
        ],
      }
    `);
  });
});
