import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/environment-self-review', () => {
  it('reports: reviewers may approve their own deployment', async () => {
    const d = await exampleGithub();
    value(repo(d, 'infra').environments)[0]!.protection_rules![0]!.prevent_self_review = false;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/infra medium: environment prod of acme-widgets/infra lets the person who triggered a deployment approve it: a required reviewer can push and approve their own change @.github/workflows/apply.yml:8",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: self-review is prevented', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: environments cannot be read', async () => {
    const d = await exampleGithub();
    repo(d, 'infra').environments = noScope('repo');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets/infra: scope: needs repo",
        ],
      }
    `);
  });
});
