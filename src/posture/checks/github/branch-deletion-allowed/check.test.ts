import { describe, expect, it } from 'vitest';
import { classic, evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/branch-deletion-allowed', () => {
  it('reports: the default branch may be deleted', async () => {
    const d = await exampleGithub();
    classic(d, 'api').allow_deletions = { enabled: true };
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: main can be deleted by anyone with write access (and recreated without its history)",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: deletion is blocked', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: classic protection cannot be read and no ruleset applies', async () => {
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
