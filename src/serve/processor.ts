/**
 * After a delivery is committed (with its row in event_queue, in the same transaction) the
 * detectors run here, one event at a time in arrival order, off the request path. A row leaves
 * the queue only once detection finished, so a server killed mid-burst resumes where it was:
 * at start (SQLite: this process owns every row) or when the lease of a dead replica runs out
 * (PostgreSQL). Detectors and alert recording are idempotent, so a retried event cannot raise
 * an alert twice.
 */
import { hydrate, runDetectors, type Detector, type DetectorContext } from '../monitor/detect.js';
import { DETECTORS } from '../monitor/detectors/index.js';
import type { MonitorEvent } from '../monitor/model.js';
import type { SqlStore } from '../store/sql-store.js';
import type { ServeStore } from '../store/serve-store.js';
import type { Metrics } from './metrics.js';

/** How long a claimed event is reserved for its process before others may take it. */
export const LEASE_MS = 60_000;
/** Events that fail this many times (the store was down, a bug) leave the queue with an error log. */
const MAX_ATTEMPTS = 5;
/**
 * Finished events leave the queue in one delete per this many (or when the work stops for
 * FINISH_WAIT_MS), not one per request group: on SQLite each delete is a transaction of its
 * own, and one per group was a fifth of the commits of a burst. A row finished but not yet
 * deleted when the process dies is detected again after the restart, which is idempotent.
 */
const FINISH_BATCH = 500;
export const FINISH_WAIT_MS = 50;

export interface ProcessorOptions {
  store: SqlStore;
  serveStore: ServeStore;
  ctx: DetectorContext;
  metrics: Metrics;
  /** Alerts new or raised by an event (notifications). */
  onAlerts?: (alertIds: number[]) => Promise<void>;
  log: (line: string) => void;
  detectors?: readonly Detector[];
  /** How often to look for rows nobody holds (restart, dead replica). */
  sweepMs?: number;
}

export class Processor {
  private readonly pending: Array<{ id: number; event?: MonitorEvent }> = [];
  private readonly finished: number[] = [];
  private running = false;
  private stopped = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  /** Set while the drain loop waits for more work before writing the finished rows. */
  private wake: (() => void) | undefined;

  constructor(private readonly o: ProcessorOptions) {}

  /** In-memory backlog (the store's queue depth also counts rows other replicas hold). */
  get backlog(): number {
    return this.pending.length;
  }

  /** Events this process just committed and holds the lease of. */
  submit(items: Array<{ id: number; event?: MonitorEvent }>): void {
    if (this.stopped) return;
    this.pending.push(...items);
    this.wake?.();
    this.kick();
  }

  start(): void {
    const every = this.o.sweepMs ?? 5_000;
    const sweep = (): void => {
      void this.sweep().finally(() => {
        if (!this.stopped) this.sweepTimer = setTimeout(sweep, every).unref();
      });
    };
    sweep();
  }

  /** Claims rows whose lease ran out and processes them. */
  async sweep(): Promise<number> {
    if (this.stopped) return 0;
    try {
      const ids = await this.o.serveStore.claimStale(500, LEASE_MS);
      if (ids.length) this.submit(ids.map((id) => ({ id })));
      return ids.length;
    } catch (e) {
      this.o.log(`queue sweep failed: ${(e as Error).message}`);
      return 0;
    }
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        while (this.pending.length && !this.stopped) {
          const item = this.pending.shift()!;
          await this.processOne(item.id, item.event);
          if (this.finished.length >= FINISH_BATCH) await this.flushFinished();
        }
        if (this.stopped || this.finished.length === 0) break;
        // Out of work: wait a little for the next request group before the delete.
        if (!(await this.moreWork())) break;
      }
      await this.flushFinished();
    } finally {
      this.running = false;
      if (this.pending.length && !this.stopped) this.kick();
      else for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** True when events arrived within FINISH_WAIT_MS, false when the wait ran out (or stop()). */
  private moreWork(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, FINISH_WAIT_MS);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(this.pending.length > 0 && !this.stopped);
      };
    });
  }

  private async flushFinished(): Promise<void> {
    if (!this.finished.length) return;
    const ids = this.finished.splice(0);
    try {
      await this.o.serveStore.dequeue(ids);
    } catch (e) {
      // Left in the queue: the lease runs out and they are detected again (idempotently).
      this.o.log(`could not dequeue ${ids.length} events: ${(e as Error).message}`);
    }
  }

  /** Runs the detectors on one event; used by the in-process queue and by queue workers. */
  async processOne(id: number, given?: MonitorEvent): Promise<void> {
    const started = performance.now();
    try {
      let event = given;
      if (!event) {
        const [stored] = await this.o.store.getEvents([id]);
        const raw = stored ? await this.o.store.rawOf(id) : undefined;
        if (!stored || !raw) {
          this.finished.push(id);
          return;
        }
        event = hydrate(stored, raw);
      }
      const result = await runDetectors(event, this.o.ctx, this.o.detectors ?? DETECTORS);
      for (const f of result.failures) {
        this.o.metrics.detectorFailures.inc({ detector: f.detector });
        this.o.log(`detector ${f.detector} failed on event ${id}: ${f.error}`);
      }
      this.o.metrics.processed.inc();
      this.o.metrics.detectLatency.observe((performance.now() - started) / 1000);
      if (result.alerts.length) {
        const created = await this.o.store.getAlerts(result.alerts.filter((a) => a.created).map((a) => a.id));
        for (const a of created) this.o.metrics.alerts.inc({ alert: a.alert });
        await this.o.onAlerts?.([...new Set(result.alerts.map((a) => a.id))]);
      }
      this.finished.push(id);
    } catch (e) {
      const attempts = await this.o.serveStore.attemptsOf(id).catch(() => 0);
      if (attempts >= MAX_ATTEMPTS) {
        this.o.log(`event ${id} failed detection ${attempts} times, leaving the queue: ${(e as Error).message}`);
        this.finished.push(id);
      } else {
        this.o.log(`event ${id}: detection failed, will retry: ${(e as Error).message}`);
      }
    }
  }

  /** A queue worker's job: the row is claimed already; detect and dequeue it now. */
  async processNow(id: number): Promise<void> {
    await this.processOne(id);
    await this.flushFinished();
  }

  /** Resolves when nothing is pending in memory (tests, graceful stop). */
  async idle(): Promise<void> {
    if (!this.running && this.pending.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Finishes the event in hand; the rest stays queued in the store for the next start. */
  async stop(): Promise<void> {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.stopped = true;
    this.wake?.();
    if (this.running) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
