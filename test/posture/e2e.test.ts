import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, cliAsync, REPO } from '../helpers.js';
import { sarifSchemaErrors } from '../sarif-schema.js';
import { startFakeApi, type FakeApi } from './server.js';

const EXAMPLE = join(REPO, 'examples/posture/github');
const temps: string[] = [];
let api: FakeApi | undefined;

function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'pw-posture-'));
  temps.push(d);
  return d;
}

afterEach(async () => {
  await api?.close();
  api = undefined;
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A live run against the fake API: no cache, tiny retry delays, a token. */
function live(args: string[], env: Record<string, string> = {}) {
  return cliAsync(['posture', 'github:acme-widgets', '--online', '--no-cache', ...args], {
    env: { PIPEWARDEN_GITHUB_API_URL: api!.url, GITHUB_TOKEN: 'test-token-not-real', GH_TOKEN: '', PIPEWARDEN_RETRY_DELAY_SCALE: '0.001', PIPEWARDEN_POSTURE_NOW: '2026-11-30T12:00:00.000Z', ...env },
  });
}

function findings(stdout: string): Array<{ ruleId: string; severity: string; message: string; location: { file: string; startLine: number } }> {
  return (JSON.parse(stdout) as { findings: Array<{ ruleId: string; severity: string; message: string; location: { file: string; startLine: number } }> }).findings;
}

describe('posture --from-snapshot (examples/posture/github)', () => {
  it('reproduces the findings shown in the README, exactly', () => {
    const r = cli(['posture', '--from-snapshot', 'examples/posture/github', '--min-severity', 'high']);
    expect(r.code).toBe(1);
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const block = /<!-- posture-example:start -->\n```text\n([\s\S]*?)```\n<!-- posture-example:end -->/.exec(readme);
    expect(block, 'README has a posture example block').not.toBeNull();
    expect(r.stdout).toBe(block![1]);
  });

  it('writes SARIF with the repository URL as the location, valid against the 2.1.0 schema', () => {
    const r = cli(['posture', '--from-snapshot', 'examples/posture/github', '--format', 'sarif']);
    const doc = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: unknown } }> }> }> };
    expect(sarifSchemaErrors(doc)).toEqual([]);
    const unprotected = doc.runs[0]!.results.find((x) => x.ruleId === 'posture/default-branch-unprotected')!;
    expect(unprotected.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'https://github.com/acme-widgets/website' } });
    const fork = doc.runs[0]!.results.find((x) => x.ruleId === 'posture/fork-pr-runs-without-approval')!;
    expect(fork.locations[0]!.physicalLocation.region).toEqual({ startLine: 10, startColumn: 1, endLine: 10, endColumn: 1 });
  });

  it('github and gitlab formats carry repository locations without a file line', () => {
    const gh = cli(['posture', '--from-snapshot', 'examples/posture/github', '--format', 'github']);
    expect(gh.stdout).toContain('::error title=posture/default-branch-unprotected::https://github.com/acme-widgets/website: default branch main');
    const gl = JSON.parse(cli(['posture', '--from-snapshot', 'examples/posture/github', '--format', 'gitlab']).stdout) as Array<{ check_name: string; location: { path: string; lines: { begin: number } } }>;
    expect(gl.find((i) => i.check_name === 'posture/default-branch-unprotected')!.location).toEqual({ path: 'https://github.com/acme-widgets/website', lines: { begin: 1, end: 1 } });
  });

  it('honours baselines and --fail-on', () => {
    const dir = temp();
    const baseline = join(dir, 'baseline.json');
    expect(cli(['posture', '--from-snapshot', 'examples/posture/github', '--write-baseline', baseline, '--format', 'json']).code).toBe(0);
    const again = cli(['posture', '--from-snapshot', 'examples/posture/github', '--baseline', baseline, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(findings(again.stdout)).toEqual([]);
    expect(cli(['posture', '--from-snapshot', 'examples/posture/github', '--fail-on', 'never']).code).toBe(0);
    expect(cli(['posture', '--from-snapshot', 'examples/posture/github', '--fail-on', 'critical', '--min-severity', 'critical']).code).toBe(1);
  });

  it('refuses a folder that is not a snapshot, and a live target without --online', () => {
    const r = cli(['posture', '--from-snapshot', temp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a posture snapshot \(no snapshot\.json\)/);
    const off = cli(['posture', 'github:acme-widgets']);
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('posture reads the GitHub API: add --online');
    expect(cli(['posture', 'github:../etc']).stderr).toContain('is not a valid GitHub organisation');
  });
});

describe('scan --posture', () => {
  it('joins posture findings to the audit and secrets gate', () => {
    const r = cli(['scan', 'examples', '--posture', 'examples/posture/github', '--format', 'json']);
    expect(r.code).toBe(1);
    const f = findings(r.stdout);
    expect(f.filter((x) => x.ruleId.startsWith('posture/')).length).toBe(36);
    expect(f.some((x) => !x.ruleId.startsWith('posture/'))).toBe(true);
    const off = cli(['scan', 'examples', '--posture', 'github:acme-widgets']);
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('--posture: posture reads the GitHub API: add --online');
  });
});

describe('posture against a local API server (127.0.0.1)', () => {
  it('a live scan gives the same findings as the snapshot, and --snapshot records what it read', async () => {
    api = await startFakeApi(EXAMPLE);
    const dir = join(temp(), 'recorded');
    const r = await live(['--format', 'json', '--snapshot', dir]);
    expect(r.stderr).toContain('recorded 72 API responses');
    const offline = cli(['posture', '--from-snapshot', 'examples/posture/github', '--format', 'json']);
    expect(findings(r.stdout)).toEqual(findings(offline.stdout));
    const replayed = cli(['posture', '--from-snapshot', dir, '--format', 'json']);
    expect(findings(replayed.stdout)).toEqual(findings(offline.stdout));
    // Paginated endpoints are asked for 100 at a time.
    expect(api.seen).toContain('/orgs/acme-widgets/repos?type=all&per_page=100');
  });

  it('401: stops with a clear message and exit 2', async () => {
    api = await startFakeApi(EXAMPLE, { overrides: { '/orgs/acme-widgets': { status: 401, body: { message: 'Bad credentials' } } } });
    const r = await live([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('GitHub rejected the token (HTTP 401: Bad credentials); check GITHUB_TOKEN');
    expect(r.stdout).toBe('');
  });

  it('403 without rate-limit headers: that check is "not evaluated" with the scope, nothing else changes', async () => {
    api = await startFakeApi(EXAMPLE, {
      overrides: { '/orgs/acme-widgets/actions/permissions': { status: 403, body: { message: 'Must have admin rights to Repository.' }, headers: { 'x-accepted-oauth-scopes': 'admin:org' } } },
    });
    const f = findings((await live(['--format', 'json'])).stdout);
    expect(f.filter((x) => x.ruleId === 'posture/actions-allowed-all')).toEqual([]);
    expect(f.filter((x) => x.ruleId === 'posture/not-evaluated').map((x) => x.message)).toEqual(['posture/actions-allowed-all not evaluated for acme-widgets: needs scope admin:org']);
  });

  it('403 with an exhausted rate limit far from reset: stops asking, says when it resets, reports the rest as not evaluated', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    api = await startFakeApi(EXAMPLE, {
      overrides: { '/repos/acme-widgets/api/keys': { status: 403, body: { message: 'API rate limit exceeded for user ID 1.' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } } },
    });
    const r = await live(['--format', 'json', '--max-wait', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: GitHub API rate limit exhausted; it resets at \d\d:\d\d UTC \(in \d+ min\)/);
    const ne = findings(r.stdout).filter((x) => x.ruleId === 'posture/not-evaluated');
    expect(ne.some((x) => /posture\/deploy-key-write not evaluated for .*acme-widgets\/api.*: API rate limit exhausted before this was read/.test(x.message))).toBe(true);
    // After the limit only requests already in flight (at most one per other repository worker) complete.
    const at = api.seen.findIndex((p) => p.startsWith('/repos/acme-widgets/api/keys'));
    expect(api.seen.slice(at + 1).filter((p) => !p.startsWith('/repos/acme-widgets/api/keys')).length).toBeLessThanOrEqual(3);
    expect(api.seen.length).toBeLessThan(60);
  });

  it('403 with a short rate-limit wait: waits (within --max-wait) and carries on', async () => {
    const reset = String(Math.floor(Date.now() / 1000));
    api = await startFakeApi(EXAMPLE, {
      overrides: {
        '/orgs/acme-widgets/hooks': [
          { status: 403, body: { message: 'API rate limit exceeded' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } },
          { status: 200, body: [] },
        ],
      },
    });
    const r = await live(['--format', 'json']);
    expect(findings(r.stdout).filter((x) => x.ruleId === 'posture/not-evaluated')).toEqual([]);
  });

  it('a personal access token cannot list fine-grained tokens (GitHub App only): that one check is "not evaluated", naming what it needs', async () => {
    api = await startFakeApi(EXAMPLE, {
      overrides: { '/orgs/acme-widgets/personal-access-tokens': { status: 403, body: { message: 'Resource not accessible by personal access token' } } },
    });
    const r = await live(['--format', 'json']);
    const f = findings(r.stdout);
    expect(f.filter((x) => x.ruleId === 'posture/fine-grained-pat-unbounded')).toEqual([]);
    expect(f.filter((x) => x.ruleId === 'posture/not-evaluated').map((x) => x.message)).toEqual([
      'posture/fine-grained-pat-unbounded not evaluated for acme-widgets: needs a GitHub App installation token with the organisation permission "Personal access tokens" (read); personal access tokens cannot list them',
    ]);
  });

  it('GitHub Enterprise Server (--gh-hostname): REST below /api/v3, GraphQL at /api/graphql, findings located on the server\'s web URL', async () => {
    api = await startFakeApi(EXAMPLE, { prefix: '/api/v3', webUrl: 'https://ghe.acme.example' });
    const r = await live(['--format', 'json', '--gh-hostname', 'ghe.acme.example']);
    const f = findings(r.stdout);
    const offline = findings(cli(['posture', '--from-snapshot', 'examples/posture/github', '--format', 'json']).stdout);
    expect(f.map((x) => [x.ruleId, x.location.file])).toEqual(offline.map((x) => [x.ruleId, x.location.file.replace('https://github.com/', 'https://ghe.acme.example/')]));
    expect(api.seen).toContain('/graphql'); // owner activity went to /api/graphql
    expect(f.some((x) => x.ruleId === 'posture/inactive-admin')).toBe(true);
  });

  it('404 for a feature the server lacks: "not evaluated", reason unsupported', async () => {
    api = await startFakeApi(EXAMPLE, { overrides: { '/orgs/acme-widgets/actions/permissions/fork-pr-contributor-approval': { status: 404, body: { message: 'Not Found' } } } });
    const f = findings((await live(['--format', 'json'])).stdout);
    expect(f.filter((x) => x.ruleId === 'posture/not-evaluated').map((x) => x.message)).toEqual([
      'posture/fork-pr-approval-weak not evaluated for acme-widgets: the server does not offer this endpoint (older version or feature not enabled)',
    ]);
  });

  it('5xx: retried; an error that persists makes only the affected checks "not evaluated"', async () => {
    api = await startFakeApi(EXAMPLE, {
      overrides: {
        '/orgs/acme-widgets/actions/runners': [{ status: 502, body: { message: 'Bad Gateway' } }, { status: 200, body: { total_count: 0, runners: [] } }],
        '/repos/acme-widgets/website/hooks': { status: 503, body: { message: 'Service Unavailable' } },
      },
    });
    const r = await live(['--format', 'json']);
    const f = findings(r.stdout);
    expect(f.filter((x) => x.ruleId === 'posture/runner-not-ephemeral')).toEqual([]);
    expect(f.filter((x) => x.ruleId === 'posture/not-evaluated').map((x) => x.message)).toEqual([
      'posture/webhook-insecure not evaluated for acme-widgets/website: HTTP 503: Service Unavailable',
    ]);
    expect(api.seen.filter((p) => p.startsWith('/repos/acme-widgets/website/hooks')).length).toBe(4);
  });
});

describe('posture against a local GitLab API (127.0.0.1)', () => {
  it('a live scan of the example group gives the same findings as its snapshot', async () => {
    api = await startFakeApi(join(REPO, 'examples/posture/gitlab'), { prefix: '/api/v4' });
    const r = await cliAsync(['posture', 'gitlab:acme-gl', '--online', '--no-cache', '--format', 'json'], {
      env: { PIPEWARDEN_GITLAB_API_URL: api.url, GITLAB_TOKEN: 'glpat-test-not-real', PIPEWARDEN_RETRY_DELAY_SCALE: '0.001', PIPEWARDEN_POSTURE_NOW: '2026-11-30T12:00:00.000Z' },
    });
    const offline = cli(['posture', '--from-snapshot', 'examples/posture/gitlab', '--format', 'json']);
    expect(findings(r.stdout)).toEqual(findings(offline.stdout));
    expect(findings(r.stdout).length).toBe(21);
    expect(api.seen[0]).toBe('/groups/acme-gl?with_projects=false');
  });

  it('401 from GitLab stops with a clear message', async () => {
    api = await startFakeApi(join(REPO, 'examples/posture/gitlab'), { prefix: '/api/v4', overrides: { '/groups/acme-gl': { status: 401, body: { message: '401 Unauthorized' } } } });
    const r = await cliAsync(['posture', 'gitlab:acme-gl', '--online', '--no-cache'], { env: { PIPEWARDEN_GITLAB_API_URL: api.url, GITLAB_TOKEN: 'glpat-test-not-real' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('GitLab rejected the token (HTTP 401: 401 Unauthorized); check GITLAB_TOKEN');
  });
});
