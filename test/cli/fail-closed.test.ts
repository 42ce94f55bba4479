import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tree, INJECTABLE } from '../helpers.js';

/*
 * Issue 8 items 3 and 6, through the built CLI: a CI file that cannot be audited (unreadable,
 * binary, too large, a link out of the tree, unparseable, an extends chain GitLab rejects) fails
 * the default gate with a finding, and a bug in one platform's audit exits 3 without hiding the
 * findings of the others.
 */

function summary(stdout: string): string[] {
  const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; severity: string; location: { file: string; startLine: number; startColumn: number }; message: string }> };
  return report.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.severity} ${f.ruleId}: ${f.message}`);
}

/** 25 hidden jobs each extending the previous two: 2^25 paths through the graph if not memoised. */
function extendsFanOut(n: number): string {
  const lines = ['.j1:', '  script: [echo]', '.j2:', '  extends: .j1'];
  for (let i = 3; i <= n; i++) lines.push(`.j${i}:`, `  extends: [.j${i - 1}, .j${i - 2}]`);
  lines.push('real:', `  extends: .j${n}`);
  return lines.join('\n') + '\n';
}

const INJECTION = '"github.event.issue.title" is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead';

describe('GitLab extends (issue 8 item 3)', () => {
  it('25 templates each extending the previous two: one finding where the chain passes 11 levels, exit 1', () => {
    const root = tree({ '.gitlab-ci.yml': extendsFanOut(25) });
    const r = cli(['audit', '.'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        `.gitlab-ci.yml:26:13: high[high] syntax-error: extends: ".j13" is nested 12 levels deep through ".j12", more than GitLab's limit of 11; GitLab rejects this pipeline`,
        '  26 |   extends: [.j12, .j11]',
        '     |             ^^^^',
        '  = help: pipewarden rules syntax-error',
        '',
        '1 finding (1 high)',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
  });

  it('11 levels is within the limit (the job inherits the script); 12 is reported at the job', () => {
    const lines = ['.t0:', '  script: [curl https://x.example/i.sh | sh]'];
    for (let i = 1; i <= 10; i++) lines.push(`.t${i}:`, `  extends: .t${i - 1}`);
    const eleven = [...lines, 'job:', '  extends: .t10'].join('\n') + '\n';
    const r = cli(['audit', '.', '--format', 'json'], { cwd: tree({ '.gitlab-ci.yml': eleven }) });
    expect(summary(r.stdout).map((l) => l.split(':').slice(0, 3).join(':'))).toEqual(['.gitlab-ci.yml:2:12 medium unverified-script-exec']);
    const twelve = [...lines, '.t11:', '  extends: .t10', 'job:', '  extends: .t11'].join('\n') + '\n';
    const deep = cli(['audit', '.', '--format', 'json'], { cwd: tree({ '.gitlab-ci.yml': twelve }) });
    expect(summary(deep.stdout)).toEqual([`.gitlab-ci.yml:26:12 high syntax-error: extends: "job" is nested 12 levels deep through ".t11", more than GitLab's limit of 11; GitLab rejects this pipeline`]);
    expect(deep.code).toBe(1);
  });

  it('an extends cycle is a finding at the reference that closes it, naming the cycle', () => {
    const root = tree({ '.gitlab-ci.yml': 'a:\n  extends: b\n  script: [make]\nb:\n  extends: [c]\nc:\n  extends: a\n' });
    const r = cli(['audit', '.', '--format', 'json'], { cwd: root });
    expect(summary(r.stdout)).toEqual(['.gitlab-ci.yml:7:12 high syntax-error: extends: circular dependency: a -> b -> c -> a']);
    expect(r.code).toBe(1);
  });

  it('an internal error in one platform exits 3, and the other platforms are still reported', () => {
    const root = tree({ '.github/workflows/x.yml': INJECTABLE, '.gitlab-ci.yml': 'job:\n  script: [curl https://x.example/i.sh | sh]\n' });
    const gitlab = cli(['audit', '.', '--format', 'json'], { cwd: root, env: { PIPEWARDEN_TEST_FAULT: 'audit:gitlab' } });
    expect(gitlab.stderr).toBe('error: internal error in the gitlab audit: injected fault (PIPEWARDEN_TEST_FAULT); please report this as a bug\n');
    expect(summary(gitlab.stdout)).toEqual([`.github/workflows/x.yml:7:20 high template-injection: ${INJECTION}`]);
    expect(gitlab.code).toBe(3);

    const github = cli(['audit', '.', '--format', 'json', '--no-exit-code'], { cwd: root, env: { PIPEWARDEN_TEST_FAULT: 'audit:github' } });
    expect(github.stderr).toBe('error: internal error in the github audit: injected fault (PIPEWARDEN_TEST_FAULT); please report this as a bug\n');
    expect(summary(github.stdout).map((l) => l.split(':')[0])).toEqual(['.gitlab-ci.yml']);
    expect(github.code).toBe(3);
  });
});

describe('fail closed (issue 8 item 6)', () => {
  it('a YAML-broken workflow named on the command line (no git repository) is a high syntax-error, exit 1', () => {
    const root = tree({ '.github/workflows/broken.yml': 'on: push\njobs:\n  a: [\n' });
    const r = cli(['audit', '.github/workflows/broken.yml'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        '.github/workflows/broken.yml:4:1: high[high] syntax-error: Flow sequence in block collection must be sufficiently indented and end with a ]',
        '  4 |',
        '    | ^',
        '  = help: pipewarden rules syntax-error',
        '',
        '1 finding (1 high)',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    // Also when it is named from inside its folder, and when the folder is scanned.
    expect(cli(['audit', 'broken.yml', '--format', 'json'], { cwd: join(root, '.github/workflows') }).code).toBe(1);
    expect(cli(['audit', '.', '--format', 'json'], { cwd: root }).code).toBe(1);
  });

  it('a named file that is neither a CI file nor broken YAML is still only a warning', () => {
    const root = tree({ 'notes.yml': 'title: hello\n' });
    const r = cli(['audit', 'notes.yml'], { cwd: root });
    expect(r.stderr).toBe('notes.yml: warning: not a recognised CI file; skipped\n');
    expect(r.code).toBe(0);
  });

  it('UTF-8 with BOM and UTF-16LE/BE with BOM are decoded and audited at the right lines; UTF-16 without BOM is not-audited', () => {
    const root = tree({
      '.github/workflows/u8bom.yml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(INJECTABLE, 'utf8')]),
      '.github/workflows/u16le.yml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(INJECTABLE, 'utf16le')]),
      '.github/workflows/u16be.yml': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(INJECTABLE, 'utf16le').swap16()]),
      '.github/workflows/u16nobom.yml': Buffer.from(INJECTABLE, 'utf16le'),
      '.github/workflows/badu16.yml': Buffer.from([0xff, 0xfe, 0x6f, 0x00, 0x00, 0xd8, 0x6e]),
    });
    const r = cli(['audit', '.', '--format', 'json'], { cwd: root });
    expect(summary(r.stdout)).toEqual([
      '.github/workflows/badu16.yml:1:1 high not-audited: not valid UTF-16LE although it starts with that byte order mark; not audited',
      `.github/workflows/u16be.yml:7:20 high template-injection: ${INJECTION}`,
      `.github/workflows/u16le.yml:7:20 high template-injection: ${INJECTION}`,
      '.github/workflows/u16nobom.yml:1:1 high not-audited: binary file; not audited',
      `.github/workflows/u8bom.yml:7:20 high template-injection: ${INJECTION}`,
    ]);
    expect(r.code).toBe(1);
    // The code frame of a UTF-16 file is decoded too.
    const text = cli(['audit', '.github/workflows/u16le.yml'], { cwd: root });
    expect(text.stdout).toContain('  7 |       - run: echo "${{ github.event.issue.title }}"\n');
  });

  it('a workflow that is a link: audited when it stays in the tree, not-audited when it leaves it', () => {
    const outside = tree({ 'x.yml': INJECTABLE });
    const root = tree({ 'ci/main.yml': INJECTABLE, '.github/workflows/.keep': '' });
    symlinkSync('../../ci/main.yml', join(root, '.github/workflows/inside.yml'));
    symlinkSync(join(outside, 'x.yml'), join(root, '.github/workflows/outside.yml'));
    const r = cli(['audit', '.', '--format', 'json'], { cwd: root });
    expect(summary(r.stdout)).toEqual([
      `.github/workflows/inside.yml:7:20 high template-injection: ${INJECTION}`,
      '.github/workflows/outside.yml:1:1 high not-audited: resolves outside the scanned tree; not audited',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  it('an unreadable include is a finding too, and both rules take a configured severity', () => {
    const root = tree({
      '.gitlab-ci.yml': 'include: ci/bin.yml\njob:\n  script: [make]\n',
      'ci/bin.yml': Buffer.from([0x61, 0x00, 0x62]),
      '.github/workflows/bin.yml': Buffer.from([0x6f, 0x6e, 0x00]),
      '.github/workflows/broken.yml': 'on: push\njobs:\n  a: [\n',
    });
    const r = cli(['audit', '.', '--format', 'json'], { cwd: root });
    expect(summary(r.stdout)).toEqual([
      '.github/workflows/bin.yml:1:1 high not-audited: binary file; not audited',
      '.github/workflows/broken.yml:4:1 high syntax-error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      '.gitlab-ci.yml:1:10 high syntax-error: cannot read included file "ci/bin.yml": binary file; skipped',
    ]);
    expect(r.code).toBe(1);
    writeFileSync(join(root, 'pipewarden.yml'), 'rules:\n  not-audited:\n    severity: medium\n  syntax-error:\n    severity: medium\n');
    const relaxed = cli(['audit', '.', '--format', 'json'], { cwd: root });
    expect(summary(relaxed.stdout).map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual(['medium not-audited:', 'medium syntax-error:', 'medium syntax-error:']);
    expect(relaxed.code).toBe(0);
  });

  it('rules not-audited prints its documentation', () => {
    const r = cli(['rules', 'not-audited']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# not-audited');
    expect(r.stdout).toContain('CWE-636');
  });
});
