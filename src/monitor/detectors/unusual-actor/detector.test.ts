import { describe, expect, it } from 'vitest';
import { DAY, HOUR, Scenario, T0 } from '../../testing.js';

describe('unusual-actor', () => {
  it('reports the first admin action of an account once the history is long enough, once per account', async () => {
    const res = await new Scenario()
      .baseline('acme', ['alice', 'erin'])
      .entry('protected_branch.destroy', { at: T0, actor: 'eve', repo: 'acme/infra', fields: { name: 'main' } })
      .entry('hook.create', { at: T0 + HOUR, actor: 'eve', org: 'acme' })
      .entry('repo.update_member', { at: T0 + 2 * HOUR, actor: 'erin', repo: 'acme/api', fields: { permission: 'write' } })
      .run();
    expect(res.summary('unusual-actor')).toEqual(['unusual-actor high: First admin action by eve in acme: protected_branch.destroy']);
  });

  it('stays silent without a baseline, for configured admins, bots and non-admin actions', async () => {
    const early = await new Scenario().entry('protected_branch.destroy', { at: T0, actor: 'eve', repo: 'acme/infra' }).run();
    expect(early.summary('unusual-actor')).toEqual([]);
    const res = await new Scenario()
      .baseline('acme', ['alice'], T0 - 20 * DAY)
      .entry('org.update_member', { at: T0, actor: 'root', org: 'acme', fields: { permission: 'admin' } })
      .entry('repo.update_actions_settings', { at: T0, actor: 'settings-app[bot]', repo: 'acme/api' })
      .entry('pull_request.merge', { at: T0, actor: 'gina', repo: 'acme/api' })
      .entry('workflows.completed_workflow_run', { at: T0, actor: 'gina', repo: 'acme/api', fields: { workflow_run_id: 1 } })
      .run({ settings: { admins: ['root'] } });
    expect(res.summary('unusual-actor')).toEqual([]);
  });
});
