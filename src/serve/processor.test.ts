/**
 * The detection queue's bookkeeping, without a store: finished events leave the queue in one
 * delete per batch, not one per request group (each delete is a transaction on SQLite).
 */
import { describe, expect, it } from 'vitest';
import type { DetectorContext } from '../monitor/detect.js';
import type { MonitorEvent } from '../monitor/model.js';
import type { SqlStore } from '../store/sql-store.js';
import type { ServeStore } from '../store/serve-store.js';
import { Metrics } from './metrics.js';
import { FINISH_WAIT_MS, Processor } from './processor.js';

function processor(): { p: Processor; deletes: number[][]; metrics: Metrics } {
  const deletes: number[][] = [];
  const serveStore = { dequeue: async (ids: number[]) => void deletes.push([...ids]) } as unknown as ServeStore;
  const metrics = new Metrics(async () => ({}));
  // No detectors: only the queue bookkeeping runs, so no store is read.
  const p = new Processor({ store: {} as SqlStore, serveStore, ctx: {} as DetectorContext, metrics, log: () => undefined, detectors: [] });
  return { p, deletes, metrics };
}

const event = {} as MonitorEvent;
const items = (from: number, n: number): Array<{ id: number; event: MonitorEvent }> => Array.from({ length: n }, (_, i) => ({ id: from + i, event }));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('serve detection queue (Processor)', () => {
  it('deletes the finished events of groups that arrive within the wait in one statement', async () => {
    const { p, deletes, metrics } = processor();
    p.submit(items(1, 3));
    // The next group comes before the wait runs out: still nothing deleted.
    await sleep(Math.floor(FINISH_WAIT_MS / 5));
    expect(deletes).toEqual([]);
    p.submit(items(4, 2));
    await p.idle();
    expect(deletes).toEqual([[1, 2, 3, 4, 5]]);
    expect(metrics.processed.get()).toBe(5);
    // A group after the wait ran out is a delete of its own.
    p.submit(items(6, 1));
    await p.idle();
    expect(deletes).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it('deletes at most 500 at a time during a long burst, and the rest when stopped', async () => {
    const { p, deletes } = processor();
    p.submit(items(1, 1203));
    await p.idle();
    expect(deletes.map((d) => [d[0], d.length])).toEqual([[1, 500], [501, 500], [1001, 203]]);
    const second = processor();
    second.p.submit(items(1, 2));
    // Stopping during the wait still writes what finished.
    await sleep(1);
    await second.p.stop();
    expect(second.deletes).toEqual([[1, 2]]);
  });
});
