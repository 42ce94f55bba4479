/**
 * REST API under /api/v1 (docs/serve.md). One table of routes drives both fastify (validation,
 * role check) and the OpenAPI document, so the document cannot drift from what the server does.
 * Every write is recorded in the audit trail with the token that made it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { SEVERITIES, type Severity } from '../core/finding.js';
import { exposure } from '../ir/exposure.js';
import { timeline } from '../ir/timeline.js';
import { iso, type StoredAlert, type StoredEvent } from '../monitor/model.js';
import { publicAlert } from '../monitor/render.js';
import { secretSpansIn, redactSpans } from '../secrets/redact.js';
import { ROLES, type Role } from '../store/serve-store.js';
import type { RunningServer } from './app.js';
import { newToken } from './auth.js';
import { tokenHash } from './signature.js';
import { UsageError } from '../cli/common.js';
import { parseTime } from '../cli/monitor-shared.js';
import { VERSION } from '../cli/version.js';

type Json = Record<string, unknown>;
type Who = { name: string; role: Role; id: number };

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** fastify syntax (`:id`); OpenAPI gets `{id}`. */
  path: string;
  role: Role;
  summary: string;
  query?: Json;
  body?: Json;
  /** Response status on success (200 unless said). */
  status?: number;
  response?: Json;
  handle(req: FastifyRequest, who: Who, s: RunningServer): Promise<unknown>;
}

const TIME = { type: 'string', description: '2025-03-14 or 2025-03-14T16:00:00Z (UTC); a bare date as `to` means the end of that day' };
const STATUS = { type: 'string', enum: ['open', 'acknowledged', 'resolved'] };
const limit = (dflt: number, max: number): Json => ({ type: 'integer', minimum: 1, maximum: max, default: dflt });

const ALERT_SCHEMA: Json = {
  type: 'object',
  description: 'The alert shape of `pipewarden monitor replay --format json`, plus the id and status the server keeps.',
  required: ['id', 'status', 'alert', 'severity', 'confidence', 'title', 'repository', 'actor', 'time', 'evidence', 'summary', 'response'],
  properties: {
    id: { type: 'integer' },
    status: STATUS,
    alert: { type: 'string' },
    severity: { type: 'string', enum: [...SEVERITIES] },
    confidence: { type: 'string' },
    title: { type: 'string' },
    repository: { type: ['string', 'null'] },
    actor: { type: ['string', 'null'] },
    time: { type: 'string', format: 'date-time' },
    evidence: { type: 'array', items: { type: 'object', properties: { source: { type: 'string' }, id: { type: 'string' }, line: { type: 'integer' } } } },
    summary: { type: 'string' },
    response: { type: 'array', items: { type: 'string' } },
    details: { type: 'object' },
  },
};

const EVENT_SCHEMA: Json = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    source: { type: 'string', enum: ['webhook', 'audit', 'log'] },
    kind: { type: 'string' },
    action: { type: ['string', 'null'] },
    time: { type: 'string', format: 'date-time' },
    received_at: { type: ['string', 'null'], format: 'date-time' },
    repository: { type: ['string', 'null'] },
    org: { type: ['string', 'null'] },
    actor: { type: ['string', 'null'] },
    evidence: { type: 'string', description: 'X-GitHub-Delivery GUID, audit _document_id or log path' },
    summary: { type: 'string' },
    sha256: { type: 'string' },
  },
};

/** ISO time or date → epoch ms (as the ir commands read them); 400 with the parameter's name otherwise. */
export function timeParam(value: unknown, name: string, end = false): number | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return parseTime(String(value).slice(0, 64), name, end);
  } catch (e) {
    if (e instanceof UsageError) throw new ApiError(400, e.message);
    throw e;
  }
}

function window(q: Json): { from?: number; to?: number } {
  const from = timeParam(q.from, 'from');
  const to = timeParam(q.to, 'to', true);
  if (from !== undefined && to !== undefined && to < from) throw new ApiError(400, 'to is before from');
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

/**
 * Alert list paging by keyset: the cursor names the last alert of a page (its event time and id),
 * and the next page starts after it. Unlike an offset, a page does not shift when new alerts
 * arrive between two requests, and a deep page costs the same index seek as the first.
 * Opaque to clients; its shape is checked by the route schema.
 */
const CURSOR = { type: 'string', pattern: '^[0-9]{1,15}_[0-9]{1,15}$', description: 'the `next_cursor` of the previous page (opaque)' };
/** The way back: the page just before (newer than) the alert a cursor names, read upwards by the same keyset. */
const BEFORE = { ...CURSOR, description: 'the `prev_cursor` of the page after (opaque; not with `cursor`): the page before it' };

function toCursor(a: StoredAlert): string {
  return `${Date.parse(a.time)}_${a.id}`;
}

function fromCursor(c: string): { time: number; id: number } {
  const [time, id] = c.split('_').map(Number);
  return { time: time!, id: id! };
}

export function apiAlert(a: StoredAlert): Json {
  return { id: a.id, status: a.status, ...publicAlert(a) };
}

export function apiEvent(e: StoredEvent): Json {
  return {
    id: e.id,
    source: e.source,
    kind: e.kind,
    action: e.action ?? null,
    time: iso(e.time),
    received_at: e.receivedAt === undefined ? null : iso(e.receivedAt),
    repository: e.repository ?? null,
    org: e.org ?? null,
    actor: e.actor ?? null,
    evidence: e.evidenceId,
    summary: e.summary,
    sha256: e.sha256,
  };
}

function idParam(req: FastifyRequest): number {
  const id = Number((req.params as { id: string }).id);
  if (!Number.isSafeInteger(id) || id < 1) throw new ApiError(404, 'not found');
  return id;
}

async function alertOr404(s: RunningServer, id: number): Promise<StoredAlert> {
  const [a] = await s.opts.store.getAlerts([id]);
  if (!a) throw new ApiError(404, `no alert ${id}`);
  return a;
}

const actorOf = (who: Who): string => `${who.name} (token ${who.id})`;

export const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/me',
    role: 'viewer',
    summary: 'The token presented: its name and role (the dashboard checks a login with it).',
    response: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] } } },
    async handle(_req, who) {
      return { name: who.name, role: who.role };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/alerts',
    role: 'viewer',
    summary: 'Alerts, latest event time first, filtered by minimum severity, repository, status, alert id and time.',
    query: {
      type: 'object',
      additionalProperties: false,
      properties: {
        severity: { type: 'string', enum: [...SEVERITIES], description: 'minimum severity' },
        repository: { type: 'string', maxLength: 300, description: 'owner/name, or the org login for org-level alerts' },
        status: STATUS,
        alert: { type: 'string', maxLength: 100, description: 'alert id, e.g. workflow-pushed' },
        from: TIME,
        to: TIME,
        limit: limit(200, 5000),
        cursor: CURSOR,
        before: BEFORE,
      },
    },
    response: {
      type: 'object',
      required: ['alerts', 'next_cursor', 'prev_cursor'],
      properties: {
        alerts: { type: 'array', items: { $ref: '#/components/schemas/Alert' } },
        next_cursor: { type: ['string', 'null'], description: 'pass as `cursor` (with the same filters and limit) for the next page; null on the last page' },
        prev_cursor: { type: ['string', 'null'], description: 'pass as `before` (with the same filters and limit) for the page before; null on the first page' },
      },
    },
    async handle(req, _who, s) {
      const q = req.query as Json;
      const pageSize = q.limit as number;
      if (typeof q.cursor === 'string' && typeof q.before === 'string') throw new ApiError(400, 'cursor and before: pass one of them');
      const filters = {
        ...window(q),
        ...(typeof q.severity === 'string' && { minSeverity: q.severity as Severity }),
        ...(typeof q.repository === 'string' && { repository: q.repository }),
        ...(typeof q.status === 'string' && { status: q.status as StoredAlert['status'] }),
        ...(typeof q.alert === 'string' && { alert: q.alert }),
      };
      if (typeof q.before === 'string') {
        // Upwards from the alert `before` names: the nearest newer alerts, read oldest first, one
        // more than asked to know whether an earlier page exists. Fewer than a page means the way
        // back reached the top: that is the first page, answered as such (a full page, no prev_cursor).
        const up = await s.opts.store.listAlerts({ ...filters, after: fromCursor(q.before), limit: pageSize + 1, order: 'asc' });
        if (up.length >= pageSize) {
          const page = up.slice(0, pageSize).reverse();
          return { alerts: page.map(apiAlert), next_cursor: toCursor(page.at(-1)!), prev_cursor: up.length > pageSize ? toCursor(page[0]!) : null };
        }
      }
      // One row more than asked says whether a next page exists without a count query.
      const rows = await s.opts.store.listAlerts({ ...filters, ...(typeof q.cursor === 'string' && { after: fromCursor(q.cursor) }), limit: pageSize + 1, order: 'desc' });
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      // A page reached by a cursor has the cursor's alert (at least) before it.
      return { alerts: page.map(apiAlert), next_cursor: rows.length > pageSize && last ? toCursor(last) : null, prev_cursor: typeof q.cursor === 'string' && page[0] ? toCursor(page[0]) : null };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/alerts/:id',
    role: 'viewer',
    summary: 'One alert with its evidence events, notes and notification deliveries.',
    async handle(req, _who, s) {
      const a = await alertOr404(s, idParam(req));
      const events = await s.opts.store.getEvents(a.eventIds);
      return {
        alert: apiAlert(a),
        events: events.sort((x, y) => x.time - y.time || x.id - y.id).map(apiEvent),
        notes: (await s.opts.serveStore.notesOf(a.id)).map((n) => ({ id: n.id, author: n.author, at: iso(n.at), text: n.text })),
        notifications: (await s.opts.serveStore.notificationsOf(a.id)).map((n) => ({ ...n, sentAt: n.sentAt === null ? null : iso(n.sentAt) })),
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/stats/alerts',
    role: 'viewer',
    summary: 'Alert counts by severity and status, and per UTC day and severity (the dashboard counts and chart), with the filters of /api/v1/alerts.',
    query: {
      type: 'object',
      additionalProperties: false,
      properties: {
        repository: { type: 'string', maxLength: 300, description: 'owner/name, or the org login for org-level alerts' },
        status: STATUS,
        alert: { type: 'string', maxLength: 100, description: 'alert id, e.g. workflow-pushed' },
        from: TIME,
        to: TIME,
      },
    },
    response: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        by_severity: { type: 'object', properties: Object.fromEntries(SEVERITIES.map((x) => [x, { type: 'integer' }])) },
        by_status: { type: 'object', properties: { open: { type: 'integer' }, acknowledged: { type: 'integer' }, resolved: { type: 'integer' } } },
        per_day: { type: 'array', description: 'days with alerts only, oldest first', items: { type: 'object', properties: { day: { type: 'string', format: 'date' }, ...Object.fromEntries(SEVERITIES.map((x) => [x, { type: 'integer' }])) } } },
      },
    },
    async handle(req, _who, s) {
      const q = req.query as Json;
      const w = window(q);
      // Grouped in the database (integer division of epoch ms is the UTC day on SQLite and
      // PostgreSQL alike), so the counts cost one index scan however many alerts there are.
      let query = s.opts.store.db
        .selectFrom('alerts')
        .select([sql<number>`occurred_at / 86400000`.as('day'), 'severity', 'status', sql<number>`count(*)`.as('n')])
        .groupBy([sql`occurred_at / 86400000`, 'severity', 'status']);
      if (w.from !== undefined) query = query.where('occurred_at', '>=', w.from);
      if (w.to !== undefined) query = query.where('occurred_at', '<=', w.to);
      if (typeof q.repository === 'string') query = query.where('repository', '=', q.repository);
      if (typeof q.status === 'string') query = query.where('status', '=', q.status);
      if (typeof q.alert === 'string') query = query.where('alert', '=', q.alert);
      const rows = await query.execute();
      const zero = (): Record<Severity, number> => Object.fromEntries(SEVERITIES.map((x) => [x, 0])) as Record<Severity, number>;
      const bySeverity = zero();
      const byStatus: Record<string, number> = { open: 0, acknowledged: 0, resolved: 0 };
      const days = new Map<number, Record<Severity, number>>();
      let total = 0;
      for (const r of rows) {
        const n = Number(r.n);
        const sev = r.severity as Severity;
        total += n;
        bySeverity[sev] = (bySeverity[sev] ?? 0) + n;
        byStatus[r.status] = (byStatus[r.status] ?? 0) + n;
        const d = Number(r.day);
        const day = days.get(d) ?? zero();
        day[sev] = (day[sev] ?? 0) + n;
        days.set(d, day);
      }
      const perDay = [...days.entries()].sort((a, b) => a[0] - b[0]).map(([d, c]) => ({ day: iso(d * 86_400_000).slice(0, 10), ...c }));
      return { total, by_severity: bySeverity, by_status: byStatus, per_day: perDay };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/alerts/:id/status',
    role: 'responder',
    summary: 'Acknowledge, resolve or reopen an alert, with an optional note (audited).',
    body: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: STATUS, note: { type: 'string', minLength: 1, maxLength: 10_000 } } },
    async handle(req, who, s) {
      const id = idParam(req);
      const before = await alertOr404(s, id);
      const body = req.body as { status: StoredAlert['status']; note?: string };
      await s.opts.serveStore.setAlertStatus(id, body.status);
      if (body.note !== undefined) await s.opts.serveStore.addNote(id, actorOf(who), body.note);
      await s.opts.serveStore.audit(actorOf(who), `alert.${body.status === 'open' ? 'reopen' : body.status === 'acknowledged' ? 'acknowledge' : 'resolve'}`, `alert:${id}`, { from: before.status, to: body.status, ...(body.note !== undefined && { note: true }) });
      return { alert: apiAlert(await alertOr404(s, id)) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/alerts/:id/notes',
    role: 'responder',
    status: 201,
    summary: 'Add a note to an alert (audited).',
    body: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 10_000 } } },
    async handle(req, who, s) {
      const id = idParam(req);
      await alertOr404(s, id);
      const note = await s.opts.serveStore.addNote(id, actorOf(who), (req.body as { text: string }).text);
      await s.opts.serveStore.audit(actorOf(who), 'alert.note', `alert:${id}`, { note: note.id });
      return { note: { id: note.id, author: note.author, at: iso(note.at), text: note.text } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/repositories',
    role: 'viewer',
    summary: 'Repositories (and orgs, for org-level events) with events, with their alert counts.',
    async handle(_req, _who, s) {
      const repos = await s.opts.serveStore.repositories();
      return { repositories: repos.map((r) => ({ repository: r.repository, events: r.events, first_event: iso(r.firstEvent), last_event: iso(r.lastEvent), alerts: r.alerts, open_alerts: r.openAlerts })) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/events',
    role: 'viewer',
    summary: 'Stored events, latest first, by repository, kind and time.',
    query: {
      type: 'object',
      additionalProperties: false,
      properties: { repository: { type: 'string', maxLength: 300 }, kind: { type: 'string', maxLength: 100 }, from: TIME, to: TIME, limit: limit(200, 5000) },
    },
    response: { type: 'object', properties: { events: { type: 'array', items: { $ref: '#/components/schemas/Event' } } } },
    async handle(req, _who, s) {
      const q = req.query as Json;
      const events = await s.opts.store.listEvents({
        ...window(q),
        ...(typeof q.repository === 'string' && { repository: q.repository }),
        ...(typeof q.kind === 'string' && { kinds: [q.kind] }),
        limit: q.limit as number,
        order: 'desc',
      });
      return { events: events.map(apiEvent) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/events/:id',
    role: 'viewer',
    summary: 'One event with its raw bytes as received, every recognisable secret masked.',
    async handle(req, _who, s) {
      const id = idParam(req);
      const [e] = await s.opts.store.getEvents([id]);
      if (!e) throw new ApiError(404, `no event ${id}`);
      const raw = (await s.opts.store.rawOf(id))?.toString('utf8') ?? '';
      const spans = secretSpansIn(raw);
      return {
        event: apiEvent(e),
        // Past the masking budget nothing is shown: an unmasked secret must never leave.
        raw: spans === undefined ? null : redactSpans(raw, spans),
        masked: spans?.length ?? null,
        alerts: (await s.opts.store.alertsForEvents([id])).map(apiAlert),
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/ir/exposure',
    role: 'viewer',
    summary: '`pipewarden ir exposure` on the stored history: jobs that ran an action in a window and the secrets to rotate.',
    query: {
      type: 'object',
      additionalProperties: false,
      required: ['action', 'from', 'to'],
      properties: {
        action: { type: 'string', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$', maxLength: 200 },
        ref: { type: 'string', maxLength: 255 },
        from: TIME,
        to: TIME,
        bad_sha: { type: 'array', items: { type: 'string', pattern: '^[0-9a-fA-F]{40}$' }, maxItems: 100 },
      },
    },
    async handle(req, _who, s) {
      const q = req.query as Json;
      const w = window(q);
      return exposure(s.opts.store, s.opts.ctx.indicators, { action: String(q.action), ...(typeof q.ref === 'string' && { ref: q.ref }), from: w.from!, to: w.to!, badShas: (q.bad_sha as string[] | undefined) ?? [] }, s.opts.ctx.contents);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/ir/timeline',
    role: 'viewer',
    summary: '`pipewarden ir timeline`: events and alerts merged in time order.',
    query: {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'to'],
      properties: { repository: { type: 'string', maxLength: 300 }, from: TIME, to: TIME, limit: limit(10_000, 100_000) },
    },
    async handle(req, _who, s) {
      const q = req.query as Json;
      const w = window(q);
      return timeline(s.opts.store, { from: w.from!, to: w.to!, ...(typeof q.repository === 'string' && { repository: q.repository }), limit: q.limit as number });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/tokens',
    role: 'admin',
    summary: 'API tokens (names, roles, use; never the token itself).',
    async handle(_req, _who, s) {
      const tokens = await s.opts.serveStore.listTokens();
      return { tokens: tokens.map((t) => ({ id: t.id, name: t.name, role: t.role, created_at: iso(t.createdAt), created_by: t.createdBy, last_used_at: t.lastUsedAt === null ? null : iso(t.lastUsedAt), revoked_at: t.revokedAt === null ? null : iso(t.revokedAt) })) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/tokens',
    role: 'admin',
    status: 201,
    summary: 'Create a token; the answer is the only time it is shown (only its SHA-256 is stored). Audited.',
    body: { type: 'object', additionalProperties: false, required: ['name', 'role'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, role: { type: 'string', enum: [...ROLES] } } },
    async handle(req, who, s) {
      const { name, role } = req.body as { name: string; role: Role };
      const token = newToken();
      const t = await s.opts.serveStore.createToken({ name, role, hash: tokenHash(token), createdBy: actorOf(who) });
      await s.opts.serveStore.audit(actorOf(who), 'token.create', `token:${t.id}`, { name, role });
      return { id: t.id, name: t.name, role: t.role, token };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/tokens/:id',
    role: 'admin',
    summary: 'Revoke a token (audited); it stops working at once on this replica, within 5 s on others.',
    async handle(req, who, s) {
      const id = idParam(req);
      if (!(await s.opts.serveStore.revokeToken(id))) throw new ApiError(404, `no active token ${id}`);
      s.auth.forget();
      await s.opts.serveStore.audit(actorOf(who), 'token.revoke', `token:${id}`);
      return { revoked: id };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/audit-trail',
    role: 'admin',
    summary: 'Every write made through the API, latest first.',
    query: { type: 'object', additionalProperties: false, properties: { limit: limit(500, 10_000) } },
    async handle(req, _who, s) {
      const entries = await s.opts.serveStore.auditTrail((req.query as Json).limit as number);
      return { entries: entries.map((e) => ({ ...e, at: iso(e.at) })) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/settings',
    role: 'admin',
    summary: 'The running configuration without secrets: intake endpoints enabled, notification destinations.',
    async handle(_req, _who, s) {
      const st = s.opts.settings;
      return {
        intake: { github: st.githubSecrets.length > 0, github_secret_rotation: st.githubSecrets.length > 1, gitlab: st.gitlabTokens.length > 0, audit_stream: st.auditTokens.length > 0 },
        max_body_bytes: st.maxBodyBytes,
        public_url: st.publicUrl ?? null,
        store: s.opts.store.dialect,
        // The URL of a destination is a credential for Slack: only its host is shown.
        notify: st.destinations.map((d) => ({ name: d.name, type: d.type, host: new URL(d.url).host, min_severity: d.minSeverity, signed: d.secret !== undefined })),
      };
    },
  },
];

/** The OpenAPI 3.1 document of ROUTES. */
export function openApiDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of ROUTES) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters: Json[] = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }));
    const qp = (r.query?.properties ?? {}) as Record<string, Json>;
    const required = new Set((r.query?.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(qp)) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: required.has(name), schema: rest, ...(description !== undefined && { description }), ...(schema.type === 'array' && { style: 'form', explode: true }) });
    }
    const status = String(r.status ?? 200);
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      description: `Needs a token with the ${r.role} role or higher.`,
      security: [{ bearer: [] }],
      ...(parameters.length && { parameters }),
      ...(r.body && { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } }),
      responses: {
        [status]: { description: 'OK', content: { 'application/json': { schema: r.response ?? { type: 'object' } } } },
        '400': { $ref: '#/components/responses/Error' },
        '401': { $ref: '#/components/responses/Error' },
        '403': { $ref: '#/components/responses/Error' },
        ...(parameters.some((p) => p.in === 'path') && { '404': { $ref: '#/components/responses/Error' } }),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'pipewarden serve API', version: VERSION, description: 'Alerts, events and incident-response queries of pipewarden serve. Roles: viewer (read), responder (acknowledge, resolve, notes), admin (tokens, settings).' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token; the first admin token is PIPEWARDEN_ADMIN_TOKEN.' } },
      schemas: { Alert: ALERT_SCHEMA, Event: EVENT_SCHEMA },
      responses: { Error: { description: 'The request was refused', content: { 'application/json': { schema: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } } } } } },
    },
    paths,
  };
}

/** Registers /api/v1 on the server (a `plugins` entry of startServer). */
export async function registerApi(app: FastifyInstance, s: RunningServer): Promise<void> {
  const doc = openApiDocument();
  app.get('/api/v1/openapi.json', async (req, reply) => {
    if (!(await s.requireRole(req, reply, 'viewer'))) return reply;
    return reply.send(doc);
  });
  for (const r of ROUTES) {
    app.route({
      method: r.method,
      url: r.path,
      schema: { ...(r.query && { querystring: r.query }), ...(r.body && { body: r.body }) },
      // Authentication before the body is read or validated: a stranger learns nothing.
      onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
        const who = await s.requireRole(req, reply, r.role);
        if (who) (req as FastifyRequest & { who?: Who }).who = who;
        return reply.sent ? reply : undefined;
      },
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const who = (req as FastifyRequest & { who?: Who }).who!;
        const body = await r.handle(req, who, s);
        return reply.code(r.status ?? 200).send(body);
      },
    });
  }
}
