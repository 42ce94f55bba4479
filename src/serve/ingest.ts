/**
 * Durable intake: deliveries become events committed together with their detection-queue rows.
 * Requests that arrive within a short window (GROUP_WINDOW_MS after the first one waiting) share
 * one transaction (group commit), which is what lets one SQLite file take thousands of
 * deliveries a second; each request is answered only after the transaction holding its event
 * committed. The window matters on SQLite: every transaction rewrites the index pages it touched
 * into the WAL, so 1 event per transaction costs about 5 times the CPU of 100 per transaction.
 */
import type { NewEvent } from '../monitor/model.js';
import type { InsertResult } from '../monitor/store.js';
import type { SqlStore } from '../store/sql-store.js';

interface Waiting {
  events: NewEvent[];
  resolve: (r: InsertResult[]) => void;
  reject: (e: unknown) => void;
}

/** Upper bound of events in one transaction (a burst is split). */
const MAX_GROUP = 500;
/**
 * How long the first request of a group waits for others (ms). Without it a group is what one
 * turn of the event loop read, which on an idle machine is often a single request.
 */
export const GROUP_WINDOW_MS = 3;

export class Ingestor {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private queued = 0;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: SqlStore,
    /**
     * How long a new row is held from the store sweep: this process's lease (it detects the
     * event itself), or the time a queue job (BullMQ) has to claim it before the sweep may.
     */
    private readonly holdMs: number,
    private readonly windowMs: number = GROUP_WINDOW_MS,
  ) {}

  commit(events: NewEvent[]): Promise<InsertResult[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      this.queued += events.length;
      if (this.queued >= MAX_GROUP) this.schedule(true);
      else if (!this.scheduled) this.schedule(false);
    });
  }

  private timer: NodeJS.Timeout | undefined;

  /** Flushes after the window, or at once (next turn) when a full group is waiting. */
  private schedule(now: boolean): void {
    if (now && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    } else if (this.scheduled) return;
    this.scheduled = true;
    const go = (): void => {
      this.timer = undefined;
      this.scheduled = false;
      this.flushing = this.flushing.then(() => this.flush());
    };
    if (now || this.windowMs <= 0) setImmediate(go);
    else this.timer = setTimeout(go, this.windowMs);
  }

  private async flush(): Promise<void> {
    while (this.waiting.length) {
      const group: Waiting[] = [];
      let size = 0;
      while (this.waiting.length && (size === 0 || size + this.waiting[0]!.events.length <= MAX_GROUP)) {
        const w = this.waiting.shift()!;
        this.queued -= w.events.length;
        group.push(w);
        size += w.events.length;
      }
      await this.write(group);
    }
  }

  private async write(group: Waiting[]): Promise<void> {
    const queue = { claimedUntil: Date.now() + this.holdMs };
    try {
      const results = await this.store.insertEvents(
        group.flatMap((w) => w.events),
        { queue },
      );
      let i = 0;
      for (const w of group) {
        w.resolve(results.slice(i, i + w.events.length));
        i += w.events.length;
      }
    } catch (e) {
      if (group.length === 1) {
        group[0]!.reject(e);
        return;
      }
      // One bad request must not fail the others it was grouped with: retry each alone.
      for (const w of group) await this.write([w]);
    }
  }

  /** Resolves once everything submitted so far is committed (graceful stop). */
  async drain(): Promise<void> {
    while (this.waiting.length || this.scheduled) {
      await new Promise((r) => setImmediate(r));
      await this.flushing;
    }
    await this.flushing;
  }
}
