import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { runRules } from '../../src/core/engine.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { buildGithubModel } from '../../src/platforms/github/load.js';
import { GITHUB_RULES } from '../../src/platforms/github/platform.js';
import { rule as impostorCommit } from '../../src/audits/github/impostor-commit/rule.js';
import { rule as refConfusion } from '../../src/audits/github/ref-confusion/rule.js';
import { rule as staleActionRefs } from '../../src/audits/github/stale-action-refs/rule.js';
import { rule as refVersionMismatch } from '../../src/audits/github/ref-version-mismatch/rule.js';
import { rule as transitiveActions } from '../../src/audits/github/transitive-actions/rule.js';
import { apiBaseUrl, GithubClient } from '../../src/online/github-client.js';
import { prefetch, usesOfModel } from '../../src/online/prefetch.js';
import type { OnlineFacts, OnlineModel } from '../../src/online/facts.js';
import { onlinePinResolver } from '../../src/online/pins.js';
import { loadFixture, startFakeGithub, type FakeGithub } from './server.js';

const WORKFLOW = readFileSync(new URL('./fixtures/workflow.yml', import.meta.url), 'utf8');
const ONLINE_RULES = [impostorCommit, refConfusion, staleActionRefs, refVersionMismatch, transitiveActions, GITHUB_RULES.find((r) => r.meta.id === 'known-vulnerable-actions')!];

let server: FakeGithub;
let cacheDir: string;

beforeEach(async () => {
  server = await startFakeGithub(loadFixture('github-api.json'));
  cacheDir = mkdtempSync(join(tmpdir(), 'pw-online-cache-'));
});
afterEach(async () => {
  await server.close();
});

function client(over: Partial<ConstructorParameters<typeof GithubClient>[0]> = {}): GithubClient {
  return new GithubClient({ baseUrl: server.url, token: 'test-token', cacheDir, delayScale: 0.001, retryBaseMs: 10, ...over });
}

function model() {
  const { model, problems } = buildGithubModel([{ path: '.github/workflows/ci.yml', text: WORKFLOW, kind: 'workflow' }]);
  expect(problems).toEqual([]);
  return model;
}

function audit(facts: OnlineFacts | undefined): Finding[] {
  const m = model() as OnlineModel;
  if (facts) m.online = facts;
  const { findings, diagnostics } = runRules(ONLINE_RULES, m, { config: DEFAULT_CONFIG, online: true });
  expect(diagnostics).toEqual([]);
  return findings.sort((a, b) => a.location.startLine - b.location.startLine || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message));
}

const brief = (fs: Finding[]): string[] => fs.map((f) => `${f.location.startLine}:${f.location.startColumn} ${f.ruleId} ${f.severity}/${f.confidence}`);

describe('online audit against recorded GitHub API responses', () => {
  it('prefetches facts and every online rule reports exactly its positives', async () => {
    const { facts, diagnostics } = await prefetch(client(), usesOfModel(model()));
    expect(diagnostics.map((d) => d.message)).toEqual(['--online: skipped 1 unreadable entry from the GitHub advisory database']);
    const findings = audit(facts);
    expect(brief(findings)).toEqual([
      '8:15 transitive-actions low/high',
      '8:15 transitive-actions high/high',
      '8:15 transitive-actions medium/high',
      '8:15 transitive-actions medium/high',
      '10:15 impostor-commit critical/high',
      '12:15 stale-action-refs low/high',
      '14:15 ref-version-mismatch medium/high',
      '18:15 ref-confusion medium/high',
      '22:15 known-vulnerable-actions high/high',
    ]);
    const msg = (id: string) => findings.filter((f) => f.ruleId === id).map((f) => f.message);
    const V120 = 'a1'.repeat(20);
    const DEEP = '07'.repeat(20);
    expect(msg('transitive-actions')).toEqual([
      `step "Released" of job "build" uses good/action@${V120}, which runs actions/checkout@v4 at a movable tag, not a commit SHA (good/action@${V120} → actions/checkout@v4); its code can change without any change to this repository: use a release of the action that pins it, or replace the action`,
      `step "Released" of job "build" uses good/action@${V120}, which runs adv/vuln@v3.0.1 affected by GHSA-2c8p-q4wx-9rvm (CVE-2099-0001): adv/vuln writes the job token to the step summary (good/action@${V120} → deep/level2@${DEEP} → adv/vuln@v3.0.1); the action must move to 3.1.0 or later; upgrade the action or replace it`,
      `step "Released" of job "build" uses good/action@${V120}, which runs adv/vuln@v3.0.1 at a movable tag, not a commit SHA (good/action@${V120} → deep/level2@${DEEP} → adv/vuln@v3.0.1); its code can change without any change to this repository: use a release of the action that pins it, or replace the action`,
      `step "Released" of job "build" uses good/action@${V120}, which runs nested/dep@main at a branch-like ref, not a commit SHA (good/action@${V120} → nested/dep@main); its code can change without any change to this repository: use a release of the action that pins it, or replace the action`,
    ]);
    expect(msg('impostor-commit')).toEqual([
      `step "Impostor" of job "build" uses good/action@${'e5'.repeat(20)}, but commit e5e5e5e5e5e5 is on no branch or tag of good/action: it can only come from a fork, whose code GitHub serves under the original name; pin a commit from the repository's own history`,
    ]);
    expect(msg('stale-action-refs')).toEqual([
      `step "Between" of job "build" uses good/action@${'d4'.repeat(20)}, but commit d4d4d4d4d4d4 is not the commit of any tag of good/action: it is unreleased code between versions; pin the commit of a release tag (latest release: v1.2.0)`,
    ]);
    expect(msg('ref-version-mismatch')).toEqual([
      `step "Mismatch" of job "build" uses good/action@${'b2'.repeat(20)} with comment "v1.2.0", but tag v1.2.0 of good/action is commit a1a1a1a1a1a1 and the pinned commit is v1.1.0; make the SHA and the comment agree`,
    ]);
    expect(msg('ref-confusion')).toEqual([
      'step "Confused" of job "build" uses confused/action@release, but "release" names both a tag and a branch of confused/action, so whoever can push that branch can decide which code runs; pin a full commit SHA',
    ]);
    expect(msg('known-vulnerable-actions')[0]).toContain('uses adv/vuln@v3.0.1, a release affected by GHSA-2c8p-q4wx-9rvm (CVE-2099-0001)');
    // Requests carried the token; the cache never holds it.
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer test-token')).toBe(true);
    const cached = readdirSync(join(cacheDir, 'http')).map((f) => readFileSync(join(cacheDir, 'http', f), 'utf8')).join('\n');
    expect(cached).not.toContain('test-token');
    expect(cached).toContain('good/action');
  });

  it('a pin GitHub answers 404 for is missing (reported); one that only shares no history with a base is followed to the next base', async () => {
    const UNKNOWN = '9d'.repeat(20);
    const ORPHAN = '4b'.repeat(20);
    // Both compares against main answer 404 (the server's default); the commit lookups differ.
    server.routes[`GET /repos/good/action/commits/${ORPHAN}`] = { body: { sha: ORPHAN } };
    server.routes[`GET /repos/good/action/compare/v1.2.0...${ORPHAN}`] = { body: { status: 'behind', ahead_by: 0, behind_by: 2 } };
    const text = [
      'on: push',
      'permissions: {}',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - uses: good/action@${UNKNOWN}`,
      `      - uses: good/action@${ORPHAN}`,
      '',
    ].join('\n');
    const { model: m } = buildGithubModel([{ path: '.github/workflows/ci.yml', text, kind: 'workflow' }]);
    const { facts } = await prefetch(client(), usesOfModel(m));
    expect(facts.repos['good/action']!.commits).toEqual({ [UNKNOWN]: { reachability: 'missing' }, [ORPHAN]: { reachability: 'reachable', via: 'tag v1.2.0' } });
    (m as OnlineModel).online = facts;
    const { findings } = runRules([impostorCommit], m, { config: DEFAULT_CONFIG, online: true });
    expect(findings.map((f) => `${f.location.startLine}:${f.location.startColumn} ${f.severity}/${f.confidence} ${f.message.slice(0, 80)}`)).toEqual([
      `7:15 high/medium step 1 of job "build" uses good/action@${UNKNOWN},`,
    ]);
    // Offline (no facts), the rule says nothing about either pin.
    (m as OnlineModel).online = undefined;
    expect(runRules([impostorCommit], m, { config: DEFAULT_CONFIG, online: true }).findings).toEqual([]);
  });

  it('reports nothing without facts: online rules stay silent and known-vulnerable-actions keeps its offline list', () => {
    expect(audit(undefined)).toEqual([]);
  });

  it('revalidates with If-None-Match and serves the 304 from the cache', async () => {
    const first = await client().getJson<{ default_branch: string }>('/repos/good/action');
    expect(first.cache).toBe('miss');
    const second = await client().getJson<{ default_branch: string }>('/repos/good/action');
    expect(second.cache).toBe('revalidated');
    expect(second.data.default_branch).toBe('main');
    const seen = server.requests.filter((r) => r.url === '/repos/good/action');
    expect(seen.map((r) => r.status)).toEqual([200, 304]);
    expect(seen[1]!.headers['if-none-match']).toMatch(/^W\/"[0-9a-f]{40}"$/);
  });

  it('retries a 502 and then succeeds', async () => {
    server.routes['GET /flaky'] = [{ status: 502, body: { message: 'Server Error' } }, { body: { ok: true } }];
    const r = await client().getJson<{ ok: boolean }>('/flaky');
    expect(r.data.ok).toBe(true);
    expect(server.requests.filter((q) => q.url === '/flaky').map((q) => q.status)).toEqual([502, 200]);
  });

  it('waits for Retry-After on 429 (scaled down) and retries', async () => {
    server.routes['GET /limited'] = [{ status: 429, headers: { 'retry-after': '2' }, body: { message: 'You have exceeded a secondary rate limit' } }, { body: { ok: 1 } }];
    const waits: number[] = [];
    const c = client({ sleep: (ms) => (waits.push(ms), Promise.resolve()) });
    expect((await c.getJson<{ ok: number }>('/limited')).data.ok).toBe(1);
    expect(waits).toEqual([2]); // 2000 ms × delayScale 0.001
    expect(server.requests.filter((q) => q.url === '/limited').map((q) => q.status)).toEqual([429, 200]);
  });

  it('fails fast when the primary rate limit resets too far in the future', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    server.routes['GET /exhausted'] = { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded' } };
    await expect(client({ delayScale: 1 }).getJson('/exhausted')).rejects.toThrow(/HTTP 403: API rate limit exceeded/);
    expect(server.requests.filter((q) => q.url === '/exhausted')).toHaveLength(1);
  });

  it('gives up after the retry budget on a persistent 503', async () => {
    server.routes['GET /down'] = { status: 503, body: { message: 'Unavailable' } };
    await expect(client({ maxRetries: 2 }).getJson('/down')).rejects.toThrow(/HTTP 503/);
    expect(server.requests.filter((q) => q.url === '/down')).toHaveLength(3);
  });

  it('follows Link rel="next" pagination up to the page bound', async () => {
    server.routes['GET /list?page=1'] = { headers: { link: `<${server.url}/list?page=2>; rel="next"` }, body: [1, 2] };
    server.routes['GET /list?page=2'] = { headers: { link: `<${server.url}/list?page=3>; rel="next"` }, body: [3] };
    server.routes['GET /list?page=3'] = { body: [4] };
    expect(await client().getPaginated<number>('/list?page=1', 5)).toEqual({ items: [1, 2, 3, 4], complete: true, cache: 'miss' });
    expect(await client().getPaginated<number>('/list?page=1', 2)).toMatchObject({ items: [1, 2, 3], complete: false });
  });

  it('uses the GHES /api/v3 prefix', async () => {
    expect(apiBaseUrl('ghe.example.com', {})).toBe('https://ghe.example.com/api/v3');
    expect(apiBaseUrl('github.com', {})).toBe('https://api.github.com');
    expect(apiBaseUrl(undefined, {})).toBe('https://api.github.com');
    expect(apiBaseUrl('ghe.example.com', { PIPEWARDEN_GITHUB_API_URL: 'http://127.0.0.1:1/api/v3/' })).toBe('http://127.0.0.1:1/api/v3');
    expect(() => apiBaseUrl('evil.com/x?', {})).toThrow(/not a host name/);
    const ghes = await startFakeGithub(loadFixture('github-api.json'), { prefix: '/api/v3' });
    try {
      const c = new GithubClient({ baseUrl: `${ghes.url}/api/v3`, cacheDir: null });
      expect((await c.getJson<{ default_branch: string }>('/repos/good/action')).data.default_branch).toBe('main');
      expect(ghes.requests.map((r) => r.url)).toEqual(['/api/v3/repos/good/action']);
      expect(ghes.requests[0]!.headers.authorization).toBeUndefined(); // anonymous
    } finally {
      await ghes.close();
    }
  });

  it('falls back to the stale cache when the server is down, with a note', async () => {
    const warm = await prefetch(client(), usesOfModel(model()));
    await server.close();
    const offline = client({ maxRetries: 0 });
    const { facts, diagnostics } = await prefetch(offline, usesOfModel(model()));
    expect(offline.stats.stale).toBeGreaterThan(0);
    expect(diagnostics.map((d) => d.level)).toContain('note');
    expect(diagnostics.find((d) => d.message.includes('may be out of date'))?.message).toMatch(/could not be reached; used \d+ cached responses that may be out of date/);
    expect(brief(audit(facts))).toEqual(brief(audit(warm.facts)));
    server = await startFakeGithub({}); // for afterEach
  });

  it('with the server down and no cache, reports one diagnostic and no findings', async () => {
    await server.close();
    const { facts, diagnostics } = await prefetch(client({ maxRetries: 0, cacheDir: mkdtempSync(join(tmpdir(), 'pw-empty-')) }), usesOfModel(model()));
    expect(facts.available).toBe(false);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ level: 'warning' });
    expect(diagnostics[0]!.message).toMatch(/could not be reached and nothing is cached .*online rules were skipped/);
    expect(audit(facts)).toEqual([]);
    server = await startFakeGithub({});
  });

  it('resolves pins for fix --online (404 → unknown)', async () => {
    const resolve = onlinePinResolver(client());
    expect(await resolve('good', 'action', 'v1.2.0')).toBe('a1'.repeat(20));
    expect(await resolve('good', 'action', 'nope')).toBeUndefined();
  });

  it('never writes a token into the cache directory', async () => {
    await client().getJson('/repos/good/action');
    for (const f of readdirSync(join(cacheDir, 'http'))) {
      const text = readFileSync(join(cacheDir, 'http', f), 'utf8');
      expect(text).not.toMatch(/test-token|authorization/i);
    }
    writeFileSync(join(cacheDir, 'http', 'corrupt.json'), '{');
  });
});
