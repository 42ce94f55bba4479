/**
 * Orchestrates one `pipewarden secrets` run: pick the source, scan, dedupe history, verify.
 * Kept apart from the CLI so tests (and `pipewarden scan`) can call it without commander.
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Diagnostic, Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import type { PipewardenConfig } from '../config/types.js';
import { gitTopLevel, resolveCommit } from './git.js';
import { scanHistory, scanStaged, type ChangeBlock } from './history.js';
import { PathFilter } from './paths.js';
import { SecretScanner, type SecretFinding } from './scan.js';
import { contextLines, lineMapper, SparseSource, type Sighting } from './sparse.js';
import { readLogBlocks } from './stdin.js';
import { DEFAULT_FILE_TIMEOUT_MS, JobBatcher, ScanPool, type JobOutcome } from './pool.js';
import { failureDiagnostic, scanTree } from './tree.js';
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
  /** Worker threads (default: one per core, at most 4). */
  workers?: number;
  /** Time budget per file, history blob or block of standard input, in ms (default DEFAULT_FILE_TIMEOUT_MS). */
  fileTimeoutMs?: number;
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
  const budgetMs = opts.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
  const pool = new ScanPool({ config, scanner, maxFileSize: opts.maxFileSize, budgetMs, maxWorkers: opts.workers });
  // Every source scans in the pool; the first worker starts while the source is being set up.
  pool.warm(1);
  try {
    return await runWith(pool, scanner, config, opts, budgetMs, started);
  } finally {
    await pool.close();
  }
}

async function runWith(pool: ScanPool, scanner: SecretScanner, config: PipewardenConfig, opts: SecretsRunOptions, budgetMs: number, started: bigint): Promise<SecretsRunResult> {
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
      const [o] = await pool.run([{ file: rel, abs: root, size: st.size }]);
      if (o!.skipped !== undefined) diag({ level: o!.skipped.startsWith('cannot') ? 'error' : 'note', file: rel, message: o!.skipped });
      else {
        const failure = failureDiagnostic(o!, budgetMs);
        if (failure) diag(failure);
        results.push(...(o!.findings ?? []));
        if (o!.redacted !== undefined) redacted.set(rel, o!.redacted);
        files = 1;
        bytes = st.size;
      }
      root = dirname(root);
    } else {
      const stats = await scanTree(
        pool,
        { root, gitignore: opts.ignore, skipVendored: opts.ignore, filter, onProgress: (f, b) => progress(`scanned ${f} ${f === 1 ? 'file' : 'files'}, ${mb(b)}`) },
        budgetMs,
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
    const batches = new JobBatcher(pool);
    const r = await readLogBlocks(input, {
      maxLine: opts.maxFileSize,
      onProgress: (b) => progress(`read ${mb(b)}`),
      onBlock: (b) =>
        batches.add({ file: STDIN_NAME, text: b.text, size: b.text.length }, (o) => {
          const lineOf = (i: number): number => b.firstLine + i;
          const lastLine = lineOf(b.text.split('\n').length - 1);
          const failure = failureDiagnostic(o, budgetMs, { line: b.firstLine, note: `lines ${b.firstLine}-${lastLine}`, what: 'block of input' });
          if (failure) diag(failure);
          const found = scanner.findings(o.hits ?? [], b.text, STDIN_NAME, {}, lineMapper(b.text, lineOf));
          if (found.length === 0) return;
          keep({ found: found[0]!, file: STDIN_NAME, lines: contextLines(b.text, found, lineOf), when: 0 });
          results.push(...found);
        }),
    });
    await batches.finish();
    bytes = r.bytes;
    files = 1;
    root = process.cwd();
  } else {
    const history = opts.mode === 'git';
    root = gitTopLevel(root, history);
    const since = history && opts.since !== undefined ? resolveCommit(root, opts.since) : undefined;
    const byIdentity = new Map<string, Sighting>();
    const batches = new JobBatcher(pool);
    const onScanned = (b: ChangeBlock, o: JobOutcome): void => {
      const failure = failureDiagnostic(o, budgetMs, b.commit ? { note: `commit ${b.commit.commit}` } : {});
      if (failure) diag(failure);
      const found = scanner.findings(o.hits ?? [], b.text, b.file, b.commit ?? {}, lineMapper(b.text, (i) => b.lineOf(i)));
      if (found.length === 0) return;
      const lines = contextLines(b.text, found, (i) => b.lineOf(i));
      for (const f of found) {
        const sighting: Sighting = { found: f, file: b.file, lines, when: b.commit ? Date.parse(b.commit.date) : 0 };
        if (!history) {
          results.push(f);
          keep(sighting);
          continue;
        }
        // The same secret in the same file in several commits is one finding, at the oldest commit
        // (where the leak started); commit id breaks ties so the order scans finish in cannot change it.
        const prev = byIdentity.get(f.finding.fingerprint);
        if (!prev || sighting.when < prev.when || (sighting.when === prev.when && String(f.finding.properties?.commit) < String(prev.found.finding.properties?.commit))) {
          byIdentity.set(f.finding.fingerprint, sighting);
        }
      }
    };
    const changeOpts = {
      accept: (file: string) => filter.accepts(file),
      maxFileSize: opts.maxFileSize,
      diag,
      onBlock: (b: ChangeBlock) => {
        files++;
        return batches.add({ file: b.file, text: b.text, size: b.text.length }, (o) => onScanned(b, o));
      },
      onProgress: (b: number) => progress(`read ${mb(b)} of ${history ? 'history' : 'staged changes'}`),
    };
    const r = history ? await scanHistory(root, since, changeOpts) : await scanStaged(root, changeOpts);
    await batches.finish();
    bytes = r.bytes;
    const kept = [...byIdentity.values()].sort((a, b) => a.when - b.when || cmpFile(a.file, b.file));
    for (const s of kept) {
      results.push(s.found);
      keep(s);
    }
  }
  opts.progress?.('');

  if (opts.verify && results.length > 0) await applyVerification(results, diag, opts.verifyOptions);
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

async function applyVerification(results: SecretFinding[], diag: (d: Diagnostic) => void, options?: VerifyOptions): Promise<void> {
  const verdicts = await verifySecrets(
    results.map((r) => ({ secret: r.secret, detectorId: String(r.finding.properties?.detector ?? ''), properties: r.finding.properties })),
    options,
  );
  const unreachable = new Map<string, number>();
  for (const v of verdicts.values()) if (v.unreachable) unreachable.set(v.provider, (unreachable.get(v.provider) ?? 0) + 1);
  for (const [provider, n] of unreachable) {
    diag({ level: 'warning', message: `--verify: could not reach ${provider} (offline, blocked, or timed out): ${n} secret${n === 1 ? '' : 's'} left unverified (verified: unknown)` });
  }
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
    // severity: a 401 from the public API cannot tell a revoked token from one for a self-hosted one.
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
