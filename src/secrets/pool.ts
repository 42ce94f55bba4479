/**
 * Runs scans in worker threads under a time budget per file. Every source (tree, history,
 * staged changes, stdin) hands its files and blocks to one ScanPool, so the guarantee is the
 * same everywhere: a scan that passes its budget stops itself (the cooperative Deadline in
 * budget.ts) and, should one regex match run away where no check can interrupt it, the pool
 * terminates the worker after a grace period, reads which detector or decoder was running from
 * shared memory, reports `scan-timeout` for that file, starts a fresh worker and moves on.
 *
 * Without compiled workers (sources run by a TypeScript loader in tests) jobs run inline with the
 * cooperative deadline only.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PipewardenConfig } from '../config/types.js';
import { Deadline, ScanTimeout, type StageSink } from './budget.js';
import type { SecretHit } from './engine.js';
import type { SecretFinding, SecretScanner } from './scan.js';
import { scanFileJob } from './tree.js';

/** A file to read and scan (`abs`), or a text to scan (`text`: a diff block, a log block). */
export interface ScanJob {
  /** Display name: repo-relative path, `<stdin>`. */
  file: string;
  abs?: string;
  text?: string;
  /** Bytes, for batching and progress. */
  size: number;
}

export interface JobOutcome {
  file: string;
  size: number;
  /** File jobs: findings with positions in the file, and the file with the hits starred out. */
  findings?: SecretFinding[];
  redacted?: string;
  /** Text jobs: hits by offset into the text (the caller maps them to lines). */
  hits?: SecretHit[];
  /** Why the file was not scanned (binary, too big, unreadable). */
  skipped?: string;
  /** The stage that was running when the budget ran out. */
  timeout?: string;
  /** A scanner failure on this input (a bug): reported, and the run goes on. */
  error?: string;
}

/** Default time budget per file or block. Scans run at tens of MB/s; 10 MiB files take well under a second. */
export const DEFAULT_FILE_TIMEOUT_MS = 10_000;

/** Shared-memory layout per worker: job index, job start (ms since the pool's epoch), stage length, stage bytes. */
const INDEX = 0;
const STARTED = 1;
const STAGE_LEN = 2;
const HEADER_INTS = 4;
const STAGE_BYTES = 512;
const IDLE = -1;

/** Runs one job: shared by the worker thread and the inline path. */
export function runJob(scanner: SecretScanner, job: ScanJob, maxFileSize: number, deadline: Deadline): JobOutcome {
  const base = { file: job.file, size: job.size };
  try {
    if (job.text !== undefined) return { ...base, hits: scanner.hits(job.text, job.file, deadline) };
    return { ...base, ...scanFileJob(scanner, job.abs!, job.file, maxFileSize, deadline) };
  } catch (e) {
    if (e instanceof ScanTimeout) return { ...base, timeout: e.stage };
    return { ...base, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Writes the current stage into a worker's shared slot (worker side). */
export class SharedStage implements StageSink {
  private readonly ints: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly encoder = new TextEncoder();

  constructor(shared: SharedArrayBuffer) {
    this.ints = new Int32Array(shared, 0, HEADER_INTS);
    this.bytes = new Uint8Array(shared, HEADER_INTS * 4, STAGE_BYTES);
  }

  startJob(index: number, epoch: number): void {
    Atomics.store(this.ints, STAGE_LEN, 0);
    Atomics.store(this.ints, STARTED, Date.now() - epoch);
    Atomics.store(this.ints, INDEX, index);
  }

  idle(): void {
    Atomics.store(this.ints, INDEX, IDLE);
  }

  stage(name: string): void {
    const { written } = this.encoder.encodeInto(name, this.bytes);
    Atomics.store(this.ints, STAGE_LEN, written);
  }
}

function readSlot(shared: SharedArrayBuffer): { index: number; started: number; stage: string } {
  const ints = new Int32Array(shared, 0, HEADER_INTS);
  const len = Atomics.load(ints, STAGE_LEN);
  const stage = new TextDecoder().decode(new Uint8Array(shared, HEADER_INTS * 4, Math.min(len, STAGE_BYTES)).slice());
  return { index: Atomics.load(ints, INDEX), started: Atomics.load(ints, STARTED), stage: stage || 'engine' };
}

export interface PoolOptions {
  config: PipewardenConfig;
  maxFileSize: number;
  /** Budget per job in ms. */
  budgetMs: number;
  /** Most worker threads (default: one per core, at most 4). */
  maxWorkers?: number;
  /** The scanner used inline when workers cannot run. */
  scanner: SecretScanner;
}

interface Slot {
  worker: Worker;
  shared: SharedArrayBuffer;
  busy?: { jobs: ScanJob[]; resolve: (o: JobOutcome[]) => void; reject: (e: Error) => void };
}

/** The worker bundled into one file by scripts/bundle.mjs (starts faster), else tsc's output. */
const WORKER_BUNDLE = new URL('./worker.bundle.js', import.meta.url);
const WORKER_URL = existsSync(fileURLToPath(WORKER_BUNDLE)) ? WORKER_BUNDLE : new URL('./worker.js', import.meta.url);
/** Sources run by a TypeScript loader (vitest) have no compiled worker to start. */
export const CAN_THREAD = !import.meta.url.endsWith('.ts');

export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Array<{ jobs: ScanJob[]; resolve: (o: JobOutcome[]) => void; reject: (e: Error) => void }> = [];
  private readonly epoch = Date.now();
  private readonly max: number;
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;
  /** Jobs submitted and not yet finished, by bytes: lets producers wait instead of buffering a whole history. */
  pendingBytes = 0;
  private drained: Array<() => void> = [];

  constructor(private readonly opts: PoolOptions) {
    this.max = CAN_THREAD ? Math.max(1, opts.maxWorkers ?? Math.min(4, availableParallelism())) : 0;
  }

  /**
   * Hard limit after which a worker is terminated: the budget, then a grace period for the
   * cooperative stop (which looks at the clock every few dozen matches, so it is normally far quicker).
   */
  get hardLimitMs(): number {
    return this.opts.budgetMs + Math.max(500, this.opts.budgetMs / 4);
  }

  /** Starts `n` workers ahead of the first job (hides their start-up behind the caller's own set-up). */
  warm(n = 1): void {
    while (this.slots.length < Math.min(n, this.max)) this.slots.push(this.spawn());
  }

  /** Scans a batch of jobs; outcomes in job order. */
  run(jobs: ScanJob[]): Promise<JobOutcome[]> {
    if (this.closed) return Promise.reject(new Error('scan pool is closed'));
    if (jobs.length === 0) return Promise.resolve([]);
    const bytes = jobs.reduce((a, j) => a + j.size, 0);
    this.pendingBytes += bytes;
    const done = (o: JobOutcome[]): JobOutcome[] => {
      this.pendingBytes -= bytes;
      for (const wake of this.drained.splice(0)) wake(); // waiters check their own limit again
      return o;
    };
    if (this.max === 0) {
      return Promise.resolve(done(jobs.map((j) => runJob(this.opts.scanner, j, this.opts.maxFileSize, Deadline.after(this.opts.budgetMs)))));
    }
    return new Promise<JobOutcome[]>((resolve, reject) => {
      this.queue.push({ jobs, resolve, reject });
      this.pump();
    }).then(done);
  }

  /** Resolves when fewer than `bytes` are in flight. */
  async waitBelow(bytes: number): Promise<void> {
    while (this.pendingBytes >= bytes) await new Promise<void>((r) => this.drained.push(r));
  }

  /** How many batches can run at once: use it to size producers. */
  get parallelism(): number {
    return Math.max(1, this.max);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const shared = new SharedArrayBuffer(HEADER_INTS * 4 + STAGE_BYTES);
    new Int32Array(shared)[INDEX] = IDLE;
    const worker = new Worker(WORKER_URL, {
      workerData: { config: this.opts.config, maxFileSize: this.opts.maxFileSize, budgetMs: this.opts.budgetMs, shared, epoch: this.epoch },
    });
    const slot: Slot = { worker, shared };
    worker.on('message', (m: { outcomes?: JobOutcome[]; error?: string }) => {
      const busy = slot.busy;
      slot.busy = undefined;
      if (!busy) return;
      if (m.outcomes) busy.resolve(m.outcomes);
      else busy.reject(new Error(`secrets worker failed: ${m.error}`));
      this.pump();
    });
    worker.on('error', (e) => {
      // An uncaught error in the worker (out of memory...): the job in hand fails, the worker is replaced.
      this.evict(slot, { error: e.message });
    });
    worker.unref();
    return slot;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.max) this.slots.push((slot = this.spawn()));
      if (!slot) break;
      const next = this.queue.shift()!;
      slot.busy = next;
      slot.worker.postMessage(next.jobs);
    }
    const anyBusy = this.slots.some((s) => s.busy);
    if (anyBusy && !this.watchdog) {
      this.watchdog = setInterval(() => this.check(), Math.min(250, Math.max(20, this.opts.budgetMs / 4)));
    } else if (!anyBusy && this.watchdog) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
  }

  /** Terminates workers stuck past the hard limit (see evict). */
  private check(): void {
    const now = Date.now() - this.epoch;
    for (const slot of [...this.slots]) {
      if (!slot.busy) continue;
      const { index, started, stage } = readSlot(slot.shared);
      if (index !== IDLE && now - started > this.hardLimitMs) this.evict(slot, { timeout: stage });
    }
  }

  /**
   * Replaces a worker that is stuck or died. The job it was on gets `outcome`; the others of its
   * batch run again in a fresh worker, and the batch's outcomes still come back in job order.
   */
  private evict(slot: Slot, outcome: Pick<JobOutcome, 'timeout' | 'error'>): void {
    const index = readSlot(slot.shared).index;
    this.replace(slot, (busy) => {
      const at = index >= 0 && index < busy.jobs.length ? index : 0;
      const stuck = busy.jobs[at]!;
      const failed: JobOutcome = { file: stuck.file, size: stuck.size, ...outcome };
      const rest = busy.jobs.filter((_, i) => i !== at);
      if (rest.length === 0) return busy.resolve([failed]);
      this.queue.unshift({ jobs: rest, resolve: (more) => busy.resolve([...more.slice(0, at), failed, ...more.slice(at)]), reject: busy.reject });
    });
  }

  private replace(slot: Slot, settle: (busy: NonNullable<Slot['busy']>) => void): void {
    const i = this.slots.indexOf(slot);
    if (i !== -1) this.slots.splice(i, 1);
    slot.worker.removeAllListeners('message');
    void slot.worker.terminate();
    const busy = slot.busy;
    slot.busy = undefined;
    if (busy) settle(busy);
    if (!this.closed) this.pump();
  }
}

/**
 * Groups jobs into batches (one message per batch: per-job messages would cost more than small
 * files take to scan) and keeps at most a few batches per worker in flight, so a producer that
 * awaits `add` never buffers more than that, however long the history or log.
 */
export class JobBatcher {
  private jobs: ScanJob[] = [];
  private handlers: Array<(o: JobOutcome) => void> = [];
  private bytes = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly pool: ScanPool,
    private readonly batchBytes = 4 << 20,
    private readonly batchJobs = 256,
  ) {}

  async add(job: ScanJob, onOutcome: (o: JobOutcome) => void): Promise<void> {
    this.jobs.push(job);
    this.handlers.push(onOutcome);
    this.bytes += job.size;
    if (this.jobs.length >= this.batchJobs || this.bytes >= this.batchBytes) {
      this.flush();
      await this.pool.waitBelow(this.pool.parallelism * 2 * this.batchBytes);
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** Sends what is pending and waits for every outcome. */
  async finish(): Promise<void> {
    this.flush();
    await Promise.all(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
  }

  private flush(): void {
    if (this.jobs.length === 0) return;
    const jobs = this.jobs;
    const handlers = this.handlers;
    this.jobs = [];
    this.handlers = [];
    this.bytes = 0;
    const p = this.pool.run(jobs).then(
      (outcomes) => outcomes.forEach((o, i) => handlers[i]!(o)),
      (e: unknown) => {
        this.failure ??= e;
      },
    );
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}
