/**
 * Issue 8, the CLI half: output paths that cannot be written (item 8), closed pipes (item 8) and
 * the smaller things a new user noticed. Everything through the built CLI, exact text and codes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, cli, INJECTABLE, tree } from '../helpers.js';

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
