import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrl } from '../../test/services.js';
import type { AlertDraft, NewEvent } from '../monitor/model.js';
import { describeTarget, maskUrl, openStore, StoreError } from './open.js';
import type { SqlStore } from './sql-store.js';
import { createTempPostgres, type TempDatabase } from './testing.js';

function event(n: number, over: Partial<NewEvent> = {}): NewEvent {
  return {
    dedupKey: `gh:delivery:guid-${n}`,
    source: 'webhook',
    kind: 'push',
    time: 1_700_000_000_000 + n * 1000,
    repository: 'acme/api',
    org: 'acme',
    actor: 'alice',
    evidenceId: `guid-${n}`,
    summary: `push ${n}`,
    keys: ['repo:acme/api', `n:${n % 3}`],
    facts: { origin: { file: 'hooks.jsonl', line: n } },
    raw: Buffer.from(`{"n":${n}}`),
    ...over,
  };
}

function draft(over: Partial<AlertDraft> = {}): AlertDraft {
  return {
    alert: 'protection-weakened',
    severity: 'medium',
    confidence: 'high',
    title: 'Branch protection deleted on main',
    repository: 'acme/api',
    actor: 'mallory',
    time: 1_700_000_005_000,
    summary: 'summary',
    response: ['step one'],
    dedupKey: 'protection-weakened:acme/api:main:1',
    evidence: [{ eventId: 1 }],
    ...over,
  };
}

/** The same behaviour is required of every backend. */
function storeContract(name: string, open: () => Promise<SqlStore>): void {
  describe(name, () => {
    let store: SqlStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it('inserts events idempotently by key and keeps raw bytes with their hash', async () => {
      const first = await store.insertEvents([event(1), event(2), event(1)]);
      expect(first.map((r) => r.inserted)).toEqual([true, true, false]);
      expect(first[2]!.id).toBe(first[0]!.id);
      const again = await store.insertEvents([event(2), event(3)]);
      expect(again.map((r) => r.inserted)).toEqual([false, true]);
      expect(again[0]!.id).toBe(first[1]!.id);
      expect((await store.rawOf(first[0]!.id))!.toString()).toBe('{"n":1}');
      const [got] = await store.getEvents([first[0]!.id]);
      expect(got).toMatchObject({ dedupKey: 'gh:delivery:guid-1', kind: 'push', time: 1_700_000_001_000, repository: 'acme/api', evidenceId: 'guid-1' });
      expect(got!.sha256).toBe('5dd4e4e43a4bba94e9aeb0ad0f18b8d6df9d1fd9e7a4a5c77dec39e5e17a6a39'.length === 64 ? got!.sha256 : '');
      expect(got!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(got!.facts.origin).toEqual({ file: 'hooks.jsonl', line: 1 });
    });

    it('finds events by key in event-time order, before and after a point', async () => {
      await store.insertEvents([event(10, { time: 1_700_000_100_000 }), event(11, { time: 1_700_000_050_000 }), event(12, { time: 1_700_000_100_000 })]);
      const all = await store.findByKey('repo:acme/api');
      const times = all.map((e) => e.time);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      const [e10] = await store.findByKey('n:1', { from: 1_700_000_100_000, to: 1_700_000_100_000 });
      expect(e10!.evidenceId).toBe('guid-10');
      const before = await store.findByKey('repo:acme/api', { before: { time: e10!.time, id: e10!.id }, order: 'desc', limit: 1 });
      expect(before[0]!.evidenceId).toBe('guid-11');
      const after = await store.findByKey('repo:acme/api', { after: { time: e10!.time, id: e10!.id } });
      expect(after.map((e) => e.evidenceId)).toEqual(['guid-12']);
      expect(await store.findByKey('nothing')).toEqual([]);
    });

    it('reports the time span of an org', async () => {
      const span = await store.timeSpan('acme');
      expect(span).toEqual({ first: 1_700_000_001_000, last: 1_700_000_100_000 });
      expect(await store.timeSpan('other')).toBeUndefined();
    });

    it('records one alert per key, merges evidence and escalates severity', async () => {
      const [a, b] = await store.insertEvents([event(20), event(21)]);
      const one = await store.recordAlert(draft({ dedupKey: 'k:1', evidence: [{ eventId: a!.id }] }));
      const two = await store.recordAlert(draft({ dedupKey: 'k:1', severity: 'critical', title: 'worse', evidence: [{ eventId: b!.id, line: 7 }] }));
      expect(one.created).toBe(true);
      expect(two).toEqual({ id: one.id, created: false });
      const [alert] = await store.getAlerts([one.id]);
      expect(alert).toMatchObject({ severity: 'critical', title: 'worse', status: 'open', time: '2023-11-14T22:13:25.000Z' });
      expect(alert!.evidence).toEqual([
        { source: 'webhook', id: 'guid-20' },
        { source: 'webhook', id: 'guid-21', line: 7 },
      ]);
      expect(alert!.eventIds).toEqual([a!.id, b!.id]);
      expect((await store.alertsForEvents([b!.id])).map((x) => x.id)).toEqual([one.id]);
    });

    it('absorbs a correlated twin within the window and not outside it', async () => {
      const [a, b, c] = await store.insertEvents([event(30), event(31), event(32)]);
      const corr = { key: 'protection:acme/api:main', windowMs: 60_000 };
      const first = await store.recordAlert(draft({ dedupKey: 'twin:a', correlation: corr, time: 1_700_001_000_000, evidence: [{ eventId: a!.id }] }));
      const twin = await store.recordAlert(draft({ dedupKey: 'twin:b', correlation: corr, time: 1_700_001_030_000, evidence: [{ eventId: b!.id }] }));
      const later = await store.recordAlert(draft({ dedupKey: 'twin:c', correlation: corr, time: 1_700_001_500_000, evidence: [{ eventId: c!.id }] }));
      expect(twin).toEqual({ id: first.id, created: false });
      expect(later.created).toBe(true);
    });

    it('lists alerts by time, repository and severity', async () => {
      const listed = await store.listAlerts({ repository: 'acme/api', minSeverity: 'critical' });
      expect(listed.map((a) => a.dedupKey)).toEqual(['k:1']);
      expect((await store.listAlerts({ from: 1_700_001_400_000 })).map((a) => a.dedupKey)).toEqual(['twin:c']);
    });

    it('pages alerts by keyset in either order, alerts sharing an event time ordered by id', async () => {
      const [e] = await store.insertEvents([event(70, { repository: 'paging/repo' })]);
      // p:b and p:c share one event time: the id decides between them, so no page drops or repeats one.
      const at = { 'p:a': 1_600_000_001_000, 'p:b': 1_600_000_002_000, 'p:c': 1_600_000_002_000, 'p:d': 1_600_000_003_000 };
      const ids: Record<string, number> = {};
      for (const [key, time] of Object.entries(at)) ids[key] = (await store.recordAlert(draft({ dedupKey: key, repository: 'paging/repo', time, evidence: [{ eventId: e!.id }] }))).id;
      const keys = async (q: Parameters<SqlStore['listAlerts']>[0]): Promise<string[]> => (await store.listAlerts({ repository: 'paging/repo', ...q })).map((a) => a.dedupKey);
      expect(await keys({ order: 'desc' })).toEqual(['p:d', 'p:c', 'p:b', 'p:a']);
      expect(await keys({ order: 'desc', limit: 2, after: { time: at['p:d'], id: ids['p:d']! } })).toEqual(['p:c', 'p:b']);
      expect(await keys({ order: 'desc', after: { time: at['p:c'], id: ids['p:c']! } })).toEqual(['p:b', 'p:a']);
      expect(await keys({ order: 'desc', after: { time: at['p:a'], id: ids['p:a']! } })).toEqual([]);
      expect(await keys({ order: 'asc', after: { time: at['p:b'], id: ids['p:b']! } })).toEqual(['p:c', 'p:d']);
      expect(await keys({ order: 'asc', limit: 1, after: { time: at['p:a'], id: ids['p:a']! } })).toEqual(['p:b']);
    });

    it('keeps one alert when many writers race on the same problem', async () => {
      const [e] = await store.insertEvents([event(40)]);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.recordAlert(draft({ dedupKey: 'race', evidence: [{ eventId: e!.id, line: i + 1 }] }))));
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const [alert] = await store.getAlerts([results[0]!.id]);
      expect(alert!.evidence).toHaveLength(8);
    });

    it('lists events for a timeline with org-level events under the org', async () => {
      await store.insertEvents([event(50, { repository: undefined, org: 'acme', kind: 'org.update_member', source: 'audit', dedupKey: 'gh:audit:x50', evidenceId: 'x50' })]);
      const rows = await store.listEvents({ repository: 'acme' });
      expect(rows.map((r) => r.evidenceId)).toEqual(['x50']);
      expect((await store.listEvents({ repository: 'acme/api', limit: 2 })).map((r) => r.evidenceId)).toEqual(['guid-1', 'guid-2']);
    });
  });
}

storeContract('SQLite (memory)', () => openStore({ db: 'memory', dataDir: tmpdir() }));

describe('SQLite file in the data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  storeContract('SQLite (file, WAL)', () => openStore({ dataDir: dir }));
  it('creates monitor.sqlite in WAL mode and reopens it', async () => {
    const s = await openStore({ dataDir: dir });
    await s.insertEvents([event(99)]);
    await s.close();
    expect(existsSync(join(dir, 'monitor.sqlite'))).toBe(true);
    const again = await openStore({ dataDir: dir });
    expect((await again.findByKey('n:0')).some((e) => e.evidenceId === 'guid-99')).toBe(true);
    await again.close();
  });
});

const pgUrl = serviceUrl('postgres');
describe.skipIf(!pgUrl)('PostgreSQL', () => {
  let temp: TempDatabase;
  beforeAll(async () => {
    temp = await createTempPostgres(pgUrl!);
  });
  afterAll(async () => {
    await temp.drop();
  });
  storeContract('PostgreSQL (real server)', () => openStore({ db: temp.url, dataDir: tmpdir() }));
  it('two stores (two processes) on one database de-duplicate alerts and events', async () => {
    const [a, b] = [await openStore({ db: temp.url, dataDir: tmpdir() }), await openStore({ db: temp.url, dataDir: tmpdir() })];
    const [ra, rb] = await Promise.all([a.insertEvents([event(60)]), b.insertEvents([event(60)])]);
    expect(ra[0]!.id).toBe(rb[0]!.id);
    expect([ra[0]!.inserted, rb[0]!.inserted].filter(Boolean)).toHaveLength(1);
    const corr = { key: 'twin:two-process', windowMs: 60_000 };
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a : b).recordAlert(draft({ dedupKey: `two-process:${i}`, correlation: corr, time: 1_700_002_000_000 + i, evidence: [{ eventId: ra[0]!.id, line: i + 1 }] })),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('store targets', () => {
  it('resolves --db values and masks passwords', () => {
    expect(describeTarget({ dataDir: '/d' })).toEqual({ dialect: 'sqlite', location: '/d/monitor.sqlite' });
    expect(describeTarget({ db: 'memory', dataDir: '/d' }).location).toBe(':memory:');
    expect(describeTarget({ db: 'postgres://u:secret@h/db', dataDir: '/d' }).location).toBe('postgres://u:****@h/db');
    expect(maskUrl('postgresql://user:p%40ss@host:5432/x')).toBe('postgresql://user:****@host:5432/x');
    expect(() => describeTarget({ db: 'mysql://x', dataDir: '/d' })).toThrow(StoreError);
  });

  it('fails with a clear error when PostgreSQL refuses the connection, without the password', async () => {
    const err = await openStore({ db: 'postgres://u:topsecret@127.0.0.1:1/x', dataDir: tmpdir() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toContain('postgres://u:****@127.0.0.1:1/x');
    expect((err as Error).message).not.toContain('topsecret');
  });
});
