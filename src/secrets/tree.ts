/**
 * Directory source: a gitignore-aware walk that never follows links, one read per file. Big
 * trees are scanned by worker threads (the walk stays on the main thread and feeds them
 * batches); small ones, and runs from TypeScript sources (tests), are scanned inline.
 */
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../core/finding.js';
import type { PipewardenConfig } from '../config/types.js';
import { looksBinary, readTextFile, type ReadResult } from '../sources/read.js';
import { errorCode, walkTree, type WalkEntry } from '../sources/walk.js';
import { DEFAULT_SKIP_DIRS, type PathFilter } from './paths.js';
import { redactSpans } from './redact.js';
import type { SecretFinding, SecretScanner } from './scan.js';

export interface TreeOptions {
  root: string;
  gitignore: boolean;
  /** Skip vendored directories by name (the default ignores). */
  skipVendored: boolean;
  filter: PathFilter;
  maxFileSize: number;
  /**
   * Worker threads; 1 scans on the main thread. Default: one per core (at most 4) once the tree
   * holds PARALLEL_MIN_BYTES; an explicit count uses workers whatever the size.
   */
  workers?: number;
  onProgress?: (files: number, bytes: number) => void;
}

export interface FileResult {
  rel: string;
  results: SecretFinding[];
  /** The file with every hit starred out, for code frames; only when there are results. */
  redacted?: string;
}

/** What scanning one file produced: a result, or why it was skipped. */
export type FileOutcome = { rel: string; size: number; result: FileResult } | { rel: string; size: number; skipped: string };

/** Per-file binary notes beyond this are summed up in one note: a repo of images should not flood stderr. */
const MAX_BINARY_NOTES = 20;
/** Below this much data, starting workers (each loads every detector) costs more than it saves. */
const PARALLEL_MIN_BYTES = 32 << 20;
const BATCH_BYTES = 4 << 20;
const BATCH_FILES = 256;

export function scanFileText(scanner: SecretScanner, rel: string, text: string): FileResult {
  const results = scanner.scan(text, rel);
  return results.length === 0 ? { rel, results } : { rel, results, redacted: redactSpans(text, results) };
}

export function scanOneFile(scanner: SecretScanner, abs: string, rel: string, size: number, maxFileSize: number): FileOutcome {
  const read = readFast(abs, maxFileSize);
  if ('skipped' in read) return { rel, size, skipped: read.skipped };
  return { rel, size, result: scanFileText(scanner, rel, read.text) };
}

/** Reused read buffer: the text is copied out of it anyway, so a fresh buffer per file is garbage. */
let scratch = Buffer.allocUnsafe(1 << 20);

/**
 * readTextFile with a faster decode: most source files are pure ASCII, and for those latin1
 * decoding gives the same string at a fraction of the cost of UTF-8 validation.
 */
function readFast(abs: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (e) {
    return { skipped: `cannot read file: ${errorCode(e)}` };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return readTextFile(abs, maxBytes); // same message as everywhere else
    if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
    const buf = scratch;
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    const data = buf.subarray(0, off);
    if (looksBinary(data)) return { skipped: 'binary file; skipped' };
    return { text: isAscii(data) ? data.toString('latin1') : data.toString('utf8') };
  } catch (e) {
    return { skipped: `cannot read file: ${errorCode(e)}` };
  } finally {
    closeSync(fd);
  }
}

export async function scanTree(
  scanner: SecretScanner,
  config: PipewardenConfig,
  opts: TreeOptions,
  diag: (d: Diagnostic) => void,
  onFile: (r: FileResult) => void,
): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const binaries: FileOutcome[] = [];
  const take = (o: FileOutcome): void => {
    if ('skipped' in o) {
      if (o.skipped.startsWith('binary')) binaries.push(o);
      else {
        diag({ level: o.skipped.startsWith('cannot') ? 'error' : 'note', file: o.rel, message: o.skipped });
      }
      return;
    }
    files++;
    bytes += o.size;
    onFile(o.result);
    opts.onProgress?.(files, bytes);
  };
  const walk = walkTree(opts.root, { gitignore: opts.gitignore, skipDirs: opts.skipVendored ? DEFAULT_SKIP_DIRS : [], accept: (rel) => opts.filter.accepts(rel) }, diag);
  const workers = opts.workers ?? Math.min(4, availableParallelism());
  const workerUrl = new URL('./worker.js', import.meta.url);
  // Sources run by a TypeScript loader (vitest) have no compiled worker to start.
  const canThread = workers > 1 && !import.meta.url.endsWith('.ts');
  if (!canThread) {
    for (const e of walk) take(scanOneFile(scanner, e.abs, e.rel, e.size, opts.maxFileSize));
  } else {
    await scanParallel(walk, scanner, config, opts, workers, workerUrl, take, opts.workers !== undefined ? 0 : PARALLEL_MIN_BYTES);
  }
  // Workers finish in any order: pick the noted binaries by path so the output is deterministic.
  binaries.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const b of binaries.slice(0, MAX_BINARY_NOTES)) diag({ level: 'note', file: b.rel, message: (b as { skipped: string }).skipped });
  if (binaries.length > MAX_BINARY_NOTES) diag({ level: 'note', message: `${binaries.length - MAX_BINARY_NOTES} more binary files skipped` });
  return { files, bytes };
}

/**
 * Walks on this thread, scans in workers. Files are walked ahead only until PARALLEL_MIN_BYTES
 * is seen, so a small tree never starts a worker; after that each worker has at most two
 * batches in flight, which bounds memory whatever the tree size.
 */
async function scanParallel(
  walk: Generator<WalkEntry>,
  scanner: SecretScanner,
  config: PipewardenConfig,
  opts: TreeOptions,
  count: number,
  url: URL,
  take: (o: FileOutcome) => void,
  minBytes: number,
): Promise<void> {
  const head: WalkEntry[] = [];
  let headBytes = 0;
  let next = walk.next();
  while (!next.done && headBytes < minBytes) {
    head.push(next.value);
    headBytes += next.value.size;
    next = walk.next();
  }
  if (next.done && minBytes > 0) {
    for (const e of head) take(scanOneFile(scanner, e.abs, e.rel, e.size, opts.maxFileSize));
    return;
  }
  let pending = head;
  const nextBatch = (): WalkEntry[] | undefined => {
    const batch: WalkEntry[] = [];
    let size = 0;
    while (batch.length < BATCH_FILES && size < BATCH_BYTES) {
      let e = pending.shift();
      if (!e) {
        if (next.done) break;
        e = next.value;
        next = walk.next();
      }
      batch.push(e);
      size += e.size;
    }
    if (pending.length === 0) pending = [];
    return batch.length > 0 ? batch : undefined;
  };
  const pool = Array.from({ length: count }, () => new Worker(url, { workerData: { config, maxFileSize: opts.maxFileSize } }));
  try {
    await Promise.all(
      pool.map(async (worker) => {
        for (let batch = nextBatch(); batch; batch = nextBatch()) {
          const outcomes = await request(worker, batch.map((e) => ({ abs: e.abs, rel: e.rel, size: e.size })));
          for (const o of outcomes) take(o);
        }
      }),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

function request(worker: Worker, files: Array<{ abs: string; rel: string; size: number }>): Promise<FileOutcome[]> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { outcomes?: FileOutcome[]; error?: string }): void => {
      cleanup();
      if (m.error !== undefined) reject(new Error(`secrets worker failed: ${m.error}`));
      else resolve(m.outcomes!);
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(files);
  });
}
