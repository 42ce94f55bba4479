/**
 * Issue 8, the CLI half: output paths that cannot be written (item 8), closed pipes (item 8) and
 * the smaller things a new user noticed. Everything through the built CLI, exact text and codes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, INJECTABLE, tree } from '../helpers.js';
import { GH_PAT } from '../secrets/fixtures.js';

/** Runs the CLI with its stdout (or stderr) pipe closed by the reader before anything is written. */
function withClosedPipe(args: string[], which: 'stdout' | 'stderr', cwd: string): Promise<{ code: number; other: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    child[which].destroy();
    let other = '';
    child[which === 'stdout' ? 'stderr' : 'stdout'].on('data', (d: Buffer) => (other += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, other }));
  });
}

describe('item 8: --output that cannot be written is a usage error', () => {
  const root = tree({ '.github/workflows/i.yml': INJECTABLE });

  it.each([
    [['--output', '/nonexistent-pw/dir/x.json'], 'error: cannot write the report to /nonexistent-pw/dir/x.json: folder /nonexistent-pw/dir does not exist\n'],
    [['-o', '.github'], 'error: cannot write the report to .github: it is a folder; give a file name\n'],
    [['-o', '.github/workflows/i.yml/x'], 'error: cannot write the report to .github/workflows/i.yml/x: .github/workflows/i.yml is not a folder\n'],
    [['--json-output', '/nonexistent-pw/r.json'], 'error: cannot write the json report to /nonexistent-pw/r.json: folder /nonexistent-pw does not exist\n'],
    [['--write-baseline', '.github'], 'error: cannot write the baseline to .github: it is a folder; give a file name\n'],
  ])('audit %j', (flags, stderr) => {
    expect(cli(['audit', '.', ...flags], { cwd: root })).toEqual({ code: 2, stdout: '', stderr });
  });

  it('every command that writes a file says the same', () => {
    const missing = '/nonexistent-pw/out';
    const expected = (what: string) => ({ code: 2, stdout: '', stderr: `error: cannot write ${what} to ${missing}: folder /nonexistent-pw does not exist\n` });
    expect(cli(['secrets', '.', '-o', missing], { cwd: root })).toEqual(expected('the report'));
    expect(cli(['scan', '.', '-o', missing], { cwd: root })).toEqual(expected('the report'));
    expect(cli(['deps', 'sbom', '.', '-o', missing], { cwd: root })).toEqual(expected('the SBOM'));
    expect(cli(['report', '--html', missing, 'r.json'], { cwd: root })).toEqual(expected('the HTML report'));
    expect(cli(['ir', 'sweep-logs', '.', '-o', missing], { cwd: root })).toEqual(expected('the report'));
  });
});

describe('item 8: a closed pipe ends the command quietly', () => {
  const root = tree({ '.github/workflows/i.yml': INJECTABLE });

  it('rules --format json, rules, audit --format json: no stack trace, the exit code of the run', async () => {
    expect(await withClosedPipe(['rules', '--format', 'json'], 'stdout', root)).toEqual({ code: 0, other: '' });
    expect(await withClosedPipe(['rules'], 'stdout', root)).toEqual({ code: 0, other: '' });
    // The gate still holds: the finding is high, so exit 1 even though nobody read the report.
    expect(await withClosedPipe(['audit', '.', '--format', 'json'], 'stdout', root)).toEqual({ code: 1, other: '' });
    expect(await withClosedPipe(['audit', '.', '--format', 'json', '--no-exit-code'], 'stdout', root)).toEqual({ code: 0, other: '' });
    expect(await withClosedPipe(['secrets', '.'], 'stdout', root)).toEqual({ code: 0, other: '' });
    expect(await withClosedPipe(['scan', '.'], 'stdout', root)).toEqual({ code: 1, other: '' });
  });

  it('stderr closed: usage errors and diagnostics are dropped, the exit code stays', async () => {
    expect(await withClosedPipe(['audit', '--format', 'xml'], 'stderr', root)).toEqual({ code: 2, other: '' });
    expect(await withClosedPipe(['audit', 'no-such-path'], 'stderr', root)).toEqual({ code: 2, other: '' });
  });

  it('a real `| head -c 10` pipe', () => {
    const r = spawnSync('bash', ['-c', `node ${CLI} rules --format json | head -c 10; echo " rc=\${PIPESTATUS[0]}"`], { cwd: root, encoding: 'utf8' });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '[\n  {\n     rc=0\n', stderr: '' });
  });
});

const PINNABLE = `on: issues
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: echo "\${{ github.event.issue.title }}"
`;

/** Runs the CLI under a pseudo-terminal (util-linux `script`), so stdout and stderr are TTYs. */
function inTty(args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync('script', ['-qec', [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } });
  return r.stdout;
}

describe('smaller things a new user noticed', () => {
  const root = tree({ '.github/workflows/i.yml': PINNABLE });

  it('usage errors: one line and a --help hint naming the command, not the whole help', () => {
    expect(cli(['audit', '--bogus'], { cwd: root })).toEqual({ code: 2, stdout: '', stderr: "error: unknown option '--bogus'\nrun `pipewarden audit --help` for usage\n" });
    expect(cli(['ir', 'sweep-logs'], { cwd: root })).toEqual({ code: 2, stdout: '', stderr: "error: missing required argument 'path'\nrun `pipewarden ir sweep-logs --help` for usage\n" });
    expect(cli(['bogus'], { cwd: root })).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'bogus'\nrun `pipewarden --help` for usage\n" });
    expect(cli(['audit', '--format', 'xml'], { cwd: root }).stderr).toBe(
      "error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are text, json, sarif, github, gitlab, gitlab-sast, gitlab-secrets, html.\nrun `pipewarden audit --help` for usage\n",
    );
  });

  it('text report: no internal fields (pinKey, refKind), and the severity[confidence] notation explained', () => {
    const r = cli(['audit', '.'], { cwd: root });
    expect(r.stdout).not.toMatch(/pinKey|refKind|sameRepository/);
    expect(r.stdout).toContain('  = policy: hash-pin\n  = ref: v4\n  = help: pipewarden rules unpinned-uses\n');
    expect(r.stdout.endsWith('\n\n2 findings (1 high, 1 low)\n(severity[confidence]: low[high] means low severity, high confidence that the finding is real)\n')).toBe(true);
    // JSON keeps every property: tools read them.
    const unpinned = (JSON.parse(cli(['audit', '.', '-f', 'json'], { cwd: root }).stdout).findings as Array<{ ruleId: string; properties: Record<string, unknown> }>).find((f) => f.ruleId === 'unpinned-uses')!;
    expect(unpinned.properties).toMatchObject({ pinKey: 'actions/checkout@v4', refKind: 'version' });
  });

  it('-o FILE: the summary line still reaches stderr (not with --quiet)', () => {
    expect(cli(['audit', '.', '-o', 'r.txt'], { cwd: root })).toEqual({ code: 1, stdout: '', stderr: '2 findings (1 high, 1 low) (report written to r.txt)\n' });
    expect(cli(['audit', '.', '-f', 'sarif', '-o', 'r.sarif', '-q'], { cwd: root })).toEqual({ code: 1, stdout: '', stderr: '' });
    // Log sweeps and monitor replays too.
    const logs = tree({ 'logs/acme/app/7/build.txt': `2026-12-01T10:00:00.0000000Z + curl -H "Authorization: token ${GH_PAT}" https://api.github.com/user\n` });
    expect(cli(['ir', 'sweep-logs', 'logs', '-o', 'sweep.txt'], { cwd: logs })).toEqual({ code: 1, stdout: '', stderr: '1 finding (1 critical) (report written to sweep.txt)\nswept 1 log (0.0 MiB)\n' });
    expect(cli(['monitor', 'replay', '--logs', 'logs', '--db', 'memory', '-o', 'alerts.txt'], { cwd: logs })).toEqual({ code: 1, stdout: '', stderr: '1 alert: 1 high (report written to alerts.txt)\nreplayed 1 event (1 new in the store), 1 alert\n' });
  });

  it('--write-baseline succeeds (exit 0) and says what it wrote; the baseline then passes', () => {
    const dir = tree({ '.github/workflows/i.yml': PINNABLE });
    const r = cli(['audit', '.', '--write-baseline', 'base.json', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('wrote base.json: 2 findings accepted; use it with --baseline base.json\n');
    expect(cli(['audit', '.', '--baseline', 'base.json'], { cwd: dir })).toEqual({ code: 0, stdout: 'no findings, 2 suppressed\n', stderr: '' });
  });

  it('findings under --min-severity are counted apart from suppressed ones (text and JSON)', () => {
    const dir = tree({ '.github/workflows/i.yml': PINNABLE.replace('      - run:', '      # pipewarden: ignore[template-injection] title is checked upstream\n      - run:') });
    expect(cli(['audit', '.', '--min-severity', 'medium'], { cwd: dir })).toEqual({ code: 0, stdout: 'no findings, 1 suppressed, 1 below --min-severity/--min-confidence\n', stderr: '' });
    const json = JSON.parse(cli(['audit', '.', '--min-severity', 'medium', '-f', 'json'], { cwd: dir }).stdout);
    expect(json.summary).toEqual({ total: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, suppressed: 1, belowThreshold: 1 });
  });

  it('colour: only on a terminal by default; NO_COLOR, FORCE_COLOR and --color are honoured', () => {
    const coloured = (s: string) => s.includes('\x1b[1;31mhigh[high]\x1b[0m');
    expect(coloured(cli(['audit', '.'], { cwd: root, env: { NO_COLOR: '' } }).stdout)).toBe(false);
    expect(coloured(cli(['audit', '.'], { cwd: root, env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout)).toBe(true);
    expect(coloured(cli(['audit', '.'], { cwd: root, env: { NO_COLOR: '', FORCE_COLOR: '0' } }).stdout)).toBe(false);
    expect(coloured(cli(['audit', '.', '--color', 'never'], { cwd: root, env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout)).toBe(false);
    expect(coloured(cli(['audit', '.', '--color', 'always'], { cwd: root, env: { NO_COLOR: '1' } }).stdout)).toBe(true);
    // NO_COLOR wins over FORCE_COLOR: the user's standing wish over a tool's default.
    expect(coloured(cli(['audit', '.'], { cwd: root, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout)).toBe(false);
    expect(coloured(inTty(['audit', '.'], root))).toBe(true);
    expect(coloured(inTty(['audit', '.'], root, { NO_COLOR: '1' }))).toBe(false);
  });

  it('unknown rule ids: "did you mean" in `rules ID`, config ignores and rules, and inline ignores', () => {
    expect(cli(['rules', 'template-injectoin'])).toEqual({ code: 2, stdout: '', stderr: 'error: unknown rule "template-injectoin"; did you mean "template-injection"? Run `pipewarden rules` for the list\n' });
    expect(cli(['rules', 'zzzzzz'])).toEqual({ code: 2, stdout: '', stderr: 'error: unknown rule "zzzzzz"; run `pipewarden rules` for the list\n' });
    const dir = tree({
      '.github/workflows/i.yml': PINNABLE.replace('      - run:', '      # pipewarden: ignore[template-injectoin] title is checked upstream\n      - run:').replace('      - uses:', '      # pipewarden: ignore[secrets/generic-password, unpinned-*] pinned by renovate\n      - uses:'),
      // sql-injection is a sast rule: known, though `audit` does not run it (one config serves every command).
      'pipewarden.yml': 'rules:\n  sql-injection:\n    severity: low\n  secrets/generic-pasword:\n    enabled: false\nignore:\n  - rule: artipackd\n    path: .github/workflows/i.yml\n    reason: no uploads\n',
    });
    const r = cli(['audit', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    const configWarnings =
      `${join(dir, 'pipewarden.yml')}:4:3: warning: rules.secrets/generic-pasword names unknown rule \`secrets/generic-pasword\`; did you mean \`secrets/generic-password\`?\n` +
      `${join(dir, 'pipewarden.yml')}:7:5: warning: ignore[0].rule names unknown rule \`artipackd\`; did you mean \`artipacked\`?\n`;
    expect(r.stderr).toBe(
      [
        configWarnings.trimEnd(),
        '.github/workflows/i.yml:11: warning: inline ignore names unknown rule "template-injectoin"; did you mean "template-injection"? It ignores nothing.',
        '',
      ].join('\n'),
    );
    expect(r.stdout).toContain('high[high] template-injection');
    // The same config under `secrets` and `scan`: the same warnings about it.
    expect(cli(['secrets', '.'], { cwd: dir }).stderr).toBe(configWarnings);
    expect(cli(['scan', '.'], { cwd: dir }).stderr.startsWith(configWarnings)).toBe(true);
  });

  it('scan reports a credential in a workflow once (the secrets finding), not again from the audit', () => {
    const password = ['Qm7!vz', 'Lp2#Rw9', 'xKc4Tn'].join('');
    const dir = tree({
      '.github/workflows/c.yml': `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      DB_PASSWORD: ${password}\n    steps:\n      - run: make\n`,
      'config/db.env': `DB_PASSWORD=${password}\n`,
    });
    const findings = (JSON.parse(cli(['scan', '.', '-f', 'json'], { cwd: dir }).stdout).findings as Array<{ ruleId: string; location: { file: string; startLine: number } }>).map((f) => `${f.location.file}:${f.location.startLine} ${f.ruleId}`);
    expect(findings).toEqual(['.github/workflows/c.yml:7 secrets/generic-password', 'config/db.env:1 secrets/generic-password']);
  });

  it('progress says "scanned 1 file", not "1 files"', () => {
    const dir = tree({ 'a.txt': 'hello\n' });
    expect(inTty(['secrets', '.'], dir)).toBe('\r\x1b[Kscanned 1 file, 0.0 MB\r\x1b[Kno findings\r\n');
  });
});
