import { chmodSync, mkdirSync, symlinkSync, writeFileSync, openSync, closeSync, ftruncateSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tree, INJECTABLE } from '../helpers.js';

/** Every bad input: a clear line or a syntax-error finding, the rest still audited, no stack trace. */
function auditJson(root: string, extra: string[] = []) {
  const r = cli(['audit', root, '--format', 'json', ...extra], { cwd: root });
  expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  expect([0, 1]).toContain(r.code);
  const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; location: { file: string; startLine: number; startColumn: number }; message: string }> };
  return { ...r, findings: report.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.message}`) };
}

const GOOD = '.github/workflows/good.yml';

describe('audit on bad input', () => {
  it('malformed YAML: syntax-error with position, other files still audited', () => {
    const root = tree({ '.github/workflows/bad.yml': 'on: push\njobs:\n  a: [unclosed\n', [GOOD]: INJECTABLE });
    const r = auditJson(root);
    expect(r.findings.filter((f) => f.startsWith('syntax-error'))[0]).toMatch(/^syntax-error \.github\/workflows\/bad\.yml:\d+:\d+ /);
    expect(r.findings).toContain('template-injection .github/workflows/good.yml:7:20 "github.event.issue.title" is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead');
  });

  it('alias bomb: refused quickly as a syntax-error', () => {
    const lines = ['on: push', 'x0: &x0 [a, a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i < 10; i++) lines.push(`x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]`);
    lines.push('jobs:', ...Array.from({ length: 1100 }, (_, i) => `  j${i}: *x9`));
    const root = tree({ '.github/workflows/bomb.yml': lines.join('\n'), [GOOD]: INJECTABLE });
    const r = auditJson(root);
    const bomb = r.findings.filter((f) => f.includes('bomb.yml'));
    expect(bomb).toHaveLength(1);
    expect(bomb[0]).toMatch(/^syntax-error \.github\/workflows\/bomb\.yml:\d+:\d+ more than 1000 YAML aliases \(possible alias bomb\); not audited$/);
    expect(r.findings.some((f) => f.startsWith('template-injection .github/workflows/good.yml'))).toBe(true);
  });

  it('a small alias bomb (10^10 when expanded) is never expanded', () => {
    const lines = ['on: push', 'x0: &x0 [a, a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i < 10; i++) lines.push(`x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]`);
    lines.push('jobs:', '  j: *x9');
    const root = tree({ '.github/workflows/bomb.yml': lines.join('\n') });
    const r = auditJson(root);
    // The anchors sit under top-level keys GitHub would reject (workflow-schema, one per key).
    expect(r.findings.filter((f) => f.startsWith('workflow-schema')).map((f) => f.split(' ').slice(0, 6).join(' '))).toEqual(
      Array.from({ length: 10 }, (_, i) => `workflow-schema .github/workflows/bomb.yml:${i + 2}:1 unexpected key "x${i}" in`),
    );
    expect(r.findings.filter((f) => !f.startsWith('workflow-schema'))).toEqual(['syntax-error .github/workflows/bomb.yml:13:3 job "j" is not a mapping']);
  });

  it('50 MB file: a not-audited finding naming the file and the one size limit', () => {
    const root = tree({ [GOOD]: INJECTABLE });
    const fd = openSync(join(root, '.github/workflows/huge.yml'), 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const r = auditJson(root);
    expect(r.findings).toEqual([
      'template-injection .github/workflows/good.yml:7:20 "github.event.issue.title" is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead',
      'not-audited .github/workflows/huge.yml:1:1 file is 50.0 MiB, over the 5.0 MiB limit; not audited',
    ]);
  });

  it('binary file: a not-audited finding', () => {
    const root = tree({ '.github/workflows/bin.yml': Buffer.from([0x6f, 0x6e, 0x00, 0xff, 0xfe]), [GOOD]: INJECTABLE });
    const r = auditJson(root);
    expect(r.findings[0]).toBe('not-audited .github/workflows/bin.yml:1:1 binary file; not audited');
    expect(r.findings).toHaveLength(2);
  });

  it('deep nesting: syntax-error, no stack overflow', () => {
    const root = tree({ '.github/workflows/deep.yml': 'on: push\njobs: ' + '['.repeat(200000) + ']'.repeat(200000) + '\n', [GOOD]: INJECTABLE });
    const r = auditJson(root);
    expect(r.findings).toContain('syntax-error .github/workflows/deep.yml:1:1 nesting deeper than 256 levels; not parsed');
  });

  it('unknown keys and wrong shapes: no crash, the rest of the file audited', () => {
    const root = tree({
      '.github/workflows/odd.yml': `on: issues
permissions: {}
surprise: {a: 1}
jobs:
  weird: 42
  a:
    runs-on: ubuntu-latest
    unknown-key: true
    steps:
      - 17
      - run: echo "\${{ github.event.issue.body }}"
`,
    });
    const r = auditJson(root);
    expect(r.findings).toEqual([
      'workflow-schema .github/workflows/odd.yml:3:1 unexpected key "surprise" in the workflow; GitHub rejects the workflow ("Invalid workflow file") and runs none of it. Expected one of: name, run-name, on, permissions, env, defaults, concurrency, jobs',
      'syntax-error .github/workflows/odd.yml:5:3 job "weird" is not a mapping',
      'workflow-schema .github/workflows/odd.yml:8:5 unexpected key "unknown-key" in job "a"; GitHub rejects the workflow ("Invalid workflow file") and runs none of it. Expected one of: name, needs, runs-on, permissions, environment, concurrency, outputs, env, defaults, if, steps, timeout-minutes, strategy, continue-on-error, container, services, uses, with, secrets, snapshot',
      'syntax-error .github/workflows/odd.yml:10:9 step 1 is not a mapping',
      'template-injection .github/workflows/odd.yml:11:20 "github.event.issue.body" is attacker-controlled and is expanded into the run: script of step "step 2"; pass it through env: and read "$VAR" instead',
    ]);
  });

  it('invalid expressions: syntax-error at the expression', () => {
    const root = tree({
      '.github/workflows/expr.yml': `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    if: github.ref == 
    steps:
      - run: echo "\${{ github.sha ~ 1 }}"
`,
    });
    const r = auditJson(root);
    expect(r.findings).toEqual([
      'syntax-error .github/workflows/expr.yml:5:9 invalid if: condition: unexpected end of expression',
      'syntax-error .github/workflows/expr.yml:7:20 invalid expression: unexpected character "~"',
    ]);
  });

  it('symlinks: loops and links out of the tree are not followed', () => {
    const outside = tree({ '.github/workflows/secret.yml': INJECTABLE });
    const root = tree({ [GOOD]: INJECTABLE });
    symlinkSync(join(outside, '.github/workflows/secret.yml'), join(root, '.github/workflows/out.yml'));
    symlinkSync(root, join(root, 'loop'));
    mkdirSync(join(root, 'a'));
    symlinkSync('../a', join(root, 'a/self'));
    const r = auditJson(root);
    expect(r.findings).toHaveLength(2);
    expect(r.findings[0]).toContain('good.yml');
    expect(r.findings[1]).toBe('not-audited .github/workflows/out.yml:1:1 resolves outside the scanned tree; not audited');
    expect(r.stderr).toContain('loop: note: symbolic link not followed');
  });

  it('a file argument that links out of the tree is refused', () => {
    const outside = tree({ 'x.yml': INJECTABLE });
    const root = tree({ '.git/HEAD': 'ref: refs/heads/main\n' });
    mkdirSync(join(root, '.github/workflows'), { recursive: true });
    symlinkSync(join(outside, 'x.yml'), join(root, '.github/workflows/x.yml'));
    const r = cli(['audit', '.github/workflows/x.yml', '--format', 'json'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string; severity: string; message: string }) => `${f.ruleId} ${f.severity} ${f.message}`)).toEqual([
      'not-audited high resolves outside the scanned tree; not audited',
    ]);
  });

  it('unreadable files and folders: an error line each, the rest audited', () => {
    const root = tree({ [GOOD]: INJECTABLE, '.github/workflows/locked.yml': INJECTABLE, 'sub/.github/workflows/x.yml': INJECTABLE });
    chmodSync(join(root, '.github/workflows/locked.yml'), 0o000);
    chmodSync(join(root, 'sub'), 0o000);
    chmodSync(root, 0o755);
    // Root reads everything; drop to nobody so permissions really apply.
    const wrap = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : undefined;
    const r = cli(['audit', root, '--format', 'json'], { cwd: '/', wrap });
    chmodSync(join(root, 'sub'), 0o755);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sub: error: cannot read directory: permission denied \(EACCES\); its files were not checked/);
    const findings = JSON.parse(r.stdout).findings as Array<{ ruleId: string; message: string; location: { file: string } }>;
    expect(findings.filter((f) => f.ruleId === 'not-audited').map((f) => `${f.location.file.replace(/^.*\/\.github/, '.github')} ${f.message}`)).toEqual([
      '.github/workflows/locked.yml cannot read file: permission denied (EACCES); not audited',
    ]);
    expect(findings.filter((f) => f.ruleId === 'template-injection')).toHaveLength(1);
  });

  it('a FIFO named like a workflow does not hang the audit', () => {
    const root = tree({ [GOOD]: INJECTABLE });
    execFileSync('mkfifo', [join(root, '.github/workflows/pipe.yml')]);
    const r = auditJson(root);
    expect(r.findings).toHaveLength(1);
  });

  it('writes a clear error for a missing path (exit 2)', () => {
    const r = cli(['audit', '/nonexistent/pipewarden-path']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: /nonexistent/pipewarden-path: no such file or directory\n');
  });

  it('keeps going when a workflow file is empty', () => {
    const root = tree({ '.github/workflows/empty.yml': '', [GOOD]: INJECTABLE });
    writeFileSync(join(root, '.github/workflows/comment.yml'), '# only a comment\n');
    const r = auditJson(root);
    expect(r.findings.filter((f) => f.startsWith('syntax-error'))).toEqual([
      'syntax-error .github/workflows/comment.yml:1:1 a workflow must be a YAML mapping',
      'syntax-error .github/workflows/empty.yml:1:1 a workflow must be a YAML mapping',
    ]);
  });
});
