import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrl } from '../../test/services.js';
import { exposure } from '../ir/exposure.js';
import { timeline } from '../ir/timeline.js';
import { loadIndicators } from '../monitor/indicators.js';
import { githubStyleToken } from '../monitor/simulate/org.js';
import { push, simple } from '../monitor/simulate/payloads.js';
import { openApiDocument, ROUTES } from './api.js';
import { ADMIN, postGithub, settled, startStack, storeSpot, type StoreSpot, type TestStack } from './testing.js';

const sha = (c: string): string => c.repeat(40);
const repo = { org: 'acme', name: 'api', visibility: 'private' as const };
const T0 = Date.parse('2026-03-01T10:00:00Z');
// A structurally valid GitHub token that was never issued (fixed seed).
const LEAKED = githubStyleToken('ghp_', (() => {
  let x = 7;
  return () => ((x = (x * 48271) % 2147483647) / 2147483647);
})());

const pg = serviceUrl('postgres');

describe.each([['sqlite'], ...(pg ? [['postgres']] : [])] as Array<['sqlite' | 'postgres']>)('serve API on %s', (kind) => {
  let spot: StoreSpot;
  let s: TestStack;
  let url: string;
  const tokens: Record<'viewer' | 'responder', string> = { viewer: '', responder: '' };
  // Answers are checked field by field below; `any` keeps those checks short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    spot = await storeSpot(kind, pg);
    s = await startStack(spot.db);
    url = s.server.url;
    // Two workflow pushes on main (high), and one ordinary push whose commit message leaks a token.
    for (const [i, d] of ['d-1', 'd-2'].entries()) {
      const after = sha(String(i + 1));
      expect((await postGithub(url, 'push', push(repo, { ref: 'refs/heads/main', before: sha('a'), after, pusher: 'mallory', commits: [{ id: after, modified: ['.github/workflows/ci.yml'] }], at: T0 + i * 60_000 }), { delivery: d })).status).toBe(202);
    }
    const leak = push(repo, { ref: 'refs/heads/dev', before: sha('b'), after: sha('c'), pusher: 'carol', commits: [{ id: sha('c'), modified: ['README.md'] }], at: T0 + 300_000 });
    (leak.head_commit as Record<string, unknown>).message = `rotate: old key ${LEAKED}`;
    expect((await postGithub(url, 'push', leak, { delivery: 'd-leak' })).status).toBe(202);
    expect((await postGithub(url, 'member', simple({ org: 'other', name: 'lib' }, 'root', { action: 'added', member: { login: 'x' } }), { delivery: 'd-3' })).status).toBe(202);
    await settled(s);
    for (const role of ['viewer', 'responder'] as const) {
      const made = await call('POST', '/api/v1/tokens', ADMIN, { name: `${role} for tests`, role });
      expect(made.status).toBe(201);
      expect(made.json.token).toMatch(/^pwt_[A-Za-z0-9_-]{43}$/);
      tokens[role] = made.json.token;
    }
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    await spot?.cleanup();
  });

  it('refuses every API route without a valid token, and below the route role with 403', async () => {
    for (const r of ROUTES) {
      const path = r.path.replace(':id', '1');
      expect([r.path, (await call(r.method, path, undefined)).status]).toEqual([r.path, 401]);
      expect([r.path, (await call(r.method, path, 'pwt_not-a-token-we-ever-made-000')).status]).toEqual([r.path, 401]);
    }
    expect((await call('GET', '/api/v1/openapi.json', undefined)).status).toBe(401);
    expect((await call('POST', '/api/v1/alerts/1/status', tokens.viewer, { status: 'resolved' })).status).toBe(403);
    expect((await call('GET', '/api/v1/tokens', tokens.responder)).status).toBe(403);
    expect((await call('POST', '/api/v1/tokens', tokens.responder, { name: 'x', role: 'admin' })).status).toBe(403);
  });

  it('lists alerts in the replay shape, latest first, with filters, and 400 on bad ones', async () => {
    const all = await call('GET', '/api/v1/alerts', tokens.viewer);
    expect(all.status).toBe(200);
    const stored = await s.store.listAlerts({ order: 'desc' });
    expect(all.json.alerts.map((a: { id: number }) => a.id)).toEqual(stored.map((a) => a.id));
    const pushed = all.json.alerts.filter((a: { alert: string }) => a.alert === 'workflow-pushed');
    expect(pushed.map((a: { evidence: Array<{ id: string }> }) => a.evidence.map((e) => e.id))).toEqual([['d-2'], ['d-1']]);
    expect(Object.keys(pushed[0]).sort()).toEqual(['actor', 'alert', 'confidence', 'evidence', 'id', 'repository', 'response', 'severity', 'status', 'summary', 'time', 'title'].concat(pushed[0].details ? ['details'] : []).sort());
    expect(pushed[0]).toMatchObject({ status: 'open', severity: 'high', repository: 'acme/api', actor: 'mallory', time: '2026-03-01T10:01:00.000Z' });

    const q = async (qs: string): Promise<number[]> => (await call('GET', `/api/v1/alerts?${qs}`, tokens.viewer)).json.alerts.map((a: { id: number }) => a.id);
    expect(await q('alert=workflow-pushed&limit=1')).toEqual([pushed[0].id]);
    expect(await q('from=2026-03-01T10:00:30Z&to=2026-03-01T10:01:30Z&alert=workflow-pushed')).toEqual([pushed[0].id]);
    expect(await q('repository=nobody/none')).toEqual([]);
    expect(await q('severity=critical&alert=workflow-pushed')).toEqual([]);
    expect(await q('to=2026-02-28')).toEqual([]);
    for (const bad of ['severity=urgent', 'limit=0', 'limit=abc', 'from=yesterday', 'from=2026-03-02&to=2026-03-01', 'status=closed', 'colour=red']) {
      const r = await call('GET', `/api/v1/alerts?${bad}`, tokens.viewer);
      expect([bad, r.status, typeof r.json.error]).toEqual([bad, 400, 'string']);
    }
  });

  it('pages the alert list with an opaque cursor, keeping the filters, and 400 on a bad cursor', async () => {
    const stored = (await s.store.listAlerts({ order: 'desc' })).map((a) => a.id);
    expect(stored.length).toBeGreaterThanOrEqual(2);
    // Walking one alert at a time yields every alert once, in the unpaged order.
    const walked: number[] = [];
    const cursors: Array<string | null> = [];
    let cursor: string | null = null;
    do {
      const r = await call('GET', `/api/v1/alerts?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, tokens.viewer);
      expect(r.status).toBe(200);
      expect(r.json.alerts).toHaveLength(1);
      walked.push(r.json.alerts[0].id);
      cursor = r.json.next_cursor;
      cursors.push(cursor);
    } while (cursor !== null && walked.length <= stored.length);
    expect(walked).toEqual(stored);
    expect(cursors.filter((c) => c === null)).toHaveLength(1);
    // A page as large as the rest ends the walk: no empty page after it.
    const first = await call('GET', `/api/v1/alerts?limit=${stored.length - 1}`, tokens.viewer);
    expect(first.json.alerts.map((a: { id: number }) => a.id)).toEqual(stored.slice(0, -1));
    expect(first.json.next_cursor).toMatch(/^\d+_\d+$/);
    const rest = await call('GET', `/api/v1/alerts?limit=${stored.length - 1}&cursor=${first.json.next_cursor}`, tokens.viewer);
    expect(rest.json).toMatchObject({ next_cursor: null });
    expect(rest.json.alerts.map((a: { id: number }) => a.id)).toEqual(stored.slice(-1));
    const whole = await call('GET', `/api/v1/alerts?limit=${stored.length}`, tokens.viewer);
    expect([whole.json.alerts.length, whole.json.next_cursor]).toEqual([stored.length, null]);
    // With a filter, the second page holds the older workflow push only.
    const pushed = (await s.store.listAlerts({ alert: 'workflow-pushed', order: 'desc' })).map((a) => a.id);
    const p1 = await call('GET', '/api/v1/alerts?alert=workflow-pushed&limit=1', tokens.viewer);
    expect(p1.json.alerts.map((a: { id: number }) => a.id)).toEqual([pushed[0]]);
    const p2 = await call('GET', `/api/v1/alerts?alert=workflow-pushed&limit=1&cursor=${p1.json.next_cursor}`, tokens.viewer);
    expect([p2.json.alerts.map((a: { id: number }) => a.id), p2.json.next_cursor]).toEqual([[pushed[1]], null]);
    // The time filter applies to every page: before the second push only the first is left.
    const early = await call('GET', '/api/v1/alerts?alert=workflow-pushed&to=2026-03-01T10:00:30Z&limit=1', tokens.viewer);
    expect([early.json.alerts.map((a: { id: number }) => a.id), early.json.next_cursor]).toEqual([[pushed[1]], null]);
    for (const bad of ['cursor=', 'cursor=abc', 'cursor=12_', 'cursor=-1_2', 'cursor=1_2_3', `cursor=${'9'.repeat(16)}_1`]) {
      const r = await call('GET', `/api/v1/alerts?${bad}`, tokens.viewer);
      expect([bad, r.status, typeof r.json.error]).toEqual([bad, 400, 'string']);
    }
  });

  it('pages back with `before`: the prev_cursor of a page gives the page before it, up to the first', async () => {
    const stored = (await s.store.listAlerts({ order: 'desc' })).map((a) => a.id);
    expect(stored).toHaveLength(2);
    const ids = (r: { json: { alerts: Array<{ id: number }> } }): number[] => r.json.alerts.map((a) => a.id);
    const CURSOR = /^\d+_\d+$/;
    // Forward one alert a page: the first page has no prev_cursor, the second one has.
    const p1 = await call('GET', '/api/v1/alerts?limit=1', tokens.viewer);
    expect([ids(p1), p1.json.prev_cursor]).toEqual([[stored[0]], null]);
    const p2 = await call('GET', `/api/v1/alerts?limit=1&cursor=${p1.json.next_cursor}`, tokens.viewer);
    expect([ids(p2), p2.json.next_cursor, p2.json.prev_cursor]).toEqual([[stored[1]], null, expect.stringMatching(CURSOR)]);
    // Back from the second page: the first again, which leads forward to the second.
    const back = await call('GET', `/api/v1/alerts?limit=1&before=${p2.json.prev_cursor}`, tokens.viewer);
    expect([back.status, ids(back), back.json.prev_cursor, back.json.next_cursor]).toEqual([200, [stored[0]], null, p1.json.next_cursor]);
    // From below the oldest alert, a page of one: the oldest, with the newer one before it.
    const bottom = await call('GET', '/api/v1/alerts?limit=1&before=1_1', tokens.viewer);
    expect([ids(bottom), bottom.json.prev_cursor, bottom.json.next_cursor]).toEqual([[stored[1]], p2.json.prev_cursor, p2.json.prev_cursor]);
    // Fewer newer alerts than a page: the way back reached the top, and the answer is the first page itself.
    const top = await call('GET', `/api/v1/alerts?limit=2&before=${p2.json.prev_cursor}`, tokens.viewer);
    expect([ids(top), top.json.prev_cursor, top.json.next_cursor]).toEqual([stored, null, null]);
    // Filters apply on the way back: no alert of another id is newer than the second push.
    const none = await call('GET', `/api/v1/alerts?alert=no-such-alert&limit=1&before=${p2.json.prev_cursor}`, tokens.viewer);
    expect([ids(none), none.json.prev_cursor, none.json.next_cursor]).toEqual([[], null, null]);
    for (const bad of ['before=', 'before=abc', 'before=1_2_3', `before=${'9'.repeat(16)}_1`, `cursor=${p1.json.next_cursor}&before=${p1.json.next_cursor}`]) {
      const r = await call('GET', `/api/v1/alerts?${bad}`, tokens.viewer);
      expect([bad, r.status, typeof r.json.error]).toEqual([bad, 400, 'string']);
    }
    expect((await call('GET', `/api/v1/alerts?cursor=${p1.json.next_cursor}&before=${p1.json.next_cursor}`, tokens.viewer)).json.error).toBe('cursor and before: pass one of them');
  });

  it('counts alerts by severity, status and UTC day, with the list filters, computed in the database', async () => {
    const stored = await s.store.listAlerts({});
    const r = await call('GET', '/api/v1/stats/alerts', tokens.viewer);
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(stored.length);
    const bySev = Object.fromEntries(['critical', 'high', 'medium', 'low', 'info'].map((x) => [x, stored.filter((a) => a.severity === x).length]));
    expect(r.json.by_severity).toEqual(bySev);
    expect(r.json.by_status).toEqual({ open: stored.filter((a) => a.status === 'open').length, acknowledged: stored.filter((a) => a.status === 'acknowledged').length, resolved: stored.filter((a) => a.status === 'resolved').length });
    const days = [...new Set(stored.map((a) => a.time.slice(0, 10)))].sort();
    expect(r.json.per_day.map((d: { day: string }) => d.day)).toEqual(days);
    expect(r.json.per_day.find((d: { day: string }) => d.day === '2026-03-01')).toMatchObject({ high: bySev.high });

    const pushed = await call('GET', '/api/v1/stats/alerts?alert=workflow-pushed&repository=acme/api&from=2026-03-01&to=2026-03-01', tokens.viewer);
    expect(pushed.json).toEqual({ total: 2, by_severity: { critical: 0, high: 2, medium: 0, low: 0, info: 0 }, by_status: { open: 2, acknowledged: 0, resolved: 0 }, per_day: [{ day: '2026-03-01', critical: 0, high: 2, medium: 0, low: 0, info: 0 }] });
    expect((await call('GET', '/api/v1/stats/alerts?to=2026-02-28', tokens.viewer)).json).toEqual({ total: 0, by_severity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, by_status: { open: 0, acknowledged: 0, resolved: 0 }, per_day: [] });
    for (const bad of ['severity=high', 'from=soon', 'status=closed']) expect([bad, (await call('GET', `/api/v1/stats/alerts?${bad}`, tokens.viewer)).status]).toEqual([bad, 400]);
  });

  it('shows an alert with its evidence events, and the raw event with the leaked token masked', async () => {
    const [a] = await s.store.listAlerts({ alert: 'workflow-pushed', order: 'asc', limit: 1 });
    const detail = await call('GET', `/api/v1/alerts/${a!.id}`, tokens.viewer);
    expect(detail.status).toBe(200);
    expect(detail.json.events.map((e: { evidence: string; kind: string; repository: string }) => [e.evidence, e.kind, e.repository])).toEqual([['d-1', 'push', 'acme/api']]);
    expect(detail.json.notes).toEqual([]);
    expect((await call('GET', '/api/v1/alerts/999999', tokens.viewer)).status).toBe(404);
    expect((await call('GET', '/api/v1/alerts/abc', tokens.viewer)).status).toBe(404);

    const events = (await call('GET', '/api/v1/events?repository=acme/api', tokens.viewer)).json.events as Array<{ id: number; evidence: string }>;
    expect(events.map((e) => e.evidence)).toEqual(['d-leak', 'd-2', 'd-1']);
    const raw = await call('GET', `/api/v1/events/${events[0]!.id}`, tokens.viewer);
    expect(raw.status).toBe(200);
    expect(raw.json.masked).toBeGreaterThanOrEqual(1);
    expect(raw.json.raw).toContain('rotate: old key ghp_');
    expect(raw.json.raw).not.toContain(LEAKED);
    expect(raw.json.raw).not.toContain(LEAKED.slice(8));
    expect((await call('GET', '/api/v1/events?kind=member', tokens.viewer)).json.events.map((e: { evidence: string }) => e.evidence)).toEqual(['d-3']);
  });

  it('lets a responder acknowledge, resolve and annotate, audits every write, and a viewer cannot', async () => {
    const [a] = await s.store.listAlerts({ alert: 'workflow-pushed', order: 'asc', limit: 1 });
    const ack = await call('POST', `/api/v1/alerts/${a!.id}/status`, tokens.responder, { status: 'acknowledged', note: 'looking at it' });
    expect(ack.status).toBe(200);
    expect(ack.json.alert.status).toBe('acknowledged');
    expect((await call('POST', `/api/v1/alerts/${a!.id}/notes`, tokens.responder, { text: 'mallory confirmed: test push' })).status).toBe(201);
    expect((await call('POST', `/api/v1/alerts/${a!.id}/status`, tokens.responder, { status: 'resolved' })).json.alert.status).toBe('resolved');
    expect((await call('POST', `/api/v1/alerts/${a!.id}/status`, tokens.responder, { status: 'closed' })).status).toBe(400);
    expect((await call('POST', `/api/v1/alerts/${a!.id}/notes`, tokens.responder, { text: '' })).status).toBe(400);
    expect((await call('POST', '/api/v1/alerts/999999/notes', tokens.responder, { text: 'x' })).status).toBe(404);

    const detail = (await call('GET', `/api/v1/alerts/${a!.id}`, tokens.viewer)).json;
    expect(detail.notes.map((n: { author: string; text: string }) => [n.author, n.text])).toEqual([
      [expect.stringMatching(/^responder for tests \(token \d+\)$/), 'looking at it'],
      [expect.stringMatching(/^responder for tests/), 'mallory confirmed: test push'],
    ]);
    expect((await call('GET', '/api/v1/alerts?status=resolved', tokens.viewer)).json.alerts.map((x: { id: number }) => x.id)).toEqual([a!.id]);

    const trail = (await call('GET', '/api/v1/audit-trail', ADMIN)).json.entries as Array<{ actor: string; action: string; target: string }>;
    expect(trail.map((e) => [e.action, e.target])).toEqual([
      ['alert.resolve', `alert:${a!.id}`],
      ['alert.note', `alert:${a!.id}`],
      ['alert.acknowledge', `alert:${a!.id}`],
      ['token.create', expect.stringMatching(/^token:\d+$/)],
      ['token.create', expect.stringMatching(/^token:\d+$/)],
    ]);
    expect(trail[4]!.actor).toMatch(/^admin \(PIPEWARDEN_ADMIN_TOKEN\) \(token \d+\)$/);
  });

  it('manages tokens: listed without secrets, stored hashed, revoked at once', async () => {
    const made = (await call('POST', '/api/v1/tokens', ADMIN, { name: 'short-lived', role: 'viewer' })).json as { id: number; token: string };
    expect((await call('GET', '/api/v1/me', made.token)).json).toEqual({ name: 'short-lived', role: 'viewer' });
    const list = (await call('GET', '/api/v1/tokens', ADMIN)).json.tokens as Array<Record<string, unknown>>;
    expect(list.map((t) => [t.name, t.role])).toEqual([
      ['admin (PIPEWARDEN_ADMIN_TOKEN)', 'admin'],
      ['viewer for tests', 'viewer'],
      ['responder for tests', 'responder'],
      ['short-lived', 'viewer'],
    ]);
    expect(JSON.stringify(list)).not.toContain(made.token);
    const rows = await s.store.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(JSON.stringify(rows)).not.toContain(made.token);
    expect((await call('DELETE', `/api/v1/tokens/${made.id}`, ADMIN)).status).toBe(200);
    expect((await call('GET', '/api/v1/me', made.token)).status).toBe(401);
    expect((await call('DELETE', `/api/v1/tokens/${made.id}`, ADMIN)).status).toBe(404);
    expect((await call('POST', '/api/v1/tokens', ADMIN, { name: 'x', role: 'root' })).status).toBe(400);
  });

  it('answers the ir queries as the ir commands compute them', async () => {
    const exp = await call('GET', '/api/v1/ir/exposure?action=tj-actions/changed-files&from=2025-03-14&to=2025-03-15', tokens.viewer);
    expect(exp.status).toBe(200);
    expect(exp.json).toEqual(JSON.parse(JSON.stringify(await exposure(s.store, loadIndicators(), { action: 'tj-actions/changed-files', from: Date.parse('2025-03-14T00:00:00Z'), to: Date.parse('2025-03-15T23:59:59.999Z'), badShas: [] }))));
    expect(exp.json.indicator).not.toBeNull();
    expect((await call('GET', '/api/v1/ir/exposure?action=not-a-repo&from=2025-03-14&to=2025-03-15', tokens.viewer)).status).toBe(400);
    expect((await call('GET', '/api/v1/ir/exposure?action=a/b', tokens.viewer)).status).toBe(400);
    const tl = await call('GET', '/api/v1/ir/timeline?repository=acme/api&from=2026-03-01&to=2026-03-01', tokens.viewer);
    expect(tl.json).toEqual(JSON.parse(JSON.stringify(await timeline(s.store, { repository: 'acme/api', from: T0 - 36_000_000, to: Date.parse('2026-03-01T23:59:59.999Z'), limit: 10_000 }))));
    expect(tl.json.entries.filter((e: { type: string }) => e.type === 'event')).toHaveLength(3);
  });

  it('lists repositories with alert counts, shows settings without secrets, and serves its OpenAPI document', async () => {
    const repos = (await call('GET', '/api/v1/repositories', tokens.viewer)).json.repositories as Array<Record<string, unknown>>;
    expect(repos.map((r) => [r.repository, r.events])).toEqual([
      ['acme/api', 3],
      ['other/lib', 1],
    ]);
    expect(repos[0]!.alerts).toBeGreaterThanOrEqual(2);
    const settings = await call('GET', '/api/v1/settings', ADMIN);
    expect(settings.json.intake).toEqual({ github: true, github_secret_rotation: false, gitlab: true, audit_stream: true });
    expect(JSON.stringify(settings.json)).not.toMatch(/test-webhook-secret|test-gitlab-token|test-audit-token|test-admin-token/);
    const doc = await call('GET', '/api/v1/openapi.json', tokens.viewer);
    expect(doc.json).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(Object.keys(doc.json.paths).sort()).toEqual([...new Set(ROUTES.map((r) => r.path.replace(/:(\w+)/g, '{$1}')))].sort());
    expect(doc.json.paths['/api/v1/alerts'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['severity', 'repository', 'status', 'alert', 'from', 'to', 'limit', 'cursor', 'before']);
    const alertsGet = doc.json.paths['/api/v1/alerts'].get;
    expect(alertsGet.parameters.at(-1)).toEqual({ name: 'before', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9]{1,15}_[0-9]{1,15}$' }, description: 'the `prev_cursor` of the page after (opaque; not with `cursor`): the page before it' });
    expect(alertsGet.parameters.at(-2)).toEqual({ name: 'cursor', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9]{1,15}_[0-9]{1,15}$' }, description: 'the `next_cursor` of the previous page (opaque)' });
    expect(alertsGet.responses['200'].content['application/json'].schema.required).toEqual(['alerts', 'next_cursor', 'prev_cursor']);
  });
});
