import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrl } from '../../test/services.js';
import { push } from '../monitor/simulate/payloads.js';
import { QUEUE_NAME, redisConnection } from './queue.js';
import { postGithub, settled, startStack, storeSpot, type StoreSpot, type TestStack } from './testing.js';

const pg = serviceUrl('postgres');
const redis = serviceUrl('redis');
/** A worktree whose node_modules predates the ioredis dependency skips the BullMQ case until `npm install`. */
const ioredis = await import('ioredis').then(() => true, () => false);
const sha = (n: number): string => n.toString(16).padStart(40, '0');

describe.skipIf(!pg).each([['in-process queues'], ...(redis && ioredis ? [['BullMQ on one Redis']] : [])] as Array<[string]>)('two serve replicas on one PostgreSQL, %s', (mode) => {
  const prefix = mode.startsWith('BullMQ') ? `pw-test-${randomUUID()}` : undefined;
  let spot: StoreSpot;
  let a: TestStack;
  let b: TestStack;
  let rx: Server;
  const received: string[] = [];

  beforeAll(async () => {
    rx = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook`;
    spot = await storeSpot('postgres', pg);
    const settings = { destinations: [{ name: 'siem', type: 'webhook' as const, url, secret: 'replica-test-key', minSeverity: 'low' as const }] };
    const queue = prefix ? { redis: { url: redis!, prefix } } : {};
    // With Redis, the store's poll is only the safety net: jobs must do the work.
    a = await startStack(spot.db, { settings, notify: { pollMs: prefix ? 60_000 : 100 }, ...queue });
    b = await startStack(spot.db, { settings, notify: { pollMs: prefix ? 60_000 : 100 }, ...queue });
  }, 60_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await spot?.cleanup();
    await new Promise((r) => rx?.close(r));
    if (prefix) {
      const q = new Queue(QUEUE_NAME, { connection: redisConnection(redis!), prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
  });

  it('stores, detects and notifies every delivery once, whichever replica gets it and however often', async () => {
    const repos = ['api', 'web', 'infra'].map((name) => ({ org: 'acme', name, visibility: 'private' as const }));
    // 30 pushes, 10 of them changing a workflow on main (10 distinct alerts). Every delivery is
    // sent to both replicas at once (GitHub redelivering while the first attempt is in flight).
    const deliveries = Array.from({ length: 30 }, (_, i) => ({
      id: `rep-${i}`,
      payload: push(repos[i % 3]!, { ref: 'refs/heads/main', before: sha(i), after: sha(1000 + i), pusher: `dev${i % 4}`, commits: [{ id: sha(1000 + i), modified: [i % 3 === 0 ? '.github/workflows/ci.yml' : 'src/app.ts'] }], at: Date.parse('2026-05-01T08:00:00Z') + i * 1000 }),
    }));
    const answers = await Promise.all(deliveries.flatMap((d) => [a, b].map(async (r) => (await postGithub(r.server.url, 'push', d.payload, { delivery: d.id })).status)));
    // One of each pair stored it (202), the other found it stored (200) or stored it first.
    expect(answers.filter((s) => s === 202)).toHaveLength(30);
    expect(answers.filter((s) => s === 200)).toHaveLength(30);
    await Promise.all([settled(a), settled(b)]);
    // Rows a replica left to the other are picked up by the sweep; wait until both are idle.
    await Promise.all([a.server.processor.sweep(), b.server.processor.sweep()]);
    await Promise.all([settled(a), settled(b)]);

    expect(await a.store.listEvents({})).toHaveLength(30);
    const alerts = await a.store.listAlerts({});
    expect(alerts.map((x) => x.evidence.map((e) => e.id)[0]).sort()).toEqual(['rep-0', 'rep-12', 'rep-15', 'rep-18', 'rep-21', 'rep-24', 'rep-27', 'rep-3', 'rep-6', 'rep-9']);
    const processed = async (s: TestStack): Promise<number> => Number(/^pipewarden_events_processed_total (\d+)/m.exec(await s.server.metrics.render())?.[1] ?? 0);
    expect((await processed(a)) + (await processed(b))).toBe(30);
    const jobs = async (job: string): Promise<number> => {
      let n = 0;
      for (const s of [a, b]) n += Number(new RegExp(`^pipewarden_jobs_total\\{job="${job}",outcome="done"\\} (\\d+)`, 'm').exec(await s.server.metrics.render())?.[1] ?? 0);
      return n;
    };
    if (prefix) expect(await jobs('detect')).toBe(30);

    const end = Date.now() + 30_000;
    while (received.length < 10 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    const notified = received.map((r) => (JSON.parse(r) as { alert: { id: number } }).alert.id).sort((x, y) => x - y);
    expect(notified).toEqual(alerts.map((x) => x.id).sort((x, y) => x - y));
    if (prefix) expect(await jobs('notify')).toBe(10);
  }, 120_000);
});
