/**
 * Reads another revision of a repository without checking it out (the merge base of a pull
 * request, for `--new-only`). Only git plumbing runs (rev-parse, merge-base, ls-tree, cat-file,
 * diff --name-status) with the history scan's safe config, so no filter, hook, textconv, external
 * diff or fsmonitor program configured by the repository runs, and blobs are written exactly as
 * stored (no smudge filter, no end-of-line conversion, unlike checkout or `git archive`).
 * Symbolic links and submodules are not written: the scanners never follow links anyway.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gitEnv, SAFE_GIT_CONFIG } from '../secrets/git.js';

export class RevisionError extends Error {}

interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function git(top: string, args: string[]): GitResult {
  const r = spawnSync('git', ['--no-pager', ...SAFE_GIT_CONFIG, ...args], { cwd: top, env: gitEnv(), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new RevisionError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

function lastError(r: GitResult): string {
  return r.stderr.split('\n').find((l) => l.startsWith('fatal:'))?.replace(/^fatal:\s*/, '') ?? (r.stderr.trim().split('\n').pop() || 'git failed');
}

/** Top-level directory of the work tree holding `dir`. */
export function workTreeTop(dir: string): string {
  const r = git(dir, ['rev-parse', '--show-toplevel']);
  if (!r.ok || !r.stdout.trim()) throw new RevisionError(`${dir} is not inside a git work tree (${lastError(r)})`);
  return r.stdout.trim();
}

function isShallow(top: string): boolean {
  return git(top, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true';
}

const SHALLOW_HINT = 'this is a shallow clone: fetch the base branch with enough history (actions/checkout: fetch-depth: 0; GitLab: GIT_DEPTH: 0)';

/**
 * The commit `ref` names and the merge base of HEAD with it: the revision a pull request
 * started from, so findings the base branch gained since then do not count as the change's.
 */
export function mergeBaseOf(top: string, ref: string): { commit: string; mergeBase: string } {
  const c = git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (!c.ok) throw new RevisionError(`${JSON.stringify(ref)} is not a commit in this repository${isShallow(top) ? ` (${SHALLOW_HINT})` : ''}`);
  const commit = c.stdout.trim();
  const head = git(top, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (!head.ok) throw new RevisionError('HEAD names no commit (an empty repository?)');
  const mb = git(top, ['merge-base', head.stdout.trim(), commit]);
  if (!mb.ok || !mb.stdout.trim()) {
    throw new RevisionError(`HEAD and ${JSON.stringify(ref)} have no common ancestor${isShallow(top) ? ` (${SHALLOW_HINT})` : ''}`);
  }
  return { commit, mergeBase: mb.stdout.trim() };
}

/**
 * Files renamed between `commit` and the index (old path → new path, repository-relative): the
 * committed and staged renames. The base copy of a renamed file is written at its new path, so
 * its findings carry the same fingerprints (which include the path) and a rename alone never
 * counts as new findings. The index, not the work tree: comparing work-tree files makes git run
 * the repository's clean filters on them.
 */
export function renamesSince(top: string, commit: string): Map<string, string> {
  const r = git(top, ['diff', '--cached', '--name-status', '-z', '-M', '--no-ext-diff', '--no-textconv', '--no-color', commit, '--']);
  if (!r.ok) throw new RevisionError(`git diff failed: ${lastError(r)}`);
  const parts = r.stdout.split('\0');
  const out = new Map<string, string>();
  for (let i = 0; i < parts.length; ) {
    const status = parts[i++]!;
    if (!status) continue;
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = parts[i++]!;
      const to = parts[i++]!;
      if (status.startsWith('R')) out.set(from, to);
    } else {
      i++; // one path
    }
  }
  return out;
}

/** A tree path git could hand us that must not be written as given (outside dest, or into a .git). */
function unsafePath(path: string): boolean {
  return path === '' || path.startsWith('/') || path.split('/').some((seg) => seg === '' || seg === '.' || seg === '..' || seg.toLowerCase() === '.git');
}

export interface Materialized {
  files: number;
  bytes: number;
}

/**
 * Writes every regular file of `commit` under `dest` (renamed files at their new paths) by
 * streaming blobs through one `git cat-file --batch`.
 */
export async function materializeRevision(top: string, commit: string, dest: string, renames: ReadonlyMap<string, string> = new Map()): Promise<Materialized> {
  const ls = git(top, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  if (!ls.ok) throw new RevisionError(`git ls-tree failed: ${lastError(ls)}`);
  const wanted: Array<{ sha: string; path: string }> = [];
  for (const entry of ls.stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, sha] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    // 100644/100755: regular files. 120000 (links) and 160000 (submodules) are left out.
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755') || !sha) continue;
    const target = renames.get(path) ?? path;
    if (unsafePath(target)) continue;
    wanted.push({ sha, path: target });
  }
  mkdirSync(dest, { recursive: true });
  if (wanted.length === 0) return { files: 0, bytes: 0 };
  let bytes = 0;
  await catFileBatch(top, wanted.map((w) => w.sha), (i, content) => {
    const abs = join(dest, wanted[i]!.path);
    try {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      bytes += content.length;
    } catch {
      // A path that clashes with a directory (a rename onto a folder name): leave it out.
    }
  });
  return { files: wanted.length, bytes };
}

/** Streams the contents of `shas` in order; `onBlob(i, content)` for the i-th. */
function catFileBatch(top: string, shas: string[], onBlob: (i: number, content: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-pager', ...SAFE_GIT_CONFIG, 'cat-file', '--batch'], { cwd: top, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let failure: Error | undefined;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < 8192) stderr += d;
    });
    child.stdin.on('error', () => {}); // an early exit is reported through the exit code
    child.stdin.end(shas.join('\n') + '\n');
    // Blobs can be large: keep chunks until one is complete, then join once (no quadratic copying).
    let chunks: Buffer[] = [];
    let have = 0;
    let need = -1; // bytes of the current blob plus its trailing newline; -1 while reading a header
    let index = 0;
    const take = (): Buffer => {
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, have);
      chunks = [];
      have = 0;
      return all;
    };
    const keep = (rest: Buffer): void => {
      chunks = rest.length > 0 ? [rest] : [];
      have = rest.length;
    };
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      for (;;) {
        if (need < 0) {
          const buf = take();
          const nl = buf.indexOf(0x0a);
          if (nl === -1) return keep(buf);
          const m = /^[0-9a-f]+ \w+ (\d+)$/.exec(buf.subarray(0, nl).toString('latin1'));
          keep(buf.subarray(nl + 1));
          if (m) need = Number(m[1]) + 1;
          else index++; // "<sha> missing": a partial clone without the object; leave it out
          continue;
        }
        if (have < need) return;
        const buf = take();
        try {
          onBlob(index, buf.subarray(0, need - 1));
        } catch (e) {
          failure ??= e as Error;
        }
        keep(buf.subarray(need));
        need = -1;
        index++;
      }
    });
    child.on('error', (e) => reject(new RevisionError(`cannot run git: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
    child.on('close', (code) => {
      if (failure) reject(failure);
      else if (code !== 0) reject(new RevisionError(`git cat-file failed: ${stderr.trim().split('\n').pop() ?? `exit code ${code}`}`));
      else resolve();
    });
  });
}
