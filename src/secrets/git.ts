/**
 * Runs git for the history (`--git`) and pre-commit (`--staged`) sources. Always spawned without
 * a shell, with config that keeps repository-controlled programs from running: no fsmonitor,
 * hooks, textconv, external diff, pager, signature check (gpg.program) or lazy fetch.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DiffParser, LOG_FORMAT, type AddedBlock } from './diff.js';
import { LineSplitter } from './lines.js';

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

/** Flags on every diff-producing command: plain patches, zero context, no helper programs. */
const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '-U0', '-M'];

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

/**
 * Arguments of the history scan. Without `since`: every commit reachable from any ref.
 * With it: commits reachable from any ref but not from `since` (`git log --all ^SINCE`), i.e.
 * what is new on every branch since that commit.
 */
export function historyArgs(sinceCommit?: string): string[] {
  return ['log', '--all', ...(sinceCommit ? [`^${sinceCommit}`] : []), '-p', ...DIFF_FLAGS, LOG_FORMAT, '--'];
}

export function stagedArgs(): string[] {
  return ['diff', '--cached', ...DIFF_FLAGS, '--diff-filter=d', '--'];
}

/** Commit ids reachable from any ref (and not from `sinceCommit`), newest first. */
export function listCommits(top: string, sinceCommit?: string): string[] {
  const r = spawnSync('git', ['--no-pager', ...SAFE_GIT_CONFIG, 'rev-list', '--all', ...(sinceCommit ? [`^${sinceCommit}`] : []), '--'], {
    cwd: top,
    env: gitEnv(),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.error) throw new GitError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  if (r.status !== 0) throw new GitError(`git rev-list failed: ${r.stderr.trim().split('\n').slice(-2).join('; ')}`);
  return r.stdout.split('\n').filter((l) => l.length > 0);
}

/** Below this many commits one git process is as fast as several. */
const PARALLEL_MIN_COMMITS = 500;

/**
 * The history scan. Producing patches is most of the cost and git does it on one core, so with
 * `processes` > 1 the commit list is dealt round-robin to that many `git log --no-walk --stdin`
 * processes whose outputs are parsed side by side. Each process lists its commits newest first.
 */
export async function streamGitHistory(
  top: string,
  sinceCommit: string | undefined,
  opts: {
    accept: (file: string) => boolean;
    maxLine: number;
    onBlock: (b: AddedBlock) => void;
    onProgress?: (bytes: number) => void;
    processes?: number;
    /** Fewer commits than this use one process (default PARALLEL_MIN_COMMITS). */
    minCommits?: number;
  },
): Promise<StreamResult> {
  const processes = opts.processes ?? 1;
  const commits = processes > 1 ? listCommits(top, sinceCommit) : [];
  if (processes <= 1 || commits.length < (opts.minCommits ?? PARALLEL_MIN_COMMITS)) return streamGitDiff(top, historyArgs(sinceCommit), opts);
  const shares: string[][] = Array.from({ length: processes }, () => []);
  commits.forEach((c, i) => shares[i % processes]!.push(c));
  const seen = new Array<number>(processes).fill(0);
  const results = await Promise.all(
    shares.map((share, i) =>
      streamGitDiff(top, ['log', '--no-walk=unsorted', '--stdin', '-p', ...DIFF_FLAGS, LOG_FORMAT], {
        ...opts,
        input: share.join('\n') + '\n',
        onProgress: (b) => {
          seen[i] = b;
          opts.onProgress?.(seen.reduce((a, x) => a + x, 0));
        },
      }),
    ),
  );
  return { bytes: results.reduce((a, r) => a + r.bytes, 0) };
}

export interface StreamResult {
  /** Bytes of patch text read. */
  bytes: number;
}

/**
 * Streams `git args` through the diff parser, calling `onBlock` with added lines as they come.
 * Memory is one chunk plus one block; git is paused while `onBlock` runs (backpressure).
 */
export async function streamGitDiff(
  top: string,
  args: string[],
  opts: { accept: (file: string) => boolean; maxLine: number; onBlock: (b: AddedBlock) => void; onProgress?: (bytes: number) => void; input?: string },
): Promise<StreamResult> {
  const child = spawn('git', ['--no-pager', ...SAFE_GIT_CONFIG, ...args], { cwd: top, env: gitEnv(), stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (opts.input !== undefined) {
    child.stdin!.on('error', () => {}); // git exiting early is reported through its exit code
    child.stdin!.end(opts.input);
  }
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new GitError(`cannot run git: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
    child.on('close', (code) => resolve(code));
  });
  const parser = new DiffParser(opts.onBlock, opts.accept);
  const splitter = new LineSplitter(opts.maxLine);
  const onLine = (l: string): void => parser.line(l);
  let last = 0;
  try {
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
      splitter.push(chunk, onLine);
      if (opts.onProgress && parser.bytes - last > 1 << 20) {
        last = parser.bytes;
        opts.onProgress(parser.bytes);
      }
    }
    splitter.end(onLine);
    parser.end();
  } catch (e) {
    child.kill();
    throw e;
  }
  const code = await exited;
  if (code !== 0) {
    const reason = stderr.split('\n').filter((l) => l.trim()).slice(-3).join('; ') || `exit code ${code}`;
    throw new GitError(`git ${args[0]} failed: ${reason}`);
  }
  return { bytes: parser.bytes };
}
