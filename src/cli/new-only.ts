/**
 * `--new-only REF`: report only the findings a change introduces. The files of the merge base of
 * HEAD and REF are written to a temporary folder with git plumbing (nothing from the repository
 * runs), the same command with the same arguments and the same config scans them in a child
 * process, and every finding whose fingerprint the base already had is left out.
 *
 * Why a child process running the very same command line: it is the one way to be sure the base
 * is scanned exactly like the head (every option, every scanner a command runs, the commands
 * other people add later) without each command knowing about this. Display paths are relative to
 * the working directory, so the child runs in the base copy's equivalent of it and produces the
 * same paths, hence the same fingerprints. It starts as soon as the command has resolved its
 * config, so on two cores both scans run side by side.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { materializeRevision, mergeBaseOf, renamesSince, RevisionError, workTreeTop } from '../sources/revision.js';

/** Hidden options that turn a run into the base scan of a `--new-only` parent. */
export const BASE_SCAN_OUTPUT_FLAG = '--base-scan-output';
export const BASE_SCAN_CONFIG_FLAG = '--base-scan-config';

export interface BaseScanResult {
  /** REF as the user gave it. */
  ref: string;
  mergeBase: string;
  fingerprints: Set<string>;
}

/** What the base scan writes for its parent. */
export interface BaseScanFile {
  fingerprints: string[];
}

/** A `--new-only` REF that cannot be used, or a base that cannot be read: a usage error (exit 2). */
export class NewOnlyError extends Error {}

let pending: { ref: string; promise: Promise<BaseScanResult> } | undefined;

/**
 * Starts the base scan once per process (idempotent). `configFile` is the head's config (absolute
 * or relative to the working directory), undefined for the defaults: the base is judged by the
 * head's rules, so a change to the config alone is not mistaken for new or fixed findings.
 */
export function startBaseScan(ref: string, configFile: string | undefined): void {
  if (pending) return;
  const promise = runBaseScan(ref, configFile === undefined ? undefined : resolve(configFile));
  promise.catch(() => {}); // awaited by baseScanResult; never an unhandled rejection meanwhile
  pending = { ref, promise };
}

export function baseScanResult(ref: string, configFile: string | undefined): Promise<BaseScanResult> {
  startBaseScan(ref, configFile);
  return pending!.promise;
}

async function runBaseScan(ref: string, configFile: string | undefined): Promise<BaseScanResult> {
  const cwd = process.cwd();
  let top: string;
  let mergeBase: string;
  let renames: Map<string, string>;
  try {
    top = workTreeTop(cwd);
    mergeBase = mergeBaseOf(top, ref).mergeBase;
    renames = renamesSince(top, mergeBase);
  } catch (e) {
    if (e instanceof RevisionError) throw new NewOnlyError(`--new-only: ${e.message}`);
    throw e;
  }
  const inside = relative(top, cwd);
  if (outside(inside)) {
    throw new NewOnlyError(`--new-only: run pipewarden from inside the repository (${top})`);
  }
  const work = mkdtempSync(join(tmpdir(), 'pipewarden-base-'));
  try {
    const tree = join(work, 'tree');
    await materializeRevision(top, mergeBase, tree, renames);
    // Repository-root discovery looks for .git; the copy has no history, only the marker.
    mkdirSync(join(tree, '.git'), { recursive: true });
    const childCwd = join(tree, inside);
    mkdirSync(childCwd, { recursive: true });
    const output = join(work, 'base.json');
    const args = childArguments(process.argv.slice(2), { top, tree, cwd, output, configFile });
    const result = await runChild(args, childCwd);
    if (result.code !== 0) {
      throw new Error(`the scan of the merge base ${mergeBase.slice(0, 12)} failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join('; ') || 'no message'}`);
    }
    const data = JSON.parse(readFileSync(output, 'utf8')) as BaseScanFile;
    return { ref, mergeBase, fingerprints: new Set(data.fingerprints) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The parent's arguments for the child: `--new-only` removed, absolute paths into the repository
 * moved into the copy, the hidden base-scan options added. A path operand that exists now but
 * not in the base (a file the change adds) gets an empty stand-in, so the base scan sees
 * "nothing there" rather than failing on a missing path.
 */
export function childArguments(
  argv: readonly string[],
  ctx: { top: string; tree: string; cwd: string; output: string; configFile: string | undefined },
): string[] {
  const out: string[] = [];
  const mapPath = (value: string): string => {
    if (!isAbsolute(value)) return value;
    const rel = relative(ctx.top, value);
    return rel === '' ? ctx.tree : outside(rel) ? value : join(ctx.tree, rel);
  };
  let operandsOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!operandsOnly && a === '--new-only') {
      i++;
      continue;
    }
    if (!operandsOnly && a.startsWith('--new-only=')) continue;
    if (!operandsOnly && a === '--') {
      operandsOnly = true;
      out.push(a);
      continue;
    }
    const eq = !operandsOnly && a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      out.push(a.slice(0, eq + 1) + mapPath(a.slice(eq + 1)));
      continue;
    }
    out.push(mapPath(a));
    if (operandsOnly || !a.startsWith('-')) standIn(a, ctx);
  }
  const extra = [BASE_SCAN_OUTPUT_FLAG, ctx.output, BASE_SCAN_CONFIG_FLAG, ctx.configFile ?? '', '--quiet'];
  const dashdash = operandsOnly ? out.indexOf('--') : -1;
  if (dashdash === -1) out.push(...extra);
  else out.splice(dashdash, 0, ...extra);
  return out;
}

function standIn(operand: string, ctx: { top: string; tree: string; cwd: string }): void {
  const abs = resolve(ctx.cwd, operand);
  const rel = relative(ctx.top, abs);
  if (rel === '' || outside(rel)) return;
  const copy = join(ctx.tree, rel);
  if (existsSync(copy)) return;
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    return; // not a path (a command name, an option's value): nothing to stand in for
  }
  try {
    if (isDir) mkdirSync(copy, { recursive: true });
    else {
      mkdirSync(join(copy, '..'), { recursive: true });
      writeFileSync(copy, '');
    }
  } catch {
    // A clash with a file of the base: the base scan reports what it finds there.
  }
}

/** A relative path (from path.relative) that leaves its base. */
function outside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

function runChild(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr = (stderr + d).slice(-8192);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 3), stderr }));
  });
}

/** The one-line note a `--new-only` run prints (and the JSON report carries). */
export function newOnlyNote(result: BaseScanResult, left: number): string {
  const noun = left === 1 ? 'finding' : 'findings';
  return `--new-only ${result.ref}: ${left} ${noun} already present at the merge base ${result.mergeBase.slice(0, 12)} left out`;
}
