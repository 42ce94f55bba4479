import { describe, expect, it } from 'vitest';
import { evaluate, exampleGithub, noScope, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/runner-group-public-repos', () => {
  it('reports: a runner group with runners accepts public repositories', async () => {
    const d = await exampleGithub();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets high: runner group "Default" accepts jobs from public repositories: a fork pull request can run code on these self-hosted machines (1 runner)",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: it does not', async () => {
    const d = await exampleGithub();
    value(d.runnerGroups)[0]!.allows_public_repositories = false;
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: groups cannot be listed', async () => {
    const d = await exampleGithub();
    d.runnerGroups = noScope();
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org",
        ],
      }
    `);
  });
});
