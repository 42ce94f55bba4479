import { describe, expect, it } from 'vitest';
import { classic, evaluate, exampleGithub, noScope, repo } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/status-checks-not-required', () => {
  it('reports: no status check is required', async () => {
    const d = await exampleGithub();
    classic(d, 'api').required_status_checks = null;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api low: main requires no status checks: changes merge even when tests and security scans fail or never ran",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: checks are required (classic and ruleset)', async () => {
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
