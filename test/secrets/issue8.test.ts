/**
 * Issue 8, the secrets half, end to end through the built CLI: inputs that hung the scanner,
 * the time budget per file (`scan-timeout`), secrets printed in code frames, unreadable git
 * objects and shallow clones, and the `--verify` and `formatCheck` wording.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliAsync as cli, REPO } from '../helpers.js';
import { AWS_KEY_ID, AWS_SECRET, commitAll, GH_PAT, GH_PAT_2, GH_PAT_3, git, initRepo, leaks, NPM_TOKEN, PASSWORD, SLACK_BOT, tempDir, write } from './fixtures.js';

/** Inputs that never finished before: a JSON-escape scan moved its search backwards. */
const HANGERS = {
  'six.txt': '"\\\\"\\n',
  'paths.js': `const p = "C:\\\\" + name + '\\n';\n`,
};

describe('item 1: inputs that hung the scanner finish, in every source', () => {
  const dir = tempDir('pw-hang-');
  initRepo(dir);
  for (const [name, text] of Object.entries(HANGERS)) write(dir, name, text);
  commitAll(dir, 'hangers');
  const clean = { code: 0, stdout: 'no findings\n', stderr: '' };

  it('the six-byte file is six bytes', async () => {
    expect(Buffer.byteLength(HANGERS['six.txt'])).toBe(6);
  });

  it.each(Object.keys(HANGERS))('secrets FILE: %s', async (name) => {
    expect(await cli(['secrets', join(dir, name)])).toEqual(clean);
  });

  it('secrets DIR, --git, --staged, --stdin, scan', async () => {
    expect(await cli(['secrets', dir])).toEqual(clean);
    expect(await cli(['secrets', '--git'], { cwd: dir })).toEqual(clean);
    write(dir, 'staged.js', HANGERS['paths.js']);
    git(dir, ['add', 'staged.js']);
    expect(await cli(['secrets', '--staged'], { cwd: dir })).toEqual(clean);
    expect(await cli(['secrets', '--stdin'], { input: Object.values(HANGERS).join('') })).toEqual(clean);
    expect(await cli(['scan', dir, '-q'])).toEqual(clean);
  });

  it.each(['node_modules/esquery', 'node_modules/@vitest/snapshot'])('the packages that hung: %s', async (pkg) => {
    const r = await cli(['secrets', join(REPO, pkg), '--no-ignore', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('item 1: a time budget per file; past it, scan-timeout and the scan moves on', () => {
  // A custom detector with a polynomial regex (the config's safety check only rejects exponential
  // ones): on a long run of digits one match never ends, so only the pool's watchdog can stop it.
  const config = `secrets:\n  detectors:\n    - id: acme-slow\n      regex: 'acme (?:\\d+\\d+\\d+\\d+\\d+x)'\n      keywords: ['acme']\n`;
  const slow = `acme ${'1'.repeat(3000)}\n`;
  const budget = ['--file-timeout', '0.5'];
  const timeout = (where: string, note = '', what = 'file'): string =>
    `${where}: error: scan-timeout: not scanned to the end${note}: the 0.5 s budget per ${what} ran out in detector acme-slow; raise it with --file-timeout\n`;

  function repo(): string {
    const dir = tempDir('pw-budget-');
    initRepo(dir);
    write(dir, 'pipewarden.yml', config);
    write(dir, 'slow.txt', slow);
    write(dir, 'leak.txt', `GH=${GH_PAT}\n`);
    return dir;
  }

  it('tree: the slow file is reported, the other file is still scanned, the gate fails', async () => {
    const dir = repo();
    const r = await cli(['secrets', dir, ...budget, '-f', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ location: { file: string } }>; diagnostics: unknown[] };
    expect(report.findings.map((f) => f.location.file)).toEqual(['leak.txt']);
    expect(report.diagnostics).toEqual([
      {
        level: 'error',
        file: 'slow.txt',
        message: 'scan-timeout: not scanned to the end: the 0.5 s budget per file ran out in detector acme-slow; raise it with --file-timeout',
        code: 'scan-timeout',
        failsGate: true,
      },
    ]);
    expect(r.stderr).toBe(timeout('slow.txt'));
  });

  it('text says so in the summary; SARIF marks the run unsuccessful; --no-exit-code and --fail-on never still pass', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'leak.txt'), 'nothing here\n');
    const text = await cli(['secrets', dir, ...budget]);
    expect(text).toEqual({ code: 1, stdout: 'no findings; 1 input was not fully checked (errors on stderr)\n', stderr: timeout('slow.txt') });
    const sarif = JSON.parse((await cli(['secrets', dir, ...budget, '-f', 'sarif'])).stdout) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ descriptor?: { id: string } }> }> }> };
    expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.descriptor).toEqual({ id: 'scan-timeout' });
    expect((await cli(['secrets', dir, ...budget, '--no-exit-code'])).code).toBe(0);
    expect((await cli(['secrets', dir, ...budget, '--fail-on', 'never'])).code).toBe(0);
  });

  it('--git, --staged and --stdin have the same budget', async () => {
    const dir = repo();
    const commit = commitAll(dir, 'slow');
    const history = await cli(['secrets', '--git', ...budget], { cwd: dir });
    expect(history.code).toBe(1);
    expect(history.stderr).toBe(timeout('slow.txt', ` (commit ${commit})`));
    write(dir, 'again.txt', slow);
    git(dir, ['add', 'again.txt']);
    const staged = await cli(['secrets', '--staged', ...budget], { cwd: dir });
    expect(staged).toEqual({ code: 1, stdout: 'no findings; 1 input was not fully checked (errors on stderr)\n', stderr: timeout('again.txt') });
    const stdin = await cli(['secrets', '--stdin', ...budget], { cwd: dir, input: `first line\n${slow}` });
    expect(stdin.code).toBe(1);
    expect(stdin.stderr).toBe(timeout('<stdin>:1', ' (lines 1-2)', 'block of input'));
  });

  it('--file-timeout takes seconds, ms or minutes, and rejects nonsense', async () => {
    const r = await cli(['secrets', '.', '--file-timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--file-timeout: "soon" is not a duration/);
  });
});

describe('item 2: no output shows a secret, in any frame, format or command', () => {
  const secrets = [GH_PAT, GH_PAT_2, GH_PAT_3, AWS_KEY_ID, AWS_SECRET, SLACK_BOT, PASSWORD, NPM_TOKEN];
  const b64 = Buffer.from(`github_token: ${GH_PAT_2}\n`).toString('base64');
  const hex = Buffer.from(`token=${GH_PAT_3}`).toString('hex');

  function repo(): string {
    const dir = tempDir('pw-mask-');
    initRepo(dir);
    write(
      dir,
      '.github/workflows/ci.yml',
      [
        'on: push',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    env:',
        `      GH_TOKEN: ${GH_PAT}`,
        `      AWS_ACCESS_KEY_ID: ${AWS_KEY_ID}`,
        `      AWS_SECRET_ACCESS_KEY: ${AWS_SECRET}`,
        `      SLACK_TOKEN: ${SLACK_BOT}`,
        `      BLOB: ${b64}`,
        `      HEX: ${hex}`,
        '    container:',
        '      image: ghcr.io/acme/build:1@sha256:0000000000000000000000000000000000000000000000000000000000000000',
        '      credentials:',
        '        username: ci',
        `        password: ${PASSWORD}`,
        '    steps:',
        '      - run: make',
        '',
      ].join('\n'),
    );
    write(dir, '.github/workflows/broken.yml', `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      TOKEN: "${NPM_TOKEN}" trailing\n`);
    commitAll(dir, 'leaks');
    return dir;
  }

  it('audit frames star out the credentials (hardcoded-credentials, syntax-error, anything the engine finds)', async () => {
    const dir = repo();
    const r = await cli(['audit', dir, '--min-severity', 'info']);
    expect(leaks(r.stdout + r.stderr, secrets)).toEqual([]);
    const frames = r.stdout.split('\n').filter((l) => /^ +\d+ \| /.test(l));
    expect([...new Set(frames)]).toEqual([
      `  6 |       TOKEN: "npm_${'*'.repeat(36)}" trailing`,
      `  6 |       GH_TOKEN: ghp_${'*'.repeat(36)}`,
      `  7 |       AWS_ACCESS_KEY_ID: AKIA${'*'.repeat(16)}`,
      `  8 |       AWS_SECRET_ACCESS_KEY: wJal${'*'.repeat(36)}`,
      `  9 |       SLACK_TOKEN: xoxb${'*'.repeat(SLACK_BOT.length - 4)}`,
      `  16 |         password: Tr0u${'*'.repeat(PASSWORD.length - 4)}`,
    ]);
  });

  it.each(['text', 'json', 'sarif', 'github', 'gitlab'])('--format %s: audit, scan, secrets (tree, --git, --stdin)', async (format) => {
    const dir = repo();
    const runs = [
      await cli(['audit', dir, '-f', format, '--min-severity', 'info']),
      await cli(['scan', dir, '-f', format, '--min-severity', 'info']),
      await cli(['secrets', dir, '-f', format]),
      await cli(['secrets', '--git', '-f', format], { cwd: dir }),
      await cli(['secrets', '--stdin', '-f', format], { input: secrets.map((s) => `export X=${s}`).join('\n') + `\n${b64}\n${hex}\n` }),
    ];
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(leaks(r.stdout + r.stderr, secrets)).toEqual([]);
    }
  });

  it('secrets inside a blob in a frame line are starred out with the blob', async () => {
    const dir = repo();
    const r = await cli(['scan', dir]);
    expect(r.stdout).toContain(`  10 |       BLOB: ${b64.slice(0, 4)}${'*'.repeat(b64.length - 4)}`);
    expect(r.stdout).toContain(`  11 |       HEX: ${hex.slice(0, 4)}${'*'.repeat(hex.length - 4)}`);
  });
});

describe('item 9: history with unreadable objects, and shallow clones', () => {
  it('a corrupt blob: everything readable is scanned, the object is reported, the gate fails', async () => {
    const dir = tempDir('pw-corrupt-');
    initRepo(dir);
    write(dir, 'config.py', `TOKEN = "${GH_PAT}"\n`);
    commitAll(dir, 'leak', { date: '2024-01-01T00:00:00Z' });
    write(dir, 'notes.txt', 'later\n');
    const later = commitAll(dir, 'later', { date: '2024-01-02T00:00:00Z' });
    const blob = git(dir, ['rev-parse', `${later}:notes.txt`]).trim();
    const file = join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, 'garbage');
    const r = await cli(['secrets', '--git', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; location: { file: string } }>; diagnostics: unknown[] };
    expect(report.findings.map((f) => [f.ruleId, f.location.file])).toEqual([['secrets/github-pat-classic', 'config.py']]);
    const message = `history: object ${blob} (added in commit ${later}) cannot be read (corrupt or missing); not scanned`;
    expect(report.diagnostics).toEqual([{ level: 'error', file: 'notes.txt', message, code: 'unreadable-object', failsGate: true }]);
    expect(r.stderr).toBe(`notes.txt: error: ${message}\n`);
  });

  it('a shallow clone: history is truncated, and where', async () => {
    const dir = tempDir('pw-deep-');
    initRepo(dir);
    write(dir, 'a.txt', 'one\n');
    commitAll(dir, 'one', { date: '2024-01-01T00:00:00Z' });
    write(dir, 'a.txt', 'two\n');
    const boundary = commitAll(dir, 'two', { date: '2024-01-02T00:00:00Z' });
    const clone = tempDir('pw-shallow-');
    git(clone, ['clone', '-q', '--depth', '1', `file://${dir}`, '.']);
    expect(await cli(['secrets', '--git'], { cwd: clone })).toEqual({
      code: 0,
      stdout: 'no findings\n',
      stderr: `warning: history is truncated: this is a shallow clone, so the history before commit ${boundary.slice(0, 12)} (2024-01-02T00:00:00+00:00) is not in the repository and was not scanned (the boundary commit is scanned as if every file were added); run \`git fetch --unshallow\` to scan all of it\n`,
    });
  });
});

describe('smaller things', () => {
  it('formatCheck: passed says what was checked (not "validation: valid", which read like verified live)', async () => {
    const dir = tempDir();
    write(dir, 'a.txt', `GH=${GH_PAT}\n`);
    const r = await cli(['secrets', dir]);
    expect(r.stdout).toContain('  = formatCheck: passed\n');
    expect(r.stdout).not.toMatch(/validation/);
  });

  it('--verify without --online warns and sends nothing', async () => {
    const dir = tempDir();
    write(dir, 'a.txt', `GH=${GH_PAT}\n`);
    const r = await cli(['secrets', dir, '--verify', '-f', 'json'], { env: { PIPEWARDEN_VERIFY_GITHUB_URL: 'http://127.0.0.1:9' } });
    expect(r.stderr).toBe('warning: --verify needs --online: it sends each secret found to its provider to ask whether it still works; nothing was verified\n');
    expect(JSON.parse(r.stdout).findings[0].properties.verified).toBeUndefined();
  });

  it('--verify --online that cannot reach the provider says so', async () => {
    // A port that was just free: connections are refused.
    const port = await new Promise<number>((res) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    const dir = tempDir();
    write(dir, 'a.txt', `GH=${GH_PAT}\n`);
    const r = await cli(['secrets', dir, '--verify', '--online', '-f', 'json'], { env: { PIPEWARDEN_VERIFY_GITHUB_URL: `http://127.0.0.1:${port}` } });
    expect(r.stderr).toBe('warning: --verify: could not reach github (offline, blocked, or timed out): 1 secret left unverified (verified: unknown)\n');
    expect(JSON.parse(r.stdout).findings[0].properties.verified).toBe('unknown');
  });
});
