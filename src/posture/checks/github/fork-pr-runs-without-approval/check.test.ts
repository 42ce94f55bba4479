import { describe, expect, it } from 'vitest';
import { describeWorkflows } from '../../../workflows.js';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/fork-pr-runs-without-approval', () => {
  it('reports: fork PR code reaches a self-hosted runner, and a workflow_run follows a fork workflow, without approval', async () => {
    const d = await exampleGithub();
    value(repo(d, 'api').workflows).push(...describeWorkflows([{ path: '.github/workflows/publish.yml', text: 'on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo publish\n' }]));
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api critical: .github/workflows/ci.yml runs fork pull request code on a self-hosted runner (job test) and only first-time contributors need approval: an outside contributor gets code execution on your infrastructure without anyone approving @.github/workflows/ci.yml:10",
          "acme-widgets/api high: .github/workflows/publish.yml runs with secrets and a write token after .github/workflows/ci.yml, which runs fork pull request code, and only first-time contributors need approval: artifacts or outputs from an unreviewed fork reach a privileged workflow without approval @.github/workflows/publish.yml:2",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: the repository requires approval for all outside contributors', async () => {
    const d = await exampleGithub();
    value(repo(d, 'api').forkPrApproval).approval_policy = 'all_external_contributors';
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: no approval policy can be read', async () => {
    const d = await exampleGithub();
    repo(d, 'api').forkPrApproval = noScope('admin on the repository'); d.forkPrApproval = noScope();
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
