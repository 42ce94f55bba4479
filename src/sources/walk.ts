import { lstatSync, readdirSync, readFileSync, realpathSync, type Dirent } from 'node:fs';
import { join, relative, sep, resolve } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { Diagnostic } from '../core/finding.js';

export interface WalkOptions {
  /** Honour .gitignore files (root and nested). Default true. */
  gitignore?: boolean;
  /** Directories never entered, by name. `.git` is always skipped. */
  skipDirs?: readonly string[];
  /** Called with repo-relative posix paths; return false to skip a file before it is stat'ed further. */
  accept?: (rel: string) => boolean;
  /**
   * Yield symbolic links that `accept` takes (flagged `link`, still not followed) instead of only
   * noting them: a caller that must not skip such a file (a workflow that is a link) checks where
   * it points with `resolveInside` and reads it, or reports it, itself.
   */
  links?: boolean;
}

export interface WalkEntry {
  abs: string;
  /** Path relative to the walk root, with forward slashes. */
  rel: string;
  size: number;
  /** A symbolic link (only with `links: true`); `abs` is the link itself, not its target. */
  link?: true;
}

interface IgnoreLayer {
  base: string; // relative dir of the .gitignore, '' for root
  ig: Ignore;
}

/**
 * Depth-first, deterministic (sorted) walk of a tree. Symbolic links are never followed:
 * a link's target is either inside the tree (and walked there) or outside it (and must not be
 * read on a hostile repository), and not following them also rules out loops.
 */
export function* walkTree(root: string, opts: WalkOptions, diag: (d: Diagnostic) => void): Generator<WalkEntry> {
  const useGitignore = opts.gitignore ?? true;
  const skip = new Set(['.git', ...(opts.skipDirs ?? [])]);
  const stack: Array<{ dir: string; rel: string; layers: IgnoreLayer[] }> = [{ dir: root, rel: '', layers: [] }];
  while (stack.length > 0) {
    const { dir, rel, layers: parentLayers } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      // Whatever is inside was not checked: the gate must not pass on it (fail closed).
      diag({ level: 'error', file: rel || '.', failsGate: true, message: `cannot read directory: ${errorCode(e)}; its files were not checked` });
      continue;
    }
    let layers = parentLayers;
    if (useGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const ig = ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
        layers = [...parentLayers, { base: rel, ig }];
      } catch (e) {
        diag({ level: 'warning', file: joinRel(rel, '.gitignore'), message: `cannot read .gitignore: ${errorCode(e)}` });
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: typeof stack = [];
    for (const entry of entries) {
      const childRel = joinRel(rel, entry.name);
      const abs = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        if (opts.links && !isIgnored(layers, childRel, false) && (!opts.accept || opts.accept(childRel))) {
          yield { abs, rel: childRel, size: 0, link: true };
          continue;
        }
        diag({ level: 'note', file: childRel, message: 'symbolic link not followed' });
        continue;
      }
      if (entry.isDirectory()) {
        if (skip.has(entry.name) || isIgnored(layers, childRel, true)) continue;
        subdirs.push({ dir: abs, rel: childRel, layers });
      } else if (entry.isFile()) {
        if (isIgnored(layers, childRel, false)) continue;
        if (opts.accept && !opts.accept(childRel)) continue;
        let size: number;
        try {
          size = lstatSync(abs).size;
        } catch (e) {
          diag({ level: 'error', file: childRel, message: `cannot stat file: ${errorCode(e)}` });
          continue;
        }
        yield { abs, rel: childRel, size };
      }
    }
    // Reverse so that popping visits subdirectories in sorted order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

function isIgnored(layers: IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (const { base, ig } of layers) {
    const local = base === '' ? rel : rel.slice(base.length + 1);
    if (ig.ignores(isDir ? `${local}/` : local)) return true;
  }
  return false;
}

function joinRel(a: string, b: string): string {
  return a === '' ? b : `${a}/${b}`;
}

export function errorCode(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const code = (e as { code: string }).code;
    const known: Record<string, string> = {
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOENT: 'no such file or directory',
      ELOOP: 'too many levels of symbolic links',
      EISDIR: 'is a directory',
      ENOTDIR: 'not a directory',
    };
    return known[code] ? `${known[code]} (${code})` : code;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * Resolves a user-given path and checks it stays inside `root` once links are resolved.
 * Returns the real path, or an error message.
 */
export function resolveInside(root: string, path: string): { real: string } | { error: string } {
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(resolve(path));
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      return { error: 'resolves outside the scanned tree; not read' };
    }
    return { real };
  } catch (e) {
    return { error: errorCode(e) };
  }
}

/** Repo-relative posix path of an absolute path. */
export function relPosix(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

