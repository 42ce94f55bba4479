import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, tree } from '../helpers.js';
import { loadFixture, startFakeGithub, type FakeGithub } from './server.js';

const WORKFLOW = readFileSync(new URL('./fixtures/workflow.yml', import.meta.url), 'utf8');

/** Async spawn: the fake API server lives in this process, so the event loop must keep running. */
function run(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', PIPEWARDEN_RETRY_DELAY_SCALE: '0.001', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface JsonReport {
  findings: Array<{ ruleId: string; location: { startLine: number }; message: string }>;
}

let server: FakeGithub;
let cacheDir: string;
let repo: string;
beforeEach(async () => {
  server = await startFakeGithub(loadFixture('github-api.json'));
  cacheDir = mkdtempSync(join(tmpdir(), 'pw-e2e-cache-'));
  repo = tree({ '.github/workflows/ci.yml': WORKFLOW });
});
afterEach(async () => {
  await server.close();
});

const at = (r: JsonReport, id: string): number[] => r.findings.filter((f) => f.ruleId === id).map((f) => f.location.startLine);

describe('pipewarden audit --online (built CLI against a local fake GitHub API)', () => {
  it('prefetches with the token from GH_TOKEN and reports online findings', async () => {
    const r = await run(['audit', '.', '--online', '--format', 'json', '--no-exit-code'], { GH_TOKEN: 'e2e-token', PIPEWARDEN_GITHUB_API_URL: server.url, PIPEWARDEN_CACHE_DIR: cacheDir }, repo);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    // The advisory exists only in the (fake) GitHub advisory database, not in the shipped list.
    expect(at(report, 'known-vulnerable-actions')).toEqual([22]);
    expect(at(report, 'impostor-commit')).toEqual([10]);
    expect(at(report, 'ref-confusion')).toEqual([18]);
    expect(at(report, 'stale-action-refs')).toEqual([12]);
    expect(at(report, 'ref-version-mismatch')).toEqual([14]);
    expect(at(report, 'transitive-actions')).toEqual([8, 8, 8, 8]);
    expect(server.requests.length).toBeGreaterThan(10);
    expect(server.requests.every((q) => q.headers.authorization === 'Bearer e2e-token')).toBe(true);

    // Second run: everything revalidates with If-None-Match and comes back 304.
    const before = server.requests.length;
    const again = await run(['audit', '.', '--online', '--format', 'json', '--no-exit-code'], { GH_TOKEN: 'e2e-token', PIPEWARDEN_GITHUB_API_URL: server.url, PIPEWARDEN_CACHE_DIR: cacheDir }, repo);
    expect(JSON.parse(again.stdout)).toEqual(report);
    const second = server.requests.slice(before).filter((q) => q.status === 200 || q.status === 304);
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((q) => q.status === 304 && typeof q.headers['if-none-match'] === 'string')).toBe(true);
  });

  it('without --online makes no request and finds no online-only advisory', async () => {
    const r = await run(['audit', '.', '--format', 'json', '--no-exit-code'], { PIPEWARDEN_GITHUB_API_URL: server.url, PIPEWARDEN_CACHE_DIR: cacheDir }, repo);
    expect(at(JSON.parse(r.stdout) as JsonReport, 'known-vulnerable-actions')).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('--gh-hostname targets /api/v3 (here through the test URL override) and notes anonymous access', async () => {
    const ghes = await startFakeGithub(loadFixture('github-api.json'), { prefix: '/api/v3' });
    try {
      const r = await run(['audit', '.', '--online', '--gh-hostname', 'ghe.example.com', '--format', 'json', '--no-exit-code'], { PIPEWARDEN_GITHUB_API_URL: `${ghes.url}/api/v3`, PIPEWARDEN_CACHE_DIR: cacheDir }, repo);
      expect(at(JSON.parse(r.stdout) as JsonReport, 'known-vulnerable-actions')).toEqual([22]);
      expect(ghes.requests.every((q) => q.url.startsWith('/api/v3/') && q.headers.authorization === undefined)).toBe(true);
      expect(r.stderr).toContain('no GitHub token');
    } finally {
      await ghes.close();
    }
  });

  it('server down and no cache: one warning on stderr, no online findings, normal exit', async () => {
    await server.close();
    const r = await run(['audit', '.', '--online', '--format', 'json', '--no-exit-code'], { GH_TOKEN: 't', PIPEWARDEN_GITHUB_API_URL: server.url, PIPEWARDEN_CACHE_DIR: cacheDir }, repo);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --online: the GitHub API at http:\/\/127\.0\.0\.1:\d+ could not be reached and nothing is cached/);
    expect(at(JSON.parse(r.stdout) as JsonReport, 'known-vulnerable-actions')).toEqual([]);
    server = await startFakeGithub({});
  });

  it('fix --online pins a tag to its commit through the API', async () => {
    const dir = tree({ '.github/workflows/ci.yml': 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: good/action@v1.2.0\n' });
    const r = await run(['fix', '.', '--online', '--dry-run'], { GH_TOKEN: 't', PIPEWARDEN_GITHUB_API_URL: server.url, PIPEWARDEN_CACHE_DIR: cacheDir }, dir);
    expect(r.stdout).toContain(`+      - uses: good/action@${'a1'.repeat(20)} # v1.2.0`);
  });
});

