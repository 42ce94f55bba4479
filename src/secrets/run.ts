/**
 * Orchestrates one `pipewarden secrets` run: pick the source, scan, dedupe history, verify.
 * Kept apart from the CLI so tests (and `pipewarden scan`) can call it without commander.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Diagnostic, Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import { readTextFile } from '../sources/read.js';
import type { PipewardenConfig } from '../config/types.js';
import type { AddedBlock } from './diff.js';
import { gitTopLevel, resolveCommit, stagedArgs, streamGitDiff, streamGitHistory } from './git.js';
import { PathFilter } from './paths.js';
import { SecretScanner, type SecretFinding } from './scan.js';
import { contextLines, lineMapper, SparseSource, type Sighting } from './sparse.js';
import { readLogBlocks } from './stdin.js';
import { scanFileText, scanTree } from './tree.js';
import { verifySecrets, type VerifyOptions } from './verify.js';

export type SecretsMode = 'tree' | 'git' | 'staged' | 'stdin';

export interface SecretsRunOptions {
  mode: SecretsMode;
  /** Directory (or file, in tree mode) to scan; for git modes, any directory inside the repository. */
  path: string;
  since?: string;
  /** false with --no-ignore: no .gitignore and no default ignores. */
  ignore: boolean;
  maxFileSize: number;
  verify: boolean;
  verifyOptions?: VerifyOptions;
  stdin?: Readable;
  /** git processes producing history patches in parallel (default: 2 on a multi-core machine). */
  gitProcesses?: number;
  /** Worker threads for tree scans (default: one per core, at most 4; 1 = none). */
  workers?: number;
  /** Progress sink (the CLI passes one only when stderr is a TTY and not --quiet). */
  progress?: (text: string) => void;
}

export interface SecretsRunResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleMeta[];
  docsFor(ruleId: string): string | undefined;
  root: string;
  sourceOf(file: string): string | undefined;
  stats: { files: number; bytes: number; seconds: number };
}

export const STDIN_NAME = '<stdin>';

export async function runSecretsScan(config: PipewardenConfig, opts: SecretsRunOptions): Promise<SecretsRunResult> {
  const started = process.hrtime.bigint();
  const scanner = new SecretScanner(config);
  const diagnostics: Diagnostic[] = [];
  const diag = (d: Diagnostic): void => void diagnostics.push(d);
  const filter = new PathFilter(config.secrets['paths-ignore'] ?? [], opts.ignore);
  const results: SecretFinding[] = [];
  const redacted = new Map<string, string>();
  // Diff and log sources have no whole file: keep the redacted lines around each finding so code
  // frames and `pipewarden:allow` comments work there too.
  const sparse = new Map<string, SparseSource>();
  const keep = (s: Sighting): void => {
    let src = sparse.get(s.file);
    if (!src) sparse.set(s.file, (src = new SparseSource()));
    for (const [n, t] of s.lines) src.set(n, t);
  };
  const progress = throttle(opts.progress);
  let root = resolve(opts.path);
  let files = 0;
  let bytes = 0;

  if (opts.mode === 'tree') {
    const st = statSync(root);
    if (st.isFile()) {
      // A single file named by the user: no ignore rules, reported by name relative to its directory.
      const rel = basename(root);
      const read = readTextFile(root, opts.maxFileSize);
      if ('skipped' in read) diag({ level: read.skipped.startsWith('cannot') ? 'error' : 'note', file: rel, message: read.skipped });
      else {
        const r = scanFileText(scanner, rel, read.text);
        results.push(...r.results);
        if (r.redacted !== undefined) redacted.set(rel, r.redacted);
        files = 1;
        bytes = st.size;
      }
      root = dirname(root);
    } else {
      const stats = await scanTree(
        scanner,
        config,
        { root, gitignore: opts.ignore, skipVendored: opts.ignore, filter, maxFileSize: opts.maxFileSize, workers: opts.workers, onProgress: (f, b) => progress(`scanned ${f} files, ${mb(b)}`) },
        diag,
        (r) => {
          results.push(...r.results);
          if (r.redacted !== undefined) redacted.set(r.rel, r.redacted);
        },
      );
      files = stats.files;
      bytes = stats.bytes;
    }
  } else if (opts.mode === 'stdin') {
    const input = opts.stdin ?? process.stdin;
    const r = await readLogBlocks(input, {
      maxLine: opts.maxFileSize,
      onProgress: (b) => progress(`read ${mb(b)}`),
      onBlock: (b) => {
        const lineOf = (i: number): number => b.firstLine + i;
        const found = scanner.scan(b.text, STDIN_NAME, {}, lineMapper(b.text, lineOf));
        if (found.length === 0) return;
        keep({ found: found[0]!, file: STDIN_NAME, lines: contextLines(b.text, found, lineOf), when: 0 });
        results.push(...found);
      },
    });
    bytes = r.bytes;
    files = 1;
    root = process.cwd();
  } else {
    const history = opts.mode === 'git';
    root = gitTopLevel(root, history);
    const since = history && opts.since !== undefined ? resolveCommit(root, opts.since) : undefined;
    const byIdentity = new Map<string, Sighting>();
    const onBlock = (b: AddedBlock): void => {
      files++;
      const text = b.lines.join('\n');
      const lineOf = (i: number): number => b.lineNos[i]!;
      const found = scanner.scan(text, b.file, b.commit ?? {}, lineMapper(text, lineOf));
      if (found.length === 0) return;
      const lines = contextLines(text, found, lineOf);
      for (const f of found) {
        const sighting: Sighting = { found: f, file: b.file, lines, when: b.commit ? Date.parse(b.commit.date) : 0 };
        if (!history) {
          results.push(f);
          keep(sighting);
          continue;
        }
        // The same secret in the same file in several commits is one finding, at the oldest commit
        // (where the leak started); commit id breaks ties so parallel git output cannot change it.
        const prev = byIdentity.get(f.finding.fingerprint);
        if (!prev || sighting.when < prev.when || (sighting.when === prev.when && String(f.finding.properties?.commit) < String(prev.found.finding.properties?.commit))) {
          byIdentity.set(f.finding.fingerprint, sighting);
        }
      }
    };
    const streamOpts = {
      accept: (file: string) => filter.accepts(file),
      maxLine: opts.maxFileSize,
      onBlock,
      onProgress: (b: number) => progress(`read ${mb(b)} of ${history ? 'history' : 'staged changes'}`),
    };
    const r = history
      ? await streamGitHistory(root, since, { ...streamOpts, processes: opts.gitProcesses ?? Math.min(2, availableParallelism()) })
      : await streamGitDiff(root, stagedArgs(), streamOpts);
    bytes = r.bytes;
    const kept = [...byIdentity.values()].sort((a, b) => a.when - b.when || cmpFile(a.file, b.file));
    for (const s of kept) {
      results.push(s.found);
      keep(s);
    }
  }
  opts.progress?.('');

  if (opts.verify && results.length > 0) await applyVerification(results, opts.verifyOptions);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    findings: results.map((r) => r.finding),
    // Deterministic order whatever order workers finished in: by file, run-wide ones last.
    diagnostics: diagnostics
      .map((d, i) => ({ d, i }))
      .sort((a, b) => cmpFile(a.d.file, b.d.file) || a.i - b.i)
      .map(({ d }) => d),
    rules: scanner.ruleMetas(),
    docsFor: (ruleId) => scanner.docsFor(ruleId),
    root,
    sourceOf: (file) => redacted.get(file) ?? sparse.get(file)?.text(),
    stats: { files, bytes, seconds },
  };
}

function cmpFile(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

async function applyVerification(results: SecretFinding[], options?: VerifyOptions): Promise<void> {
  const verdicts = await verifySecrets(
    results.map((r) => ({ secret: r.secret, detectorId: String(r.finding.properties?.detector ?? '') })),
    options,
  );
  for (const r of results) {
    const v = verdicts.get(r.secret);
    const props = (r.finding.properties ??= {});
    if (!v) {
      props.verified = 'unknown';
      continue;
    }
    props.verified = v.verdict;
    props.verifier = v.provider;
    // A working credential is an incident, not a hygiene issue. An "invalid" one keeps its
    // severity: a 401 from the public API cannot tell a revoked token from a self-hosted one.
    if (v.verdict === 'live') r.finding.severity = 'critical';
  }
}

function throttle(sink: ((text: string) => void) | undefined): (text: string) => void {
  if (!sink) return () => {};
  let last = 0;
  return (text) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    sink(text);
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
