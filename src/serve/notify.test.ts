import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrl } from '../../test/services.js';
import { push } from '../monitor/simulate/payloads.js';
import { backoff } from './notify.js';
import type { Destination } from './settings.js';
import { ADMIN, postGithub, settled, startStack, storeSpot, type StoreSpot, type TestStack } from './testing.js';

const sha = (c: string): string => c.repeat(40);
const repo = { org: 'acme', name: 'api', visibility: 'private' as const };
const HOOK_SECRET = 'test-notify-hmac-key-91b2';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on 127.0.0.1: each path answers from its script of statuses (the last one repeats). */
async function receiver(script: Record<string, number[]>): Promise<{ server: Server; url: string; got: Received[] }> {
  const got: Received[] = [];
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '';
      got.push({ path, headers: req.headers, body });
      const n = seen.get(path) ?? 0;
      seen.set(path, n + 1);
      const statuses = script[path] ?? [404];
      res.writeHead(statuses[Math.min(n, statuses.length - 1)]!).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

const pg = serviceUrl('postgres');

describe.each([['sqlite'], ...(pg ? [['postgres']] : [])] as Array<['sqlite' | 'postgres']>)('serve notifications on %s', (kind) => {
  let spot: StoreSpot;
  let s: TestStack;
  let rx: Awaited<ReturnType<typeof receiver>>;
  const logs: string[] = [];

  beforeAll(async () => {
    rx = await receiver({ '/slack': [200], '/hook': [503, 200], '/gone': [404], '/down': [500] });
    const destinations: Destination[] = [
      { name: 'slack', type: 'slack', url: `${rx.url}/slack`, minSeverity: 'high' },
      { name: 'siem', type: 'webhook', url: `${rx.url}/hook`, secret: HOOK_SECRET, minSeverity: 'medium' },
      { name: 'pager', type: 'slack', url: `${rx.url}/pager`, minSeverity: 'critical' },
      { name: 'gone', type: 'slack', url: `${rx.url}/gone`, minSeverity: 'low' },
      { name: 'down', type: 'webhook', url: `${rx.url}/down`, secret: HOOK_SECRET, minSeverity: 'low' },
    ];
    spot = await storeSpot(kind, pg);
    s = await startStack(spot.db, { settings: { destinations, publicUrl: 'https://pw.example.test' }, notify: { baseDelayMs: 40, maxAttempts: 3, pollMs: 100 }, log: (l) => logs.push(l) });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    await spot?.cleanup();
    await new Promise((r) => rx?.server.close(r));
  });

  async function delivered(alertId: number): Promise<Array<{ destination: string; status: string; attempts: number; lastError: string | null }>> {
    const end = Date.now() + 30_000;
    for (;;) {
      const rows = await s.serveStore.notificationsOf(alertId);
      if (rows.length && rows.every((r) => r.status !== 'pending')) return rows.map(({ destination, status, attempts, lastError }) => ({ destination, status, attempts, lastError })).sort((a, b) => (a.destination < b.destination ? -1 : 1));
      if (Date.now() > end) throw new Error(`notifications still pending: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('sends a new alert once to every destination whose minimum it reaches, retries failures with backoff, and never twice', async () => {
    const payload = push(repo, { ref: 'refs/heads/main', before: sha('a'), after: sha('b'), pusher: 'mallory', commits: [{ id: sha('b'), modified: ['.github/workflows/release.yml'] }], at: Date.parse('2026-04-01T09:00:00Z') });
    expect((await postGithub(s.server.url, 'push', payload, { delivery: 'n-1' })).status).toBe(202);
    await settled(s);
    const [alert] = await s.store.listAlerts({});
    expect(alert).toMatchObject({ alert: 'workflow-pushed', severity: 'high' });
    expect(await delivered(alert!.id)).toEqual([
      { destination: 'down', status: 'failed', attempts: 3, lastError: 'HTTP 500' },
      { destination: 'gone', status: 'failed', attempts: 1, lastError: 'HTTP 404' },
      { destination: 'siem', status: 'sent', attempts: 2, lastError: null },
      { destination: 'slack', status: 'sent', attempts: 1, lastError: null },
    ]);

    const slack = rx.got.filter((r) => r.path === '/slack');
    expect(slack).toHaveLength(1);
    const msg = JSON.parse(slack[0]!.body) as { text: string; blocks: Array<{ type: string; elements?: Array<{ text: string }> }> };
    expect(msg.text).toBe(`[HIGH] workflow-pushed in acme/api: ${alert!.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    expect(msg.blocks.at(-1)!.elements![0]!.text).toBe(`Evidence: webhook n-1 · <https://pw.example.test/#/alerts/${alert!.id}|open in pipewarden>`);

    const hooks = rx.got.filter((r) => r.path === '/hook');
    expect(hooks).toHaveLength(2);
    expect(new Set(hooks.map((h) => h.headers['x-pipewarden-delivery'])).size).toBe(1);
    for (const h of hooks) expect(h.headers['x-pipewarden-signature-256']).toBe(`sha256=${createHmac('sha256', HOOK_SECRET).update(h.body).digest('hex')}`);
    const body = JSON.parse(hooks[1]!.body) as Record<string, unknown>;
    const api = (await (await fetch(`${s.server.url}/api/v1/alerts/${alert!.id}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { alert: unknown; notifications: unknown[] };
    expect(body).toMatchObject({ type: 'pipewarden.alert', alert: api.alert, url: `https://pw.example.test/#/alerts/${alert!.id}` });
    expect(api.notifications).toHaveLength(4);
    expect(rx.got.filter((r) => r.path === '/pager')).toHaveLength(0);
    expect(rx.got.filter((r) => r.path === '/down')).toHaveLength(3);

    // The same push redelivered under another GUID, and detected again: the alert absorbs it, nothing is re-sent.
    const before = rx.got.length;
    expect((await postGithub(s.server.url, 'push', payload, { delivery: 'n-2' })).status).toBe(202);
    await settled(s);
    await s.server.notifier.plan([alert!.id]);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.got.length).toBe(before);
    expect(await s.store.listAlerts({})).toHaveLength(1);

    // Logs say which destination failed, never its URL or key.
    expect(logs.some((l) => /notification of alert \d+ to gone failed after 1 attempt: HTTP 404/.test(l))).toBe(true);
    expect(logs.join('\n')).not.toMatch(/127\.0\.0\.1|test-notify-hmac/);
    const metrics = await (await fetch(`${s.server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    expect(metrics).toContain('pipewarden_notifications_total{destination="siem",outcome="retry"} 1');
    expect(metrics).toContain('pipewarden_notifications_total{destination="siem",outcome="sent"} 1');
    expect(metrics).toContain('pipewarden_notifications_total{destination="down",outcome="failed"} 1');
  });
});

describe('notification backoff', () => {
  it('doubles from the base delay with ±20% jitter and stops growing at an hour', () => {
    expect([1, 2, 3, 4].map((n) => backoff(n, 30_000, () => 0.5))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoff(1, 30_000, () => 0)).toBe(24_000);
    expect(backoff(1, 30_000, () => 1)).toBe(36_000);
    expect(backoff(20, 30_000, () => 0.5)).toBe(3_600_000);
  });
});
