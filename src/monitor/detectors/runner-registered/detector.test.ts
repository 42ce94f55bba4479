import { describe, expect, it } from 'vitest';
import { simple, workflowJob, type RepoRef } from '../../simulate/payloads.js';
import { DAY, HOUR, Scenario, T0 } from '../../testing.js';

const pub = { org: 'acme', name: 'sdk', visibility: 'public' as const };
const priv = { org: 'acme', name: 'infra', visibility: 'private' as const };

describe('runner-registered', () => {
  it('reports a runner on a public repository, a worm-named runner, and one by an actor new to admin work', async () => {
    const res = await new Scenario()
      .baseline('acme', ['alice'])
      .hook('repository', simple(pub, 'alice', { action: 'edited' }), T0 - HOUR)
      .entry('repo.register_self_hosted_runner', { at: T0, actor: 'alice', repo: 'acme/sdk', fields: { public_repo: true, runner_name: 'build-1' } })
      .entry('org.register_self_hosted_runner', { at: T0 + HOUR, actor: 'alice', org: 'acme', fields: { runner_name: 'SHA1HULUD' } })
      .entry('repo.register_self_hosted_runner', { at: T0 + 2 * HOUR, actor: 'newcomer', repo: 'acme/infra', fields: { public_repo: false, runner_name: 'box' } })
      .run();
    expect(res.summary('runner-registered')).toEqual([
      'runner-registered high: Self-hosted runner "build-1" registered on acme/sdk',
      'runner-registered critical: Self-hosted runner "SHA1HULUD" registered on organization acme',
      'runner-registered high: Self-hosted runner "box" registered on acme/infra',
    ]);
  });

  it('stays silent for a private repository runner by a usual admin, and early in the history', async () => {
    const res = await new Scenario()
      .baseline('acme', ['alice'])
      .entry('repo.register_self_hosted_runner', { at: T0, actor: 'alice', repo: 'acme/infra', fields: { public_repo: false, runner_name: 'infra-2' } })
      .entry('repo.register_self_hosted_runner', { at: T0 + HOUR, actor: 'bob', repo: 'acme/infra', fields: { public_repo: false } })
      .run({ settings: { admins: ['bob'] } });
    expect(res.summary('runner-registered')).toEqual([]);
    const early = await new Scenario().entry('repo.register_self_hosted_runner', { at: T0, actor: 'erin', repo: 'acme/infra', fields: { public_repo: false } }).run();
    expect(early.summary('runner-registered')).toEqual([]);
  });

  it('reports a job on a runner first seen on a public repository, once', async () => {
    const job = (at: number, runner: string, repo: RepoRef = pub): Record<string, unknown> =>
      workflowJob(repo, { action: 'in_progress', runId: at, jobId: at, name: 'build', workflowName: 'ci', headSha: 'a'.repeat(40), branch: 'main', startedAt: at, runner, labels: ['self-hosted'], sender: 'dev' });
    const res = await new Scenario()
      .hook('workflow_job', job(T0, 'old-box'), T0)
      .hook('workflow_job', job(T0 + DAY, 'old-box'), T0 + DAY)
      .hook('workflow_job', job(T0 + DAY + HOUR, 'fresh'), T0 + DAY + HOUR)
      .hook('workflow_job', job(T0 + DAY + 2 * HOUR, 'fresh'), T0 + DAY + 2 * HOUR)
      .hook('workflow_job', job(T0 + DAY, 'private-box', priv), T0 + DAY)
      .run();
    expect(res.summary('runner-registered')).toEqual(['runner-registered high: Job ran on a new self-hosted runner "old-box" on acme/sdk', 'runner-registered high: Job ran on a new self-hosted runner "fresh" on acme/sdk']);
  });
});
