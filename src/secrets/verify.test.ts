import { createPublicKey, generateKeyPairSync, verify as verifySig, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETECTORS } from './detectors/index.js';
import { PROVIDERS, providerFor, UNVERIFIABLE, verifySecrets } from './verify.js';
import { GH_PAT, GH_PAT_2, GH_PAT_3, NPM_TOKEN } from '../../test/secrets/fixtures.js';

/** One fake of every provider API on 127.0.0.1; behaviour is keyed by the credential. */
let server: Server;
let base: string;
const seen: Array<{ url: string; auth: string | undefined }> = [];
const SLOW = new Set<string>();
// Our own values in each provider's shape.
const ROOTLY_LIVE = 'rootly_' + '3f9a0c1e7b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b0d2f4a';
const ROOTLY_DEAD = 'rootly_' + '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d';
const SEGMENT_LIVE = 'sgp_' + 'Qw3Rt5Yu7Io9Pa1Sd3Fg5Hj7Kl9Zx2Cv4Bn6Mm8Qa0Ws2Ed4Rf6Tg8Yh0Uj2Ik4O';
const SEGMENT_NO_ROLE = 'sgp_' + 'Zm1Xn2Cb3Vq4Wr5Et6Yu7Io8Pl9Ak0Sj1Dh2Fg3Gh4Jk5Lz6Xc7Vb8Nm9Qw0Er1T';
const SEGMENT_DEAD = 'sgp_' + 'Lk9Jh8Gf7Ds6Ap5Oi4Uy3Tr2Ew1Qz0Xc9Vb8Nm7Lk6Jh5Gf4Ds3Ap2Oi1Uy0Tr9E';
const GODADDY_LIVE = 'h4Kq9ZtW2mXe_7RbNc3VpLs8YdFg5JuA1oPi' + ':' + 'Wm3Rt8Yq2Zx7Lp4Nc9Vb6K';
const GODADDY_DEAD = 'Zp2Lx7Qm4Nw9_Rc5Vt1Yb8Hs3Kd6Fg0JeA2uT' + ':' + 'Qa9Ws2Ed7Rf4Tg1Yh6Uj3I';
const CHECKLY_LIVE = 'cu_' + '7c1e9a3f5b2d8e4a6c0f1b3d5e7a9c2e';
const CHECKLY_DEAD = 'cu_' + '2b8d4f6a0c1e3b5d7f9a2c4e6b8d0f1a';
// Scalr tokens are JWTs; these are our own, signed by nobody (the fake only compares strings).
const scalrJwt = (sub: string) => ['eyJhbGciOiJSUzI1NiJ9', Buffer.from(JSON.stringify({ sub, iss: 'scalr' })).toString('base64url'), 'c2lnbmF0dXJlLW5vdC1yZWFsLWF0LWFsbA'].join('.');
const SCALR_LIVE = scalrJwt('user-live-7k2m9q');
const SCALR_NO_ACCESS = scalrJwt('user-noaccess-3x8v1p');
const SCALR_DEAD = scalrJwt('user-dead-5n4c6w');

// Coinbase CDP: our own freshly generated key pairs; the fake checks each JWT's signature.
const ecPem = (k: KeyObject) => (k.export({ format: 'pem', type: 'sec1' }) as string).trim().replace(/\n/g, '\\n');
const CDP_EC_LIVE = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const CDP_EC_NOSCOPE = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const CDP_EC_DEAD = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const CDP_EC_APP = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const CDP_ED_LIVE = generateKeyPairSync('ed25519');
const edSecret = (k: KeyObject) => Buffer.concat([k.export({ format: 'der', type: 'pkcs8' }).subarray(-32), createPublicKey(k).export({ format: 'der', type: 'spki' }).subarray(-32)]).toString('base64');
const CDP_EC_NAME = 'organizations/5f0c2a9e-1b7d-4c3e-9a8f-2d6b4e0c1a7f/apiKeys/8e3d1c7b-4a2f-4e9d-b6c0-3f1a5e7d9b2c';
const CDP_ED_ID = '0b9e4d2c-7a1f-4c6e-8d3b-5e2a9f1c7d4b';
const cdpJwts: Array<{ header: Record<string, unknown>; payload: Record<string, unknown> }> = [];
/** 200 / 403 / 401 by which public key verifies the JWT (none: 401); `app`: the Coinbase App endpoint. */
function cdpStatus(auth: string | undefined, app = false): number {
  const jwt = auth?.replace(/^Bearer /, '') ?? '';
  const [h = '', p = '', sig = ''] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  cdpJwts.push({ header, payload });
  const signed = Buffer.from(`${h}.${p}`);
  const ok = (k: KeyObject): boolean =>
    header.alg === 'EdDSA' ? verifySig(null, signed, createPublicKey(k), Buffer.from(sig, 'base64url')) : verifySig('sha256', signed, { key: createPublicKey(k), dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
  if (app) return header.alg === 'ES256' && payload.aud === undefined && ok(CDP_EC_APP.privateKey) ? 200 : 401;
  if (header.alg === 'ES256' && ok(CDP_EC_LIVE.privateKey)) return 200;
  if (header.alg === 'ES256' && ok(CDP_EC_NOSCOPE.privateKey)) return 403;
  if (header.alg === 'EdDSA' && ok(CDP_ED_LIVE.privateKey)) return 200;
  return 401;
}

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
    if (req.url === '/rootly/v1/users/me') return reply(has(ROOTLY_LIVE) ? 200 : 401);
    if (req.url === '/segment/') return reply(has(SEGMENT_LIVE) ? 200 : has(SEGMENT_NO_ROLE) ? 403 : 401);
    if (req.url === '/godaddy/v1/domains?limit=1') return reply(auth === `sso-key ${GODADDY_LIVE}` ? 200 : 401, []);
    if (req.url === '/checkly/v1/accounts') return reply(auth === `Bearer ${CHECKLY_LIVE}` ? 200 : 401, []);
    if (req.url === '/scalr/api/iacp/v3/environments?page%5Bsize%5D=1' && req.headers.prefer === 'profile=preview') {
      // Scalr: 404 is its answer to a valid token without permission.
      return reply(auth === `Bearer ${SCALR_LIVE}` ? 200 : auth === `Bearer ${SCALR_NO_ACCESS}` ? 404 : 401);
    }
    if (req.url === '/coinbase/platform/v2/evm/accounts?pageSize=1') return reply(cdpStatus(auth), {});
    if (req.url === '/coinbase/api/v3/brokerage/key_permissions') return reply(cdpStatus(auth, true), {});
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
  PIPEWARDEN_VERIFY_ROOTLY_URL: `${base}/rootly`,
  PIPEWARDEN_VERIFY_SEGMENT_URL: `${base}/segment`,
  PIPEWARDEN_VERIFY_GODADDY_URL: `${base}/godaddy`,
  PIPEWARDEN_VERIFY_CHECKLY_URL: `${base}/checkly`,
  PIPEWARDEN_VERIFY_SCALR_URL: `${base}/scalr`,
  PIPEWARDEN_VERIFY_COINBASE_URL: `${base}/coinbase`,
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
    // An OAuth app's client secret is not a token: /user would call a live one "invalid".
    expect(providerFor('9f3c2a7e1b4d6f8a0c2e4b6d8f1a3c5e7b9d0f2a', 'github-oauth-app-secret')).toBeUndefined();
    expect(providerFor('xoxe-1-' + 'Ab3'.repeat(48) + 'Cd', 'slack-config-refresh-token')).toBeUndefined();
    expect(providerFor('xoxp-' + '1234567890-'.repeat(3) + 'a'.repeat(32), 'slack-user-token')?.name).toBe('slack');
  });

  it('Rootly and Segment (issue 11): live, invalid, and a Segment token without a workspace role is still live', async () => {
    const items = [ROOTLY_LIVE, ROOTLY_DEAD, SEGMENT_LIVE, SEGMENT_NO_ROLE, SEGMENT_DEAD].map((secret) => ({ secret, detectorId: secret.startsWith('rootly_') ? 'rootly-api-key' : 'segment-public-api-token' }));
    const r = await verifySecrets(items, { env: env(), timeoutMs: 5000 });
    expect(items.map((i) => [r.get(i.secret)?.provider, r.get(i.secret)?.verdict])).toEqual([
      ['rootly', 'live'],
      ['rootly', 'invalid'],
      ['segment', 'live'],
      ['segment', 'live'],
      ['segment', 'invalid'],
    ]);
    const rootly = seen.find((s) => s.url === '/rootly/v1/users/me');
    expect(rootly?.auth).toBe(`Bearer ${ROOTLY_LIVE}`);
    // Sourcegraph's `sgp_` tokens (40 hex) are never sent to Segment.
    expect(providerFor('sgp_' + 'a1'.repeat(20), 'sourcegraph-access-token')).toBeUndefined();
  });

  it('GoDaddy (the key:secret pair), Checkly and Scalr (issue 11): live, invalid, and a Scalr 404 is a valid token without access', async () => {
    const scalr = (secret: string) => ({ secret, detectorId: 'scalr-cli-credentials', properties: { host: 'acme.scalr.io' } });
    const items = [
      { secret: GODADDY_LIVE, detectorId: 'godaddy-api-key' },
      { secret: GODADDY_DEAD, detectorId: 'godaddy-api-key' },
      { secret: CHECKLY_LIVE, detectorId: 'checkly-api-key' },
      { secret: CHECKLY_DEAD, detectorId: 'checkly-api-key' },
      scalr(SCALR_LIVE),
      scalr(SCALR_NO_ACCESS),
      scalr(SCALR_DEAD),
    ];
    seen.length = 0;
    const r = await verifySecrets(items, { env: env(), timeoutMs: 5000 });
    expect(items.map((i) => [r.get(i.secret)?.provider, r.get(i.secret)?.verdict])).toEqual([
      ['godaddy', 'live'],
      ['godaddy', 'invalid'],
      ['checkly', 'live'],
      ['checkly', 'invalid'],
      ['scalr', 'live'],
      ['scalr', 'live'],
      ['scalr', 'invalid'],
    ]);
    expect(seen.length).toBe(7);
    expect(seen.find((s) => s.url.startsWith('/godaddy/'))?.auth).toMatch(/^sso-key [A-Za-z0-9_]+:[A-Za-z0-9_]+$/);
  });

  it('Scalr is only verified at the scalr.io host written next to the token', async () => {
    const noOverride = { PIPEWARDEN_VERIFY_TIMEOUT_MS: '2000' };
    seen.length = 0;
    const r = await verifySecrets(
      [
        { secret: SCALR_LIVE, detectorId: 'scalr-cli-credentials' }, // no host
        { secret: SCALR_DEAD, detectorId: 'scalr-cli-credentials', properties: { host: 'scalr.io.attacker.example' } },
        { secret: SCALR_NO_ACCESS, detectorId: 'scalr-token' }, // a SCALR_TOKEN= value: no host at all
      ],
      { env: noOverride },
    );
    expect(r.get(SCALR_LIVE)).toEqual({ verdict: 'unknown', provider: 'scalr' });
    expect(r.get(SCALR_DEAD)).toEqual({ verdict: 'unknown', provider: 'scalr' });
    expect(r.get(SCALR_NO_ACCESS)).toBeUndefined();
    expect(seen.length).toBe(0);
  });

  it('Coinbase CDP (issue 11): a JWT signed with the found EC or Ed25519 key, bound to the one GET; the key itself is never sent', async () => {
    const ec = (k: KeyObject, name = CDP_EC_NAME) => ({ secret: ecPem(k), detectorId: 'coinbase-cdp-api-key', properties: { keyName: name } });
    const items = [
      ec(CDP_EC_LIVE.privateKey),
      ec(CDP_EC_NOSCOPE.privateKey),
      ec(CDP_EC_DEAD.privateKey),
      ec(CDP_EC_APP.privateKey),
      { secret: edSecret(CDP_ED_LIVE.privateKey), detectorId: 'coinbase-cdp-ed25519-key', properties: { keyName: CDP_ED_ID } },
    ];
    seen.length = 0;
    cdpJwts.length = 0;
    const r = await verifySecrets(items, { env: env(), timeoutMs: 5000 });
    // The dead key and the Coinbase App key are asked twice (CDP, then the App's key_permissions).
    expect(items.map((i) => r.get(i.secret)?.verdict)).toEqual(['live', 'live', 'invalid', 'live', 'live']);
    expect(seen.map((s) => s.url.split('?')[0]!.split('/').pop()).sort()).toEqual(['accounts', 'accounts', 'accounts', 'accounts', 'accounts', 'key_permissions', 'key_permissions']);
    for (const s of seen) {
      expect(s.auth).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      for (const i of items) expect(s.auth?.includes(i.secret.slice(40, 80))).toBe(false);
    }
    const host = new URL(base).host;
    const first = cdpJwts.find((j) => j.header.kid === CDP_EC_NAME)!;
    expect([first.header.alg, first.header.typ, first.payload.sub, first.payload.iss, first.payload.aud, first.payload.uris]).toEqual(['ES256', 'JWT', CDP_EC_NAME, 'cdp', ['cdp_service'], [`GET ${host}/coinbase/platform/v2/evm/accounts`]]);
    expect(Number(first.payload.exp) - Number(first.payload.nbf)).toBe(120);
    expect(cdpJwts.find((j) => j.header.kid === CDP_ED_ID)?.header.alg).toBe('EdDSA');
    const app = cdpJwts.find((j) => j.payload.uri !== undefined)!;
    expect([app.payload.uri, app.payload.uris, app.payload.aud]).toEqual([`GET ${host}/coinbase/api/v3/brokerage/key_permissions`, undefined, undefined]);
  });

  it('Coinbase CDP: no key name next to the key, or a key Node cannot read, asks nothing', async () => {
    const pem = ecPem(CDP_EC_LIVE.privateKey);
    expect(providerFor(pem, 'coinbase-cdp-api-key')).toBeUndefined();
    expect(providerFor(pem, 'coinbase-cdp-api-key', { keyName: 'my-key' })).toBeUndefined();
    expect(providerFor(pem, 'private-key', { keyName: CDP_EC_NAME })).toBeUndefined();
    seen.length = 0;
    const broken = pem.replace(/(\\n)[A-Za-z0-9+/]{8}/, '$1AAAAAAAA');
    const r = await verifySecrets([{ secret: broken, detectorId: 'coinbase-cdp-api-key', properties: { keyName: CDP_EC_NAME } }], { env: env(), timeoutMs: 5000 });
    expect([r.get(broken)?.verdict, seen.length]).toEqual(['unknown', 0]);
  });

  it('GoDaddy needs the pair; Checkly needs its exact shape', () => {
    expect(providerFor(GODADDY_LIVE, 'godaddy-api-key')?.name).toBe('godaddy');
    expect(providerFor('Wm3Rt8Yq2Zx7Lp4Nc9Vb6K', 'godaddy-api-key')).toBeUndefined();
    expect(providerFor(CHECKLY_LIVE, 'checkly-api-key')?.name).toBe('checkly');
    expect(providerFor('cu_' + 'a1'.repeat(20), 'x')).toBeUndefined();
  });
});

describe('which detectors --verify covers (the docs table column)', () => {
  const x = (n: number) => 'Ab1Cd2Ef3G'.repeat(10).slice(0, n);
  // One secret in each declared detector's shape (our own values).
  const SAMPLES: Record<string, string> = {
    'github-pat-classic': `ghp_${x(36)}`,
    'github-oauth-token': `gho_${x(36)}`,
    'github-user-to-server-token': `ghu_${x(36)}`,
    'github-server-to-server-token': `ghs_${x(36)}`,
    'github-refresh-token': `ghr_${x(36)}`,
    'github-fine-grained-pat': `github_pat_${x(22)}_${x(59)}`,
    'gitlab-pat': `glpat-${x(20)}`,
    'slack-bot-token': `xoxb-1234567890-1234567890-${x(24)}`,
    'slack-user-token': `xoxp-1234567890-1234567890-1234567890-${'c0ffee12'.repeat(4)}`,
    'slack-legacy-token': `xoxs-12345678-${x(40)}`,
    'stripe-secret-key': `sk_live_${x(24)}`,
    'stripe-restricted-key': `rk_live_${x(24)}`,
    'stripe-test-key': `sk_test_${x(24)}`,
    'npm-access-token': `npm_${x(36)}`,
    'openai-api-key': `sk-${x(48)}`,
    'openai-project-key': `sk-proj-${x(90)}`,
    'openai-service-account-key': `sk-svcacct-${x(90)}`,
    'openai-admin-key': `sk-admin-${x(90)}`,
    'rootly-api-key': `rootly_${'a1'.repeat(32)}`,
    'segment-public-api-token': `sgp_${x(64)}`,
    'godaddy-api-key': `${x(34)}:${x(22)}`,
    'checkly-api-key': `cu_${'7f'.repeat(16)}`,
    'scalr-cli-credentials': `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.${x(40)}`,
    'coinbase-cdp-api-key': '-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEE\\n-----END EC PRIVATE KEY-----',
    'coinbase-cdp-ed25519-key': `${x(86)}==`,
  };

  it('every declared detector exists, is verified by its provider, and none is also "not verifiable"', () => {
    const ids = new Set(DETECTORS.map((d) => d.id));
    const declared = PROVIDERS.flatMap((p) => p.detectors.map((id) => [p.name, id] as const));
    expect(declared.filter(([, id]) => !ids.has(id))).toEqual([]);
    expect(Object.keys(UNVERIFIABLE).filter((id) => !ids.has(id))).toEqual([]);
    expect(declared.filter(([, id]) => id in UNVERIFIABLE)).toEqual([]);
    expect(Object.keys(SAMPLES).sort()).toEqual(declared.map(([, id]) => id).sort());
    const props = { host: 'acme.scalr.io', keyName: '0b9e4d2c-7a1f-4c6e-8d3b-5e2a9f1c7d4b' };
    expect(declared.map(([, id]) => [id, providerFor(SAMPLES[id]!, id, props)?.name])).toEqual(declared.map(([name, id]) => [id, name]));
  });

  it('the detectors documented as not verifiable get no provider', () => {
    expect(Object.keys(UNVERIFIABLE).map((id) => providerFor('x'.repeat(30), id))).toEqual(Object.keys(UNVERIFIABLE).map(() => undefined));
  });
});
