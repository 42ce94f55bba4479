import { describe, expect, it } from 'vitest';
import { classic, evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/review-not-required', () => {
  it('reports: no approving review is required', async () => {
    const d = await exampleGithub();
    classic(d, 'api').required_pull_request_reviews!.required_approving_review_count = 0;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api high: changes reach main without an approving review: one account (or one stolen token) can change the code and workflows alone",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: one approval is required (classic) or two (ruleset)', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: classic protection cannot be read', async () => {
    const d = await exampleGithub();
    repo(d, 'api').defaultBranch.protection = noScope('admin on the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/api: scope: needs admin on the repository",
        ],
      }
    `);
  });
});
