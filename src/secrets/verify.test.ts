import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerFor, verifySecrets } from './verify.js';
import { GH_PAT, GH_PAT_2, GH_PAT_3, NPM_TOKEN } from '../../test/secrets/fixtures.js';

/** One fake of every provider API on 127.0.0.1; behaviour is keyed by the credential. */
let server: Server;
let base: string;
const seen: Array<{ url: string; auth: string | undefined }> = [];
const SLOW = new Set<string>();

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const auth = req.headers.authorization ?? (req.headers['private-token'] as string | undefined);
    seen.push({ url: req.url ?? '', auth });
    const has = (s: string): boolean => auth?.includes(s) === true;
    const reply = (status: number, body: unknown = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if ([...SLOW].some(has)) return; // never answers: the client must time out
    if (req.url === '/gh/user') return has(GH_PAT) ? reply(200, { login: 'x' }) : has(GH_PAT_2) ? reply(401) : reply(500);
    if (req.url === '/gl/api/v4/personal_access_tokens/self') return has('glpat-live') ? reply(200, { active: true }) : has('glpat-revoked') ? reply(200, { active: false, revoked: true }) : reply(401);
    if (req.url === '/slack/auth.test' && req.method === 'POST') return reply(200, has('xoxb-live') ? { ok: true } : { ok: false, error: 'invalid_auth' });
    if (req.url === '/stripe/v1/balance') {
      const key = Buffer.from((auth ?? '').replace(/^Basic /, ''), 'base64').toString();
      return reply(key.startsWith('sk_live_good') ? 200 : 401);
    }
    if (req.url === '/npm/-/whoami') return reply(has(NPM_TOKEN) ? 200 : 401, { username: 'x' });
    if (req.url === '/openai/v1/models') {
      if (has('redirect')) {
        res.writeHead(302, { location: 'http://127.0.0.2/steal' });
        return res.end();
      }
      return reply(has('sk-live') ? 200 : 401);
    }
    reply(404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const env = () => ({
  PIPEWARDEN_VERIFY_GITHUB_URL: `${base}/gh`,
  PIPEWARDEN_VERIFY_GITLAB_URL: `${base}/gl/`,
  PIPEWARDEN_VERIFY_SLACK_URL: `${base}/slack`,
  PIPEWARDEN_VERIFY_STRIPE_URL: `${base}/stripe`,
  PIPEWARDEN_VERIFY_NPM_URL: `${base}/npm`,
  PIPEWARDEN_VERIFY_OPENAI_URL: `${base}/openai`,
});

describe('verifySecrets against a local fake API', () => {
  it('live / invalid / unknown per provider', async () => {
    const openaiLive = 'sk-live' + 'Aq9Zk2Lx0Pw7Nc5Rt1Ym9HbQs';
    const openaiDead = 'sk-dead' + 'Aq9Zk2Lx0Pw7Nc5Rt1Ym9HbQs';
    const items = [
      { secret: GH_PAT, detectorId: 'github-pat-classic' },
      { secret: GH_PAT_2, detectorId: 'github-pat-classic' },
      { secret: GH_PAT_3, detectorId: 'github-pat-classic' },
      { secret: 'glpat-live' + 'Xq9Zk2Lx0Pw7Nc5', detectorId: 'gitlab-pat' },
      { secret: 'glpat-revoked' + 'Xq9Zk2Lx0P', detectorId: 'gitlab-pat' },
      { secret: 'xoxb-live' + '-1234567890-abcdefghij', detectorId: 'slack-bot-token' },
      { secret: 'xoxb-dead' + '-1234567890-abcdefghij', detectorId: 'slack-bot-token' },
      { secret: 'sk_live_good' + 'Aq9Zk2Lx0Pw7Nc5Rt1Ym', detectorId: 'stripe-secret-key' },
      { secret: 'sk_live_bad' + 'Aq9Zk2Lx0Pw7Nc5Rt1Ym', detectorId: 'stripe-secret-key' },
      { secret: NPM_TOKEN, detectorId: 'npm-token' },
      { secret: openaiLive, detectorId: 'openai-api-key' },
      { secret: openaiDead, detectorId: 'openai-api-key' },
      { secret: 'AKIA' + 'IOSFODNN7EXAMPLE', detectorId: 'aws-access-key-id' },
    ];
    const r = await verifySecrets(items, { env: env(), timeoutMs: 2000 });
    const v = (s: string) => r.get(s) && `${r.get(s)!.provider}:${r.get(s)!.verdict}`;
    expect(items.map((i) => v(i.secret))).toEqual([
      'github:live',
      'github:invalid',
      'github:unknown', // server answers 500
      'gitlab:live',
      'gitlab:invalid',
      'slack:live',
      'slack:invalid',
      'stripe:live',
      'stripe:invalid',
      'npm:live',
      'openai:live',
      'openai:invalid',
      undefined, // no verifier for AWS keys
    ]);
  });

  it('a timeout is unknown, and one request per distinct secret', async () => {
    const slow = GH_PAT_3;
    SLOW.add(slow);
    seen.length = 0;
    const started = Date.now();
    const r = await verifySecrets(
      [
        { secret: slow, detectorId: 'github-pat-classic' },
        { secret: slow, detectorId: 'github-pat-classic' },
      ],
      { env: env(), timeoutMs: 300 },
    );
    SLOW.delete(slow);
    expect(r.get(slow)).toEqual({ verdict: 'unknown', provider: 'github', unreachable: true });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(seen.length).toBe(1);
  });

  it('never follows a redirect', async () => {
    const key = 'sk-redirect' + 'Aq9Zk2Lx0Pw7Nc5Rt1Ym9HbQs';
    seen.length = 0;
    const r = await verifySecrets([{ secret: key, detectorId: 'openai-api-key' }], { env: env(), timeoutMs: 2000 });
    expect(r.get(key)?.verdict).toBe('unknown');
    expect(seen.length).toBe(1);
  });

  it('a malformed base URL override verifies nothing (unknown), without a request', async () => {
    seen.length = 0;
    const r = await verifySecrets([{ secret: GH_PAT, detectorId: 'github-pat-classic' }], { env: { PIPEWARDEN_VERIFY_GITHUB_URL: 'file:///etc/passwd' } });
    expect(r.get(GH_PAT)?.verdict).toBe('unknown');
    expect(seen.length).toBe(0);
  });

  it('picks providers by token shape', () => {
    expect(providerFor(GH_PAT, 'x')?.name).toBe('github');
    expect(providerFor('sk-ant-api03-' + 'x'.repeat(30), 'anthropic-api-key')).toBeUndefined();
    expect(providerFor('rk_live_' + 'x'.repeat(24), 'stripe')?.name).toBe('stripe');
  });
});
