import { describe, expect, it } from 'vitest';
import { DAY, HOUR, Scenario, T0 } from '../../testing.js';

describe('actions-policy-weakened', () => {
  it('reports write tokens by default, Actions approving PRs, relaxed fork approvals and widened allowed actions', async () => {
    const res = await new Scenario()
      .entry('repo.set_actions_fork_pr_approvals_policy', { at: T0 - DAY, actor: 'alice', repo: 'acme/sdk', fields: { policy: 'all_external_contributors' } })
      .entry('org.set_default_workflow_permissions', { at: T0, actor: 'alice', org: 'acme', fields: { default_workflow_permissions: 'write' } })
      .entry('org.set_workflow_permission_can_approve_pr', { at: T0 + HOUR, actor: 'alice', org: 'acme', fields: { can_approve_pull_request_reviews: true } })
      .entry('repo.set_actions_fork_pr_approvals_policy', { at: T0 + 2 * HOUR, actor: 'alice', repo: 'acme/sdk', fields: { policy: 'first_time_contributors' } })
      .entry('org.update_actions_settings', { at: T0 + 3 * HOUR, actor: 'alice', org: 'acme', fields: { old_policy: 'local_only', new_policy: 'all' } })
      .run({ settings: { admins: ['alice'] } });
    expect(res.summary('actions-policy-weakened')).toEqual([
      'actions-policy-weakened high: Default GITHUB_TOKEN permissions raised to write (organization) on acme',
      'actions-policy-weakened high: GitHub Actions allowed to approve pull requests (organization) on acme',
      'actions-policy-weakened medium: Approval for fork pull request workflows relaxed (repository) on acme/sdk',
      'actions-policy-weakened high: Allowed actions widened (organization) on acme',
    ]);
    expect(res.alerts[2]!.summary).toBe('alice changed repo.set_actions_fork_pr_approvals_policy on acme/sdk: approval required only for first time contributors (was all external contributors).');
  });

  it('stays silent when settings get stricter, and for value-less entries by usual admins', async () => {
    const res = await new Scenario()
      .baseline('acme', ['alice'])
      .entry('org.set_default_workflow_permissions', { at: T0, actor: 'alice', org: 'acme', fields: { default_workflow_permissions: 'read' } })
      .entry('org.set_default_workflow_permissions', { at: T0 + HOUR, actor: 'alice', org: 'acme' })
      .entry('org.update_actions_settings', { at: T0 + 2 * HOUR, actor: 'alice', org: 'acme', fields: { old_policy: 'all', new_policy: 'selected' } })
      .entry('repo.set_actions_fork_pr_approvals_policy', { at: T0 + 3 * HOUR, actor: 'alice', repo: 'acme/sdk', fields: { policy: 'all_external_contributors' } })
      .run();
    expect(res.summary('actions-policy-weakened')).toEqual([]);
  });

  it('reports a value-less change by an account new to admin work, at low confidence', async () => {
    const res = await new Scenario().baseline('acme', ['alice']).entry('org.set_default_workflow_permissions', { at: T0, actor: 'mallory', org: 'acme' }).run();
    expect(res.summary('actions-policy-weakened')).toEqual(['actions-policy-weakened medium: Default GITHUB_TOKEN permissions changed (organization) on acme']);
    expect(res.of('actions-policy-weakened')[0]!.confidence).toBe('low');
  });
});
