import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../monitor/model.js';
import type { InsertResult } from '../monitor/store.js';
import type { SqlStore } from '../store/sql-store.js';
import { Ingestor } from './ingest.js';

/** A store that records each transaction (one insertEvents call) and can fail on a marked event. */
function fakeStore(failOn?: string) {
  const transactions: string[][] = [];
  let next = 1;
  const store = {
    async insertEvents(events: NewEvent[]): Promise<InsertResult[]> {
      if (failOn && events.some((e) => e.dedupKey === failOn)) throw new Error('constraint failed');
      transactions.push(events.map((e) => e.dedupKey));
      return events.map(() => ({ id: next++, inserted: true }));
    },
  } as unknown as SqlStore;
  return { store, transactions };
}

const ev = (key: string): NewEvent => ({ dedupKey: key }) as NewEvent;

describe('Ingestor group commit', () => {
  it('requests arriving in separate turns of the event loop within the window share one transaction', async () => {
    const { store, transactions } = fakeStore();
    const ing = new Ingestor(store, 60_000, 50);
    const a = ing.commit([ev('a')]);
    await new Promise((r) => setImmediate(r));
    const b = ing.commit([ev('b'), ev('c')]);
    await new Promise((r) => setImmediate(r));
    const c = ing.commit([ev('d')]);
    expect(await Promise.all([a, b, c])).toEqual([[{ id: 1, inserted: true }], [{ id: 2, inserted: true }, { id: 3, inserted: true }], [{ id: 4, inserted: true }]]);
    expect(transactions).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('a full group (500 events) is written at once, without waiting for the window', async () => {
    const { store, transactions } = fakeStore();
    const ing = new Ingestor(store, 60_000, 3_600_000);
    const big = ing.commit(Array.from({ length: 500 }, (_, i) => ev(`k${i}`)));
    expect((await big).length).toBe(500);
    expect(transactions.map((t) => t.length)).toEqual([500]);
  });

  it('one failing request does not fail the others of its group; drain waits for a pending window', async () => {
    const { store, transactions } = fakeStore('bad');
    const ing = new Ingestor(store, 60_000, 50);
    const ok = ing.commit([ev('x')]);
    const bad = ing.commit([ev('bad')]);
    const badResult = bad.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await ing.drain();
    expect(await ok).toEqual([{ id: 1, inserted: true }]);
    expect(await badResult).toBe('constraint failed');
    expect(transactions).toEqual([['x']]);
  });
});
