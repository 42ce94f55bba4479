import { describe, expect, it } from 'vitest';
import { ok } from '../../../fetched.js';
import { evaluate, exampleGithub, noScope, repo, value } from '../../../testing.js';
import { check } from './check.js';

// Cases start from the example organisation (examples/posture/github) and change one setting.
describe('github posture/fork-pr-approval-weak', () => {
  it('reports: only first-time contributors need approval (organisation), and a repository is looser', async () => {
    const d = await exampleGithub();
    value(repo(d, 'website').forkPrApproval).approval_policy = 'first_time_contributors_new_to_github';
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets medium: in acme-widgets, only first-time contributors need approval before fork pull request workflows run: an outside contributor with one merged change runs code in your workflows without anyone looking",
          "acme-widgets/website high: in acme-widgets/website, only users new to GitHub need approval before fork pull request workflows run",
        ],
        "notEvaluated": [],
      }
    `);
  });

  it('passes: every outside contributor needs approval', async () => {
    const d = await exampleGithub();
    d.forkPrApproval = ok({ approval_policy: 'all_external_contributors' }); for (const r of d.repos) if (!r.info.private) r.forkPrApproval = ok({ approval_policy: 'all_external_contributors' });
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [],
        "notEvaluated": [],
      }
    `);
  });

  it('not evaluated: the policy cannot be read', async () => {
    const d = await exampleGithub();
    d.forkPrApproval = noScope(); repo(d, 'website').forkPrApproval = noScope('admin on the repository');
    expect(evaluate(check, d)).toMatchInlineSnapshot(`
      {
        "findings": [
          "acme-widgets/api medium: in acme-widgets/api, only first-time contributors need approval before fork pull request workflows run",
        ],
        "notEvaluated": [
          "acme-widgets: scope: needs admin:org",
          "acme-widgets/website: scope: needs admin on the repository",
        ],
      }
    `);
  });
});
