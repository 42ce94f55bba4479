import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/release-refs-unprotected', () => {
  it('reports: a release branch and the tags are unprotected', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: release branch release/1.x of acme-widgets/api has no protection or ruleset: a release line can be rewritten by anyone with write access",
          "acme-widgets/api medium: tags of acme-widgets/api are not protected by a ruleset: anyone with write access can move or delete a release tag that users and actions pin",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: the release branch has a ruleset and a tag ruleset exists', async () => {
    const d = await exampleGithub();
    value(repo(d, 'api').releaseBranches)[0]!.rules = ok([{ type: 'non_fast_forward' }]); value(repo(d, 'api').rulesets).push({ id: 9, name: 'tags', target: 'tag', enforcement: 'active', rules: [{ type: 'update' }, { type: 'deletion' }] });
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: tags cannot be listed', async () => {
    const d = await exampleGithub();
    repo(d, 'api').hasTags = noScope('repo');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: release branch release/1.x of acme-widgets/api has no protection or ruleset: a release line can be rewritten by anyone with write access",
        ],
        "notEvaluated": [
          "acme-widgets/api: scope: needs repo",
        ],
      }
    `);
  });
});
