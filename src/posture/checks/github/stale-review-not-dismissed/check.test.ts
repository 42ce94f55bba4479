import { describe, expect, it } from 'vitest';
import { classic, evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/stale-review-not-dismissed', () => {
  it('reports: stale approvals are kept', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: approvals on pull requests to main are kept when new commits are pushed: an approved change can be swapped for another before merging",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: they are dismissed', async () => {
    const d = await exampleGithub();
    classic(d, 'api').required_pull_request_reviews!.dismiss_stale_reviews = true;
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
