import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, tree, INJECTABLE } from '../helpers.js';

const SAFE = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo hello
`;

describe('audit CLI contract', () => {
  it('exit 0 on a clean tree, 1 on findings at or above --fail-on', () => {
    expect(cli(['audit', tree({ '.github/workflows/s.yml': SAFE })]).code).toBe(0);
    const dirty = tree({ '.github/workflows/i.yml': INJECTABLE });
    expect(cli(['audit', dirty]).code).toBe(1);
    expect(cli(['audit', dirty, '--fail-on', 'critical']).code).toBe(0);
    expect(cli(['audit', dirty, '--fail-on', 'never']).code).toBe(0);
    expect(cli(['audit', dirty, '--no-exit-code']).code).toBe(0);
  });

  it('exit 2 with one clear line on usage errors', () => {
    const r = cli(['audit', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/option '-f, --format <format>' argument 'xml' is invalid/);
    expect(cli(['audit', '--no-such-flag']).code).toBe(2);
  });

  it('exit 2 on an invalid config, pointing at file:line:col', () => {
    const root = tree({ '.github/workflows/i.yml': INJECTABLE, 'pipewarden.yml': 'rules:\n  template-injection:\n    severity: extreme\n' });
    const r = cli(['audit', '.'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pipewarden\.yml:3:15: error: .*severity/);
  });

  it('applies config: disable a rule, override severity, ignore file:line with a reason', () => {
    const root = tree({ '.github/workflows/i.yml': INJECTABLE });
    const json = (cfg: string) => {
      writeFileSync(join(root, 'pipewarden.yml'), cfg);
      return JSON.parse(cli(['audit', '.', '-f', 'json'], { cwd: root }).stdout).findings as Array<{ ruleId: string; severity: string }>;
    };
    expect(json('rules:\n  template-injection:\n    enabled: false\n')).toEqual([]);
    expect(json('rules:\n  template-injection:\n    severity: low\n')[0]!.severity).toBe('low');
    expect(json("ignore:\n  - rule: template-injection\n    path: .github/workflows/i.yml:7\n    reason: reviewed, title is validated upstream\n")).toEqual([]);
    expect(json("ignore:\n  - rule: template-injection\n    path: .github/workflows/i.yml:6\n    reason: wrong line\n")).toHaveLength(1);
  });

  it('discovers .github/pipewarden.yml from the scanned root', () => {
    const root = tree({ '.github/workflows/i.yml': INJECTABLE, '.github/pipewarden.yml': 'rules:\n  template-injection:\n    enabled: false\n' });
    expect(cli(['audit', root]).code).toBe(0);
  });

  it('honours inline ignores on the line or the line above', () => {
    const root = tree({
      '.github/workflows/i.yml': INJECTABLE.replace('      - run:', '      # pipewarden: ignore[template-injection] title is sanitised by the bot\n      - run:'),
    });
    const r = cli(['audit', root, '-f', 'json']);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('baselines: --write-baseline then --baseline hides known findings, new ones still fail', () => {
    const root = tree({ '.github/workflows/i.yml': INJECTABLE });
    const base = join(root, 'baseline.json');
    expect(cli(['audit', '.', '--write-baseline', base], { cwd: root }).code).toBe(0);
    expect(cli(['audit', '.', '--baseline', base], { cwd: root }).code).toBe(0);
    // Moving lines keeps the fingerprint.
    writeFileSync(join(root, '.github/workflows/i.yml'), `# moved\n\n${INJECTABLE}`);
    expect(cli(['audit', '.', '--baseline', base], { cwd: root }).code).toBe(0);
    writeFileSync(join(root, '.github/workflows/j.yml'), INJECTABLE.replace('issue.title', 'issue.body'));
    expect(cli(['audit', '.', '--baseline', base], { cwd: root }).code).toBe(1);
    expect(JSON.parse(readFileSync(base, 'utf8')).findings).toHaveLength(1);
  });

  it('--min-severity and --min-confidence filter the report', () => {
    const root = tree({ '.github/workflows/i.yml': INJECTABLE });
    expect(JSON.parse(cli(['audit', root, '-f', 'json', '--min-severity', 'critical']).stdout).findings).toEqual([]);
    expect(JSON.parse(cli(['audit', root, '-f', 'json', '--min-confidence', 'high']).stdout).findings).toHaveLength(1);
  });

  it('github format emits escaped workflow commands', () => {
    const r = cli(['audit', tree({ '.github/workflows/i.yml': INJECTABLE }), '-f', 'github'], { cwd: '/' });
    expect(r.stdout).toMatch(/^::error file=.*i\.yml,line=7,col=20,endLine=7,endColumn=51,title=template-injection::"github\.event\.issue\.title" is attacker-controlled/m);
  });

  it('--output writes the report to a file and nothing to stdout', () => {
    const root = tree({ '.github/workflows/i.yml': INJECTABLE });
    const out = join(root, 'report.sarif');
    const r = cli(['audit', '.', '-f', 'sarif', '-o', out], { cwd: root });
    expect(r.stdout).toBe('');
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    expect(sarif.runs[0].results[0].ruleId).toBe('template-injection');
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('.github/workflows/i.yml');
  });

  it('a multi-megabyte report survives a pipe (no truncation at 64 KiB)', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 2500; i++) files[`.github/workflows/w${i}.yml`] = INJECTABLE;
    const root = tree(files);
    // Read through a real pipe with a slow reader.
    const r = spawnSync('bash', ['-c', `node ${CLI} audit . -f json | (sleep 0.5; cat)`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.stdout.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(JSON.parse(r.stdout).findings).toHaveLength(2500);
  });

  it('text output: file:line:col, code frame and summary, no colour when not a TTY', () => {
    const r = cli(['audit', '.'], { cwd: tree({ '.github/workflows/i.yml': INJECTABLE }) });
    expect(r.stdout).toContain('.github/workflows/i.yml:7:20: high[high] template-injection:');
    expect(r.stdout).toContain('  7 |       - run: echo "${{ github.event.issue.title }}"');
    expect(r.stdout).toContain('1 finding (1 high)');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('rules: lists every rule and prints one rule\'s docs', () => {
    const list = cli(['rules']);
    expect(list.code).toBe(0);
    // One id shared by five platforms is listed with all of them; a GitHub-only rule with one.
    expect(list.stdout).toMatch(/^template-injection\s+high\s+high\s+github,gitlab,azure,circleci,bitbucket\s+Attacker-controlled expression expanded into code$/m);
    expect(list.stdout).toMatch(/^dangerous-triggers\s+medium\s+medium\s+github\s+Privileged trigger that outsiders can start$/m);
    const json = JSON.parse(cli(['rules', '--format', 'json']).stdout) as { id: string; platform: string; platforms: string[] }[];
    expect(json.find((r) => r.id === 'template-injection')).toMatchObject({ platform: 'github', platforms: ['github', 'gitlab', 'azure', 'circleci', 'bitbucket'] });
    expect(json.find((r) => r.id === 'secrets/aws-access-key-id')?.platforms).toEqual(['secrets']);
    const doc = cli(['rules', 'template-injection']);
    expect(doc.stdout).toMatch(/^# template-injection/);
    expect(doc.stdout).toContain('## Vulnerable');
    expect(cli(['rules', 'nope']).code).toBe(2);
  });

  it('--help shows examples; --version prints the version', () => {
    const help = cli(['audit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
