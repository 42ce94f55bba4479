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
        '(severity[confidence]: high[high] means high severity, high confidence that the finding is real)',
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
        '(severity[confidence]: high[high] means high severity, high confidence that the finding is real)',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    // Also when it is named from inside its folder, and when the folder is scanned.
    expect(cli(['audit', 'broken.yml', '--format', 'json'], { cwd: join(root, '.github/workflows') }).code).toBe(1);
    expect(cli(['audit', '.', '--format', 'json'], { cwd: root }).code).toBe(1);
  });

  it('a named file that is neither a CI file nor broken YAML is still only a warning', () => {
    const root = tree({ 'notes.yml': 'title: hello\n', 'README.md': 'a: b: c\n  - [\n' });
    const r = cli(['audit', 'notes.yml', 'README.md'], { cwd: root });
    expect(r.stderr).toBe('README.md: warning: not a recognised CI file; skipped\nnotes.yml: warning: not a recognised CI file; skipped\n');
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

/** The files of a fan-out: level i refers to level i-1 twice, so an unmemoised resolver does 2^n work. */
function fanOut(n: number): Record<string, Record<string, string>> {
  const az: Record<string, string> = { 't0.yml': 'steps:\n- script: echo hi\n', 'azure-pipelines.yml': `trigger: none\nsteps:\n- template: t${n - 1}.yml\n` };
  const gh: Record<string, string> = {
    '.github/workflows/w0.yml': 'on: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
    '.github/workflows/main.yml': `on: push\npermissions: {}\njobs:\n  a:\n    uses: ./.github/workflows/w${n - 1}.yml\n`,
  };
  const ga: Record<string, string> = {
    'actions/a0/action.yml': 'name: a0\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n      shell: bash\n',
    '.github/workflows/main.yml': `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./actions/a${n - 1}\n`,
  };
  const glr = ['.r0:', '  script: [echo hi]'];
  const gli: Record<string, string> = { '.gitlab-ci.yml': 'include: [i0a.yml, i0b.yml]\njob:\n  script: [make]\n' };
  const cc = ['version: 2.1', 'commands:', '  c0:', '    steps:', '      - run: echo hi', '  c1:', '    steps:', '      - c0'];
  const bb = ['definitions:', '  steps:', '    - step: &s0', '        name: s0', '        script: [echo]'];
  for (let i = 1; i < n; i++) {
    az[`t${i}.yml`] = `steps:\n- template: t${i - 1}.yml\n- template: t${i - 1}.yml\n`;
    gh[`.github/workflows/w${i}.yml`] = `on: workflow_call\njobs:\n  a:\n    uses: ./.github/workflows/w${i - 1}.yml\n  b:\n    uses: ./.github/workflows/w${i - 1}.yml\n`;
    ga[`actions/a${i}/action.yml`] = `name: a${i}\nruns:\n  using: composite\n  steps:\n    - uses: ./actions/a${i - 1}\n    - uses: ./actions/a${i - 1}\n`;
    glr.push(`.r${i}:`, '  script:', `    - !reference [.r${i - 1}, script]`, `    - !reference [.r${i - 1}, script]`);
    if (i > 1) cc.push(`  c${i}:`, '    steps:', `      - c${i - 1}`, `      - c${i - 2}`);
    bb.push(`    - step: &s${i}`, `        <<: [*s${i - 1}]`, `        name: s${i}`);
  }
  for (let i = 0; i < n; i++) for (const s of ['a', 'b']) gli[`i${i}${s}.yml`] = i < n - 1 ? `include: [i${i + 1}a.yml, i${i + 1}b.yml]\n` : `.t${i}${s}:\n  script: [make]\n`;
  glr.push('job:', '  script:', `    - !reference [.r${n - 1}, script]`);
  cc.push('jobs:', '  build:', '    docker: [{image: cimg/base@sha256:0000000000000000000000000000000000000000000000000000000000000000}]', '    steps:', `      - c${n - 1}`, 'workflows:', '  w:', '    jobs: [build]');
  bb.push('pipelines:', '  default:', `    - step: *s${n - 1}`);
  return {
    azure: az,
    github: gh,
    composite: ga,
    'gitlab-reference': { '.gitlab-ci.yml': glr.join('\n') + '\n' },
    'gitlab-include': gli,
    circleci: { '.circleci/config.yml': cc.join('\n') + '\n' },
    bitbucket: { 'bitbucket-pipelines.yml': bb.join('\n') + '\n' },
  };
}

describe('every resolver: fan-outs and cycles finish, and what GitHub/GitLab/Azure/CircleCI would reject is a finding', () => {
  const syntaxErrors = (files: Record<string, string>): { code: number; errors: string[] } => {
    const r = cli(['audit', '.', '--format', 'json'], { cwd: tree(files) });
    expect(r.stderr).toBe('');
    return { code: r.code, errors: summary(r.stdout).filter((l) => l.includes(' syntax-error: ')) };
  };
  const cases = fanOut(30);

  it('fan-outs of 30 levels, each referring to the previous twice', () => {
    const got = Object.fromEntries(Object.entries(cases).map(([k, files]) => [k, syntaxErrors(files)]));
    expect(got).toEqual({
      azure: {
        code: 1,
        errors: [
          't10.yml:2:13 high syntax-error: templates nested deeper than 20 levels; "t9.yml" not expanded',
          't10.yml:3:13 high syntax-error: templates nested deeper than 20 levels; "t9.yml" not expanded',
          't13.yml:3:13 high syntax-error: more than 500 template expansions in one pipeline; "t12.yml" and later ones not expanded',
        ],
      },
      github: { code: 1, errors: ['.github/workflows/w10.yml:4:11 high syntax-error: reusable workflows nested 11 levels deep through ".github/workflows/w9.yml", past GitHub\'s limit of 10 levels; not followed further'] },
      composite: { code: 1, errors: ['actions/a10/action.yml:5:13 high syntax-error: composite actions nested 11 levels deep through "actions/a9", past pipewarden\'s limit of 10 levels; not followed further'] },
      'gitlab-reference': { code: 1, errors: [".gitlab-ci.yml:5:7 high syntax-error: !reference nested deeper than 10 levels (GitLab's limit); the deeper references were not resolved"] },
      // 60 files, each included twice: expanded once each, as GitLab does, so under the 150-include limit.
      'gitlab-include': { code: 0, errors: [] },
      circleci: {
        code: 1,
        errors: [
          '.circleci/config.yml:55:9 high syntax-error: commands nested deeper than 16 levels at "c12"; the steps below were not audited',
          '.circleci/config.yml:56:9 high syntax-error: commands nested deeper than 16 levels at "c11"; the steps below were not audited',
          '.circleci/config.yml:59:9 high syntax-error: commands nested deeper than 16 levels at "c13"; the steps below were not audited',
          '.circleci/config.yml:60:9 high syntax-error: commands nested deeper than 16 levels at "c12"; the steps below were not audited',
        ],
      },
      bitbucket: { code: 0, errors: [] },
    });
  });

  it('cycles: reported where they close', () => {
    expect(syntaxErrors({ 'azure-pipelines.yml': 'steps:\n- template: a.yml\n', 'a.yml': 'steps:\n- template: b.yml\n', 'b.yml': 'steps:\n- template: a.yml\n' }).errors).toEqual([
      'b.yml:2:13 high syntax-error: template "a.yml" includes itself (cycle through a.yml -> b.yml -> a.yml); not expanded',
    ]);
    expect(syntaxErrors({ '.circleci/config.yml': 'version: 2.1\ncommands:\n  a:\n    steps: [b]\n  b:\n    steps: [a]\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [a]\nworkflows:\n  w:\n    jobs: [build]\n' }).errors).toEqual([
      '.circleci/config.yml:6:13 high syntax-error: command cycle: a -> b -> a; CircleCI cannot expand it and it was not audited past the cycle',
    ]);
    expect(syntaxErrors({ '.github/workflows/a.yml': 'on: [push, workflow_call]\njobs:\n  a:\n    uses: ./.github/workflows/b.yml\n', '.github/workflows/b.yml': 'on: workflow_call\njobs:\n  a:\n    uses: ./.github/workflows/a.yml\n' }).errors).toEqual([
      '.github/workflows/b.yml:4:11 high syntax-error: reusable workflow cycle: .github/workflows/a.yml -> .github/workflows/b.yml -> .github/workflows/a.yml; it can never run, and it was not followed',
    ]);
    expect(syntaxErrors({ 'actions/x/action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: ./actions/y\n', 'actions/y/action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: ./actions/x\n' }).errors).toEqual([
      'actions/y/action.yml:4:13 high syntax-error: composite action cycle: actions/x -> actions/y -> actions/x; it can never run, and it was not followed',
    ]);
    expect(syntaxErrors({ '.gitlab-ci.yml': 'include: a.yml\njob:\n  script: [make]\n', 'a.yml': 'include: b.yml\n', 'b.yml': 'include: a.yml\n' }).errors).toEqual([
      'b.yml:1:10 high syntax-error: include cycle: a.yml -> b.yml -> a.yml; not followed',
    ]);
  });
});
