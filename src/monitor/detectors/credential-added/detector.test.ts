import { describe, expect, it } from 'vitest';
import { simple } from '../../simulate/payloads.js';
import { DAY, HOUR, Scenario, T0 } from '../../testing.js';

const repo = { org: 'acme', name: 'auth' };
const hook = (url: string): Record<string, unknown> => ({ hook_id: 1, name: 'web', events: ['push'], active: true, config: { url, content_type: 'json' } });

describe('credential-added', () => {
  it('reports a write deploy key once (webhook and audit entry), an unknown webhook destination, a PAT grant and an app for all repositories', async () => {
    const res = await new Scenario()
      .baseline('acme', ['alice'])
      .entry('public_key.create', { at: T0, actor: 'mallory', repo: 'acme/auth', fields: { title: 'backup', read_only: false, fingerprint: 'SHA256:x' } })
      .hook('deploy_key', simple(repo, 'mallory', { action: 'created', key: { title: 'backup', read_only: false, created_at: new Date(T0).toISOString() } }), T0 + 1000)
      .entry('hook.create', { at: T0 + HOUR, actor: 'mallory', org: 'acme', fields: hook('https://drop.evil.example/in') })
      .entry('personal_access_token.access_granted', { at: T0 + 2 * HOUR, actor: 'alice', org: 'acme', fields: { user_programmatic_access_name: 'deploy-bot', repository_selection: 'all' } })
      .entry('integration_installation.create', { at: T0 + 3 * HOUR, actor: 'mallory', org: 'acme', fields: { name: 'shady-app', repository_selection: 'all' } })
      .run({ settings: { trustedDomains: ['acme.example'] } });
    expect(res.summary('credential-added')).toEqual([
      'credential-added high: Deploy key with write access added to acme/auth',
      'credential-added high: Webhook to unknown destination drop.evil.example added on acme',
      'credential-added high: Personal access token "deploy-bot" granted access to acme (all repositories)',
      'credential-added high: GitHub App "shady-app" installed on acme for all repositories',
    ]);
    expect(res.of('credential-added')[0]!.evidence.map((e) => e.source).sort()).toEqual(['audit', 'webhook']);
  });

  it('stays silent for read-only keys, webhooks to trusted or known hosts, user SSH keys, and apps on selected repositories by admins', async () => {
    const res = await new Scenario()
      .baseline('acme', ['alice'])
      .entry('public_key.create', { at: T0, actor: 'alice', repo: 'acme/auth', fields: { title: 'ci', read_only: true } })
      .entry('public_key.create', { at: T0, actor: 'alice', fields: { title: 'laptop', read_only: false } })
      .entry('hook.create', { at: T0 + HOUR, actor: 'alice', repo: 'acme/auth', fields: hook('https://ci.acme.example/gh') })
      .entry('hook.create', { at: T0 + 2 * HOUR, actor: 'alice', repo: 'acme/auth', fields: hook('https://hooks.slack.com/services/T/B/x') })
      .entry('hook.create', { at: T0 + 3 * HOUR, actor: 'alice', org: 'acme', fields: hook('https://partner.example.net/a') })
      .entry('hook.config_changed', { at: T0 + DAY, actor: 'alice', org: 'acme', fields: hook('https://partner.example.net/b') })
      .entry('integration_installation.create', { at: T0 + DAY, actor: 'alice', org: 'acme', fields: { name: 'codecov', repository_selection: 'selected' } })
      .run({ settings: { trustedDomains: ['acme.example', 'hooks.slack.com'] } });
    // The first webhook to partner.example.net is new; changing it later to the same host is not.
    expect(res.summary('credential-added')).toEqual(['credential-added high: Webhook to unknown destination partner.example.net added on acme']);
  });
});
