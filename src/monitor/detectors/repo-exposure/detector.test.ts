import { describe, expect, it } from 'vitest';
import { push, simple } from '../../simulate/payloads.js';
import { DAY, MIN, Scenario, T0 } from '../../testing.js';

const sha = (c: string): string => c.repeat(40);

describe('repo-exposure', () => {
  it('reports a repository made public once, from the webhook and the audit entry', async () => {
    const r = { org: 'acme', name: 'billing', visibility: 'public' as const };
    const res = await new Scenario()
      .baseline('acme', ['alice'])
      .hook('repository', simple(r, 'alice', { action: 'publicized' }), T0)
      .entry('repo.access', { at: T0 + 1000, actor: 'alice', repo: 'acme/billing', fields: { previous_visibility: 'private', visibility: 'public' } })
      .run({ settings: { admins: ['alice'] } });
    expect(res.summary('repo-exposure')).toEqual(['repo-exposure medium: Repository acme/billing made public']);
    expect(res.of('repo-exposure')[0]!.evidence).toHaveLength(2);
  });

  it('reports a worm migration (renamed, described and made public) as one critical alert', async () => {
    const migrated = { org: 'acme', name: 'web-migration', visibility: 'private' as const, description: 'Shai-Hulud Migration' };
    const res = await new Scenario()
      .hook('repository', simple(migrated, 'carol', { action: 'renamed', changes: { repository: { name: { from: 'web' } } } }), T0)
      .entry('repo.access', { at: T0 + MIN, actor: 'carol', repo: 'acme/web-migration', fields: { previous_visibility: 'private', visibility: 'public' } })
      .hook('repository', simple({ ...migrated, visibility: 'public' }, 'carol', { action: 'publicized' }), T0 + MIN)
      .run();
    expect(res.summary('repo-exposure')).toEqual(['repo-exposure critical: Repository acme/web-migration renamed, matching Shai-Hulud (npm worm, September 2025) (shai-hulud-2025-09)']);
    expect(res.of('repo-exposure')[0]!.evidence).toHaveLength(3);
  });

  it('reports a new public repository that receives only encoded data files, and a dump-named one', async () => {
    const dump = { org: 'acme', name: 'x9', visibility: 'public' as const };
    const res = await new Scenario()
      .hook('repository', simple(dump, 'dave', { action: 'created' }), T0)
      .hook('push', push(dump, { ref: 'refs/heads/main', before: sha('0'), after: sha('1'), pusher: 'dave', created: true, commits: [{ id: sha('1'), added: ['results.b64'] }], at: T0 + MIN }), T0 + MIN)
      .hook('repository', simple({ org: 'acme', name: 's1ngularity-repository-0', visibility: 'public' }, 'dave', { action: 'created' }), T0 + 2 * MIN)
      .run();
    expect(res.summary('repo-exposure')).toEqual([
      'repo-exposure critical: New public repository acme/x9 received only encoded data files',
      'repo-exposure critical: Repository acme/s1ngularity-repository-0 created public, matching s1ngularity (malicious nx packages) (s1ngularity-2025-08)',
    ]);
  });

  it('stays silent for new public repositories with code, old repositories receiving JSON, and -migration names alone', async () => {
    const site = { org: 'acme', name: 'site', visibility: 'public' as const };
    const res = await new Scenario()
      .hook('repository', simple(site, 'alice', { action: 'created' }), T0)
      .hook('push', push(site, { ref: 'refs/heads/main', before: sha('0'), after: sha('1'), pusher: 'alice', created: true, commits: [{ id: sha('1'), added: ['README.md', 'index.html', 'data.json'] }], at: T0 + MIN }), T0 + MIN)
      .hook('push', push({ ...site, name: 'old' }, { ref: 'refs/heads/main', before: sha('0'), after: sha('2'), pusher: 'alice', created: true, commits: [{ id: sha('2'), added: ['data.json'] }], at: T0 + DAY }), T0 + DAY)
      .hook('repository', simple({ org: 'acme', name: 'db-migration', visibility: 'private' }, 'alice', { action: 'renamed' }), T0 + DAY)
      .run();
    expect(res.summary('repo-exposure')).toEqual([]);
  });
});
