import { describe, expect, it } from 'vitest';
import { HOUR, Scenario, T0 } from '../../testing.js';

describe('environment-protection-removed', () => {
  it('reports removed rules, cut reviewers, admin bypass and a deleted production environment', async () => {
    const res = await new Scenario()
      .entry('environment.remove_protection_rule', { at: T0, actor: 'mallory', repo: 'acme/api', fields: { environment_name: 'production', name: 'required_reviewers' } })
      .entry('environment.update_protection_rule', { at: T0 + HOUR, actor: 'mallory', repo: 'acme/api', fields: { environment_name: 'staging', approvers_was: ['alice', 'bob'], approvers: ['bob'], can_admins_bypass: true } })
      .entry('environment.delete', { at: T0 + 2 * HOUR, actor: 'mallory', repo: 'acme/web', fields: { environment_name: 'prod-eu', name: 'prod-eu' } })
      .run();
    expect(res.summary()).toEqual([
      'environment-protection-removed high: Protection of environment "production" weakened on acme/api',
      'environment-protection-removed medium: Protection of environment "staging" weakened on acme/api',
      'environment-protection-removed high: Protection of environment "prod-eu" weakened on acme/web',
    ]);
    expect(res.alerts[1]!.summary).toBe('mallory changed environment "staging": reviewers removed: alice; admins may bypass the rule. The actor has no admin activity older than a day in the stored history.');
  });

  it('stays silent when reviewers are added, the wait timer grows, or a preview environment is deleted', async () => {
    const res = await new Scenario()
      .entry('environment.update_protection_rule', { at: T0, actor: 'alice', repo: 'acme/api', fields: { environment_name: 'production', approvers_was: ['bob'], approvers: ['bob', 'carol'], old_value: 5, new_value: 30 } })
      .entry('environment.add_protection_rule', { at: T0 + HOUR, actor: 'alice', repo: 'acme/api', fields: { environment_name: 'production' } })
      .entry('environment.delete', { at: T0 + 2 * HOUR, actor: 'alice', repo: 'acme/api', fields: { environment_name: 'pr-1234-preview' } })
      .run({ settings: { admins: ['alice'] } });
    expect(res.alerts).toEqual([]);
  });
});
