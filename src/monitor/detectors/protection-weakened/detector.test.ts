import { describe, expect, it } from 'vitest';
import { push, pullRequest, simple } from '../../simulate/payloads.js';
import { HOUR, MIN, Scenario, T0 } from '../../testing.js';

const repo = { org: 'acme', name: 'infra' };
const sha = (c: string): string => c.repeat(40);
const mainPush = (at: number, after = sha('b'), pusher = 'mallory'): [string, Record<string, unknown>, number] => [
  'push',
  push(repo, { ref: 'refs/heads/main', before: sha('a'), after, pusher, commits: [{ id: after, modified: ['deploy.sh'] }], at }),
  at,
];

describe('protection-weakened', () => {
  it('reports a deletion seen as webhook and audit entry once, and the direct push that follows', async () => {
    const s = new Scenario()
      .entry('protected_branch.destroy', { at: T0, actor: 'mallory', repo: 'acme/infra', fields: { name: 'main' } })
      .hook('branch_protection_rule', simple(repo, 'mallory', { action: 'deleted', rule: { name: 'main' } }), T0 + 2000)
      .hook(...mainPush(T0 + 4 * MIN));
    const res = await s.run();
    expect(res.summary()).toEqual(['protection-weakened high: Branch protection on main deleted on acme/infra', 'protection-weakened critical: Direct push to main 4 minutes after its protection was weakened']);
    expect(res.alerts[0]!.evidence.map((e) => e.source)).toEqual(['audit', 'webhook']);
  });

  it('finds the push even when it is delivered before the change (out of order)', async () => {
    const s = new Scenario().hook(...mainPush(T0 + 4 * MIN)).entry('protected_branch.destroy', { at: T0, actor: 'mallory', repo: 'acme/infra', fields: { name: 'main' } });
    expect((await s.run()).summary()).toEqual(['protection-weakened high: Branch protection on main deleted on acme/infra', 'protection-weakened critical: Direct push to main 4 minutes after its protection was weakened']);
  });

  it('does not tie a push to a weakening after the protection was restored, or to a merged pull request', async () => {
    const merge = sha('c');
    const s = new Scenario()
      .entry('protected_branch.destroy', { at: T0, actor: 'alice', repo: 'acme/infra', fields: { name: 'main' } })
      .entry('protected_branch.create', { at: T0 + MIN, actor: 'alice', repo: 'acme/infra', fields: { name: 'main', pull_request_reviews_enforcement_level: 'non_admins' } })
      .hook(...mainPush(T0 + 5 * MIN))
      .hook('pull_request', pullRequest(repo, { action: 'closed', number: 4, author: 'bob', head: 'f', headSha: sha('d'), merged: true, mergedBy: 'carol', mergeSha: merge, sender: 'carol', at: T0 + 6 * MIN }), T0 + 6 * MIN);
    const res = await s.run({ settings: { admins: ['alice'] } });
    expect(res.summary()).toEqual(['protection-weakened medium: Branch protection on main deleted on acme/infra']);
  });

  it('reads webhook edits: relaxing alerts, tightening does not', async () => {
    const edit = (at: number, from: Record<string, unknown>, to: Record<string, unknown>): [string, Record<string, unknown>, number] => [
      'branch_protection_rule',
      simple(repo, 'alice', { action: 'edited', rule: { name: 'main', ...to, updated_at: new Date(at).toISOString() }, changes: Object.fromEntries(Object.entries(from).map(([k, v]) => [k, { from: v }])) }),
      at,
    ];
    const res = await new Scenario()
      .hook(...edit(T0, { required_approving_review_count: 1 }, { required_approving_review_count: 2 }))
      .hook(...edit(T0 + HOUR, { admin_enforced: false }, { admin_enforced: true }))
      .hook(...edit(T0 + 2 * HOUR, { allow_force_pushes_enforcement_level: 'off', required_approving_review_count: 2 }, { allow_force_pushes_enforcement_level: 'everyone', required_approving_review_count: 0 }))
      .run({ settings: { admins: ['alice'] } });
    expect(res.summary()).toEqual(['protection-weakened medium: Branch protection on main relaxed on acme/infra']);
    expect(res.alerts[0]!.summary).toBe('alice relaxed branch protection on main on acme/infra: required approvals 2 → 0; force pushes off → everyone.');
  });

  it('compares audit updates with the last known state', async () => {
    const res = await new Scenario()
      .entry('protected_branch.create', { at: T0, actor: 'alice', repo: 'acme/infra', fields: { name: 'main', required_approving_review_count: 2 } })
      .entry('protected_branch.update_required_approving_review_count', { at: T0 + HOUR, actor: 'alice', repo: 'acme/infra', fields: { name: 'main', required_approving_review_count: 3 } })
      .entry('protected_branch.update_required_approving_review_count', { at: T0 + 2 * HOUR, actor: 'alice', repo: 'acme/infra', fields: { name: 'main', required_approving_review_count: 1 } })
      .run({ settings: { admins: ['alice'] } });
    expect(res.summary()).toEqual(['protection-weakened medium: Branch protection on main relaxed on acme/infra']);
    expect(res.alerts[0]!.summary).toContain('required approvals 3 → 1 (strictness)');
  });

  it('reports rulesets deleted or disabled and ignores deleting a disabled one', async () => {
    const rs = (action: string, fields: Record<string, unknown>, at: number): [string, Record<string, unknown>, number] => ['repository_ruleset', simple(repo, 'mallory', { action, repository_ruleset: { name: 'protect-main', ...fields }, ...(fields.changes ? {} : {}) }), at];
    const res = await new Scenario()
      .hook(...rs('deleted', { enforcement: 'active' }, T0))
      .hook(...rs('deleted', { enforcement: 'disabled' }, T0 + HOUR))
      .hook('repository_ruleset', simple(repo, 'mallory', { action: 'edited', repository_ruleset: { name: 'other', enforcement: 'evaluate', updated_at: new Date(T0 + 2 * HOUR).toISOString() }, changes: { enforcement: { from: 'active' } } }), T0 + 2 * HOUR)
      .run();
    expect(res.summary()).toEqual(['protection-weakened high: Ruleset "protect-main" deleted on acme/infra', 'protection-weakened high: Ruleset "other" relaxed on acme/infra']);
  });

  it('reports an admin overriding protection on a push', async () => {
    const res = await new Scenario().entry('protected_branch.policy_override', { at: T0, actor: 'root', repo: 'acme/infra', fields: { branch: 'main', reasons: ['required_reviews'] } }).run({ settings: { admins: ['root'] } });
    expect(res.summary()).toEqual(['protection-weakened high: Branch protection on main overridden on acme/infra']);
  });
});
