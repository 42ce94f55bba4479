/**
 * End-to-end: spawns the built CLI (`npm run build` first). A missing or stale build fails
 * the file (test/setup.ts) rather than skipping it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, GH_PAT, GH_PAT_2, initRepo, leaks, tempDir, write } from './fixtures.js';
import { Fake, Rng } from '../../src/secrets/detectors/fake.js';

const MAIN = resolve(__dirname, '../../dist/cli/main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Every piece of the secret long enough to matter, plain or encoded (fixtures.ts leakedForms). */
function expectNoSecret(text: string, secret: string): void {
  expect(leaks(text, [secret])).toEqual([]);
}

describe('pipewarden secrets (built CLI)', () => {
  let repo: string;

  beforeAll(() => {
    repo = tempDir('pw-e2e-');
    initRepo(repo);
    write(repo, 'src/config.ts', `export const token = "${GH_PAT}";\n`);
    write(repo, 'k8s/secret.yaml', `kind: Secret\ndata:\n  token: ${Buffer.from(`GH=${GH_PAT_2}`).toString('base64')}\n`);
    commitAll(repo, 'leak', { author: 'Mallory', email: 'mallory@example.com' });
  });

  it.each(['text', 'json', 'sarif', 'github', 'gitlab'])('never prints the secret: --format %s', async (format) => {
    for (const extra of [[], ['--git']]) {
      const r = await cli(['secrets', repo, '--format', format, '--color', 'always', ...extra]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout.length).toBeGreaterThan(0);
      for (const s of [GH_PAT, GH_PAT_2]) {
        expectNoSecret(r.stdout, s);
        expectNoSecret(r.stderr, s);
      }
      expect(r.stdout).toContain('ghp_********');
    }
  });

  it('json output carries the finding shape, and git properties with --git', async () => {
    const r = await cli(['secrets', repo, '--git', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; location: { file: string; startLine: number }; properties: Record<string, string> }> };
    const f = report.findings.find((x) => x.location.file === 'src/config.ts');
    expect(f?.ruleId).toBe('secrets/github-pat-classic');
    expect(f?.properties).toMatchObject({ author: 'Mallory', email: 'mallory@example.com', detector: 'github-pat-classic', commit: git(repo, ['rev-parse', 'HEAD']).trim() });
  });

  it('worker threads give the same report as the main thread', async () => {
    const dir = tempDir();
    for (let i = 0; i < 300; i++) write(dir, `d${i % 7}/f${i}.txt`, i % 50 === 0 ? `x = "${GH_PAT}"\n` : `nothing ${i}\n`);
    write(dir, 'img.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
    const one = await cli(['secrets', dir, '-f', 'json'], { env: { PIPEWARDEN_WORKERS: '1' } });
    const two = await cli(['secrets', dir, '-f', 'json'], { env: { PIPEWARDEN_WORKERS: '2' } });
    expect(JSON.parse(one.stdout).findings.length).toBe(6);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  it('--output writes the file, nothing leaks there either', async () => {
    const out = join(tempDir(), 'r.sarif');
    const r = await cli(['secrets', repo, '-f', 'sarif', '-o', out, '--no-exit-code']);
    expect(r.code).toBe(0);
    const sarif = readFileSync(out, 'utf8');
    expectNoSecret(sarif, GH_PAT);
    expect(JSON.parse(sarif).runs[0].results.length).toBe(2);
  });

  it('outside a git repository, DIR/pipewarden.yml applies whatever the working directory', async () => {
    const dir = tempDir('pw-nogit-');
    write(dir, 'kept.txt', `x = "${GH_PAT}"\n`);
    write(dir, 'ignored.txt', `x = "${GH_PAT_2}"\n`);
    write(dir, 'pipewarden.yml', 'secrets:\n  paths-ignore: [ignored.txt]\n');
    const r = await cli(['secrets', dir, '-f', 'json'], { cwd: tempDir('pw-elsewhere-') });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; location: { file: string } }> };
    expect(report.findings.map((f) => `${f.location.file} ${f.ruleId}`)).toEqual(['kept.txt secrets/github-pat-classic']);
  });

  it('a PEM key inside a JSON string is reported once, where it is written', async () => {
    const dir = tempDir('pw-pem-');
    const pem = new Fake(new Rng(5150)).pem('pkcs8');
    write(dir, 'tls.json', `{"tls":{"key":${JSON.stringify(pem)}}}\n`);
    const r = await cli(['secrets', dir, '-f', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; message: string; location: { file: string; startLine: number; startColumn: number } }> };
    expect(report.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId} ${f.message}`)).toEqual([
      'tls.json:1:16 secrets/private-key Private key (PEM: PKCS#8, RSA, EC, DSA) ----******** found',
    ]);
    expectNoSecret(r.stdout, pem.split('\n')[1]!);
  });

  it('UTF-16 without a BOM (PowerShell Out-File) is scanned through the worker pool; a binary file with NULs is still skipped', async () => {
    const dir = tempDir('pw-u16-');
    write(dir, 'deploy.ps1', Buffer.from(`# deploy (Müller)\r\n$env:GITHUB_TOKEN = "${GH_PAT}"\r\n`, 'utf16le'));
    write(dir, 'blob.bin', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]), Buffer.from(`$env:T = "${GH_PAT_2}"`, 'utf16le')]));
    const r = await cli(['secrets', dir, '--color', 'never'], { env: { PIPEWARDEN_WORKERS: '2' } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'deploy.ps1:2:22: critical[high] secrets/github-pat-classic: GitHub personal access token (classic) ghp_******** found',
      '  2 | $env:GITHUB_TOKEN = "ghp_************************************"',
      '    |                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    ]);
    expect(r.stdout).toContain('1 finding (1 critical)');
    expect(r.stderr).toBe('blob.bin: note: binary file; skipped\n');
    expectNoSecret(r.stdout + r.stderr, GH_PAT);
    expectNoSecret(r.stdout + r.stderr, GH_PAT_2);
  });

  it('CI/CD file formats: curl/wget command lines, nuget.config, Kubernetes Secrets, escaped DOCKER_AUTH_CONFIG', async () => {
    const dir = tempDir('pw-cicd-');
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    write(dir, 'deploy.sh', 'curl -u deploybot:Vq7rT2mXk9Lp https://artifacts.internal.corp/up\nwget --password=Pz4Mw8Tq2Rn6 https://files.internal.corp/a.tgz\n');
    write(dir, 'nuget.config', '<configuration><packageSourceCredentials><corp>\n  <add key="ClearTextPassword" value="Nf93kLq2Zx7Wm4" />\n</corp></packageSourceCredentials></configuration>\n');
    write(dir, 'secret.yaml', `apiVersion: v1\nkind: Secret\ndata:\n  username: ${b64('admin')}\n  db-password: ${b64('Wq82nVz4LkT9')}\nstringData:\n  api-token: hK29dLs8vN3qPz7RmX4t\n`);
    write(dir, '.gitlab-ci.yml', `variables:\n  DOCKER_AUTH_CONFIG: "{\\"auths\\":{\\"registry.corp.io\\":{\\"auth\\":\\"${b64('robot:Jr84nXk2Wq7Lz5')}\\"}}}"\n`);
    const r = await cli(['secrets', dir, '-f', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; message: string; confidence: string; location: { file: string; startLine: number; startColumn: number } }> };
    expect(report.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId} ${f.confidence} ${f.message}`)).toEqual([
      '.gitlab-ci.yml:2:69 secrets/docker-config-auth high Docker registry credentials (config.json auth) robo******** found',
      'deploy.sh:1:19 secrets/curl-user-password medium Password in a curl -u/--user argument Vq7******** found',
      'deploy.sh:2:17 secrets/wget-password medium Password in a wget --password argument Pz4******** found',
      'nuget.config:2:39 secrets/nuget-cleartext-password medium NuGet feed password (nuget.config ClearTextPassword) Nf9******** found',
      'secret.yaml:5:16 secrets/kubernetes-secret medium Value of a Kubernetes Secret manifest Wq8******** under key "db-password" found',
      'secret.yaml:7:14 secrets/kubernetes-secret medium Value of a Kubernetes Secret manifest hK29******** under key "api-token" found',
    ]);
    for (const s of ['Vq7rT2mXk9Lp', 'Pz4Mw8Tq2Rn6', 'Nf93kLq2Zx7Wm4', 'Wq82nVz4LkT9', 'hK29dLs8vN3qPz7RmX4t', 'Jr84nXk2Wq7Lz5']) expectNoSecret(r.stdout, s);
  });

  it('exit codes: 2 for a missing path, a non-repository with --git, bad flag combinations', async () => {
    const missing = await cli(['secrets', join(repo, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or directory/);
    const norepo = await cli(['secrets', tempDir('pw-norepo-'), '--git']);
    expect(norepo.code).toBe(2);
    expect(norepo.stderr).toMatch(/not a git repository/);
    const both = await cli(['secrets', repo, '--git', '--staged']);
    expect(both.code).toBe(2);
    const since = await cli(['secrets', repo, '--since', 'nope']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/not a commit/);
    const size = await cli(['secrets', repo, '--max-file-size', 'ten']);
    expect(size.code).toBe(2);
  });

  it('--stdin: GitHub Actions log with timestamps and *** masks', async () => {
    const log = ['2024-01-01T00:00:00.0000000Z token: ***', `2024-01-01T00:00:01.0000000Z export GH=${GH_PAT}`].join('\n');
    const r = await cli(['secrets', '--stdin', '--format', 'json'], { input: log });
    const report = JSON.parse(r.stdout) as { findings: Array<{ location: { file: string; startLine: number; startColumn: number } }> };
    expect(report.findings.map((f) => [f.location.file, f.location.startLine, f.location.startColumn])).toEqual([['<stdin>', 2, 11]]);
    expectNoSecret(r.stdout + r.stderr, GH_PAT);
  });

  it('--staged for pre-commit hooks', async () => {
    const dir = tempDir('pw-e2e-staged-');
    initRepo(dir);
    write(dir, 'a.txt', 'clean\n');
    commitAll(dir, 'init');
    write(dir, 'a.txt', `clean\nGH=${GH_PAT}\n`);
    git(dir, ['add', 'a.txt']);
    const r = await cli(['secrets', '--staged', '-q'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/a\.txt:2:4/);
    git(dir, ['reset', '-q']);
    const clean = await cli(['secrets', '--staged', '-q'], { cwd: dir });
    expect(clean.code).toBe(0);
  });

  it('pipewarden:allow on the line suppresses the finding', async () => {
    const dir = tempDir();
    write(dir, 'a.ts', `const t = "${GH_PAT}"; // pipewarden:allow test fixture\n`);
    const r = await cli(['secrets', dir, '-f', 'json']);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });

  it('--help shows examples', async () => {
    const r = await cli(['secrets', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--git/);
    expect(r.stdout).toMatch(/Examples:/);
  });

  it('`pipewarden rules secrets/<id>` prints the scanner README', async () => {
    const r = await cli(['rules', 'secrets/url-credentials']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Secrets scanner/);
    const list = await cli(['rules']);
    expect(list.stdout).toMatch(/secrets\/github-pat-classic/);
  });

  it('a multi-megabyte report survives a pipe', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 4000 }, (_, i) => `url${i} = postgres://app:Zq8xP2vLm9wK${i}@db${i}.corp.net/app`);
    write(dir, 'many.txt', lines.join('\n'));
    const r = await cli(['secrets', dir, '-f', 'json', '--no-exit-code']);
    expect(r.stdout.length).toBeGreaterThan(1 << 20);
    expect(JSON.parse(r.stdout).findings.length).toBe(4000);
  });

  describe('--verify against a local fake GitHub', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        const live = req.headers.authorization === `token ${GH_PAT}`;
        res.writeHead(live ? 200 : 401, { 'content-type': 'application/json' });
        res.end('{}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it('live raises severity to critical, invalid keeps it', async () => {
      const r = await cli(['secrets', repo, '--verify', '--online', '-f', 'json'], { env: { PIPEWARDEN_VERIFY_GITHUB_URL: url } });
      const report = JSON.parse(r.stdout) as { findings: Array<{ severity: string; location: { file: string }; properties: Record<string, string> }> };
      const byFile = Object.fromEntries(report.findings.map((f) => [f.location.file, [f.severity, f.properties.verified]]));
      expect(byFile['src/config.ts']).toEqual(['critical', 'live']);
      expect(byFile['k8s/secret.yaml']?.[1]).toBe('invalid');
    });
  });
});
