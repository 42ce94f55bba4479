/**
 * How git is run for the history (`--git`) and pre-commit (`--staged`) sources (history.ts).
 * Always spawned without a shell, with config that keeps repository-controlled programs from
 * running: no fsmonitor, hooks, textconv, external diff, pager, signature check (gpg.program)
 * or lazy fetch.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const SAFE_GIT_CONFIG = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.pager=cat',
  '-c', 'core.quotePath=true',
  '-c', 'diff.external=',
  '-c', 'diff.noprefix=false',
  '-c', 'diff.mnemonicPrefix=false',
  '-c', 'diff.relative=false',
  '-c', 'diff.renames=true',
  '-c', 'log.showSignature=false',
  '-c', 'color.ui=false',
  '-c', 'protocol.allow=never',
];

export class GitError extends Error {}

export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_NO_LAZY_FETCH: '1', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
  // Set by a caller's environment, these would run a program per diff.
  delete env.GIT_EXTERNAL_DIFF;
  delete env.GIT_DIFF_OPTS;
  return env;
}

function gitSync(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('git', ['--no-pager', ...SAFE_GIT_CONFIG, ...args], { cwd, env: gitEnv(), encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error) throw new GitError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Top-level directory of the work tree containing `dir` (or, with `allowBare`, the bare
 * repository itself: mirrors are scanned that way in CI); GitError with git's reason otherwise.
 */
export function gitTopLevel(dir: string, allowBare = false): string {
  const r = gitSync(dir, ['rev-parse', '--show-toplevel']);
  if (r.ok && r.stdout.trim()) return r.stdout.trim();
  if (allowBare && gitSync(dir, ['rev-parse', '--is-bare-repository']).stdout.trim() === 'true') {
    return resolve(dir, gitSync(dir, ['rev-parse', '--git-dir']).stdout.trim());
  }
  const reason = r.stderr.split('\n').find((l) => l.startsWith('fatal:'))?.replace(/^fatal:\s*/, '') ?? 'git rev-parse failed';
  throw new GitError(`${dir} is not a git repository (${reason})`);
}

/** Full commit id of `rev`; GitError when it names no commit. */
export function resolveCommit(top: string, rev: string): string {
  const r = gitSync(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  if (!r.ok) throw new GitError(`--since: ${JSON.stringify(rev)} is not a commit in this repository`);
  return r.stdout.trim();
}
