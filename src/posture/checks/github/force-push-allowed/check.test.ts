import { describe, expect, it } from 'vitest';
import { classic, evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/force-push-allowed', () => {
  it('reports: force pushes are allowed', async () => {
    const d = await exampleGithub();
    classic(d, 'api').allow_force_pushes = { enabled: true };
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api high: main accepts force pushes: history can be rewritten to hide a malicious commit",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: force pushes are blocked (classic on api, ruleset on infra)', async () => {
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
