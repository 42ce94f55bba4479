import { describe, expect, it } from 'vitest';
import { classic, evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/code-owner-review-off', () => {
  it('reports: CODEOWNERS exists but code owner review is not required', async () => {
    const d = await exampleGithub();
    classic(d, 'api').required_pull_request_reviews!.require_code_owner_reviews = false;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: main has a CODEOWNERS file but does not require code owners' review: any reviewer can approve changes to workflows and other owned files",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: code owner review is required (api) or enforced by a ruleset (infra)', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: CODEOWNERS cannot be read', async () => {
    const d = await exampleGithub();
    repo(d, 'api').codeowners = noScope('repo');
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
