/**
 * The HTTP server of `pipewarden serve` (fastify): signed intake endpoints, health and metrics,
 * and (registered by their own modules) the API and dashboard. Deliveries are answered 202 only
 * after their events and queue rows committed; detection runs afterwards.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { DetectorContext } from '../monitor/detect.js';
import type { MonitorEvent } from '../monitor/model.js';
import type { SqlStore } from '../store/sql-store.js';
import type { ServeStore, Role } from '../store/serve-store.js';
import { registerApi } from './api.js';
import { allows, Authenticator } from './auth.js';
import { registerDashboard } from './dashboard.js';
import { auditBatch, githubDelivery, gitlabDelivery, isRefusal, type Accepted, type Headers, type Refusal } from './hooks.js';
import { Ingestor } from './ingest.js';
import { Metrics } from './metrics.js';
import { Notifier, type NotifierOptions } from './notify.js';
import { LEASE_MS, Processor } from './processor.js';
import type { WorkQueue } from './queue.js';
import type { ServeSettings } from './settings.js';

export interface ServerOptions {
  store: SqlStore;
  serveStore: ServeStore;
  settings: ServeSettings;
  ctx: DetectorContext;
  /** One line per notable thing, never a secret (stderr by default). */
  log?: (line: string) => void;
  /** Look for abandoned queue rows this often (ms). */
  sweepMs?: number;
  /** Routes added by other modules (API, dashboard), in the same authenticated server. */
  plugins?: Array<(app: FastifyInstance, s: RunningServer) => Promise<void>>;
  /** Alerts new or raised (besides the notifications of settings.destinations). */
  onAlerts?: (alertIds: number[]) => Promise<void>;
  /** Notification timing (tests shorten the backoff). */
  notify?: Pick<NotifierOptions, 'baseDelayMs' | 'maxAttempts' | 'pollMs' | 'timeoutMs'>;
  /** BullMQ on Redis for detection and notification jobs (`--redis`); in-process otherwise. */
  redis?: { url: string; prefix?: string };
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  processor: Processor;
  ingestor: Ingestor;
  notifier: Notifier;
  queue: WorkQueue | undefined;
  metrics: Metrics;
  auth: Authenticator;
  opts: ServerOptions;
  /** Checks `Authorization: Bearer` for a route; answers 401/403 itself and returns undefined. */
  requireRole(req: FastifyRequest, reply: FastifyReply, role: Role): Promise<{ name: string; role: Role; id: number } | undefined>;
  close(): Promise<void>;
}

/** Strict by default; the dashboard serves only its own files and talks only to this origin. */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const SECURITY_ENTRIES = Object.entries(SECURITY_HEADERS);

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? ((line: string) => void process.stderr.write(`pipewarden serve: ${line}\n`));
  const { store, serveStore, settings } = opts;
  // BullMQ (and its Redis client) load only with --redis.
  const queue = opts.redis ? new (await import('./queue.js')).WorkQueue({ url: opts.redis.url, ...(opts.redis.prefix && { prefix: opts.redis.prefix }), log, onJob: (name, outcome) => metrics.jobs.inc({ job: name, outcome }) }) : undefined;
  const metrics: Metrics = new Metrics(async () => ({
    pipewarden_queue_depth: { help: 'Events committed and waiting for the detectors (all replicas).', value: await serveStore.queueDepth().catch(() => -1) },
    pipewarden_queue_backlog: { help: 'Events waiting in this process.', value: processor.backlog },
    ...(queue && { pipewarden_jobs_waiting: { help: 'Jobs waiting, running or delayed in the Redis queue (all replicas).', value: await queue.depth().catch(() => -1) } }),
  }));
  const notifier = new Notifier({ store, serveStore, destinations: settings.destinations, metrics, log, ...(settings.publicUrl && { publicUrl: settings.publicUrl }), ...(queue && { queue, pollMs: 60_000 }), ...opts.notify });
  const onAlerts = async (ids: number[]): Promise<void> => {
    await notifier.plan(ids);
    await opts.onAlerts?.(ids);
  };
  const processor: Processor = new Processor({ store, serveStore, ctx: opts.ctx, metrics, log, onAlerts, ...(opts.sweepMs !== undefined && { sweepMs: opts.sweepMs }) });
  // With a queue, a job claims the row; the hold keeps the store sweep off it meanwhile.
  const ingestor = new Ingestor(store, queue ? 30_000 : LEASE_MS);
  if (queue) {
    try {
      await queue.ready();
    } catch (e) {
      await queue.close().catch(() => undefined);
      throw new Error(`cannot reach Redis: ${(e as Error).message}`, { cause: e });
    }
    queue.work({
      detect: async (id) => {
        if (await serveStore.claim(id, LEASE_MS)) await processor.processNow(id);
      },
      notify: (id) => notifier.deliverById(id),
    });
  }
  const auth = new Authenticator(serveStore);
  await auth.bootstrap(settings.adminToken);

  // No request logging by fastify: its logs would carry headers; ours never do.
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy: false, return503OnClosing: true, forceCloseConnections: true,
    // An unknown filter (a typo such as `sevrity=high`) is refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  // Callback style: no promise per response (this runs for every delivery).
  app.addHook('onSend', (_req, reply, payload, done) => {
    for (const [k, v] of SECURITY_ENTRIES) if (!reply.hasHeader(k)) reply.header(k, v);
    done(null, payload);
  });
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') metrics.rejected.inc({ endpoint: String(_req.routeOptions.url ?? '?'), reason: 'too-large' });
    if (status === 500) log(`internal error on ${_req.method} ${_req.routeOptions.url ?? '?'}: ${err.message}`);
    void reply.code(status).send({ error: status === 500 ? 'internal error' : err.message });
  });
  app.setNotFoundHandler((_req, reply) => void reply.code(404).send({ error: 'not found' }));

  const running: RunningServer = {
    app,
    url: '',
    processor,
    ingestor,
    notifier,
    queue,
    metrics,
    auth,
    opts,
    async requireRole(req, reply, role) {
      const token = await auth.authenticate(req.headers.authorization);
      if (!token) {
        void reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'authentication required: Authorization: Bearer <token>' });
        return undefined;
      }
      if (!allows(token.role, role)) {
        void reply.code(403).send({ error: `this needs the ${role} role; the token is ${token.role}` });
        return undefined;
      }
      return { name: token.name, role: token.role, id: token.id };
    },
    async close() {
      await app.close();
      await ingestor.drain();
      await processor.stop();
      await notifier.stop();
      await queue?.close();
    },
  };

  // Intake: exact body bytes (the signature is over them), large bodies allowed.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: settings.maxBodyBytes }, (_req, body, done) => done(null, body));
    const intake = (endpoint: string, handle: (headers: Headers, body: Buffer, now: number) => Accepted | Refusal) => async (req: FastifyRequest, reply: FastifyReply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const result = handle(req.headers, body, Date.now());
      if (isRefusal(result)) {
        metrics.rejected.inc({ endpoint, reason: result.reason });
        return reply.code(result.status).send({ error: result.message });
      }
      const ids = await ingestor.commit(result.records.map((r) => r.event));
      const fresh: Array<{ id: number; event: MonitorEvent }> = [];
      ids.forEach((r, i) => {
        if (!r.inserted) return;
        const rec = result.records[i]!;
        const { keys: _k, raw: _r, ...core } = rec.event;
        fresh.push({ id: r.id, event: { ...core, id: r.id, sha256: '', payload: rec.payload } });
      });
      const dup = ids.length - fresh.length;
      if (fresh.length) metrics.received.inc({ endpoint }, fresh.length);
      if (dup) metrics.duplicates.inc({ endpoint }, dup);
      // Detection after the answer: the events and their queue rows are committed already.
      reply.raw.once('close', () => {
        if (!queue) return processor.submit(fresh);
        // Not queued (Redis down): the rows stay in the store and the sweep takes them after the hold.
        queue.detect(fresh.map((f) => f.id)).catch((e: Error) => log(`could not queue ${fresh.length} events: ${e.message}`));
      });
      const diagnostics = result.diagnostics.filter((d) => d.level !== 'note').map((d) => ({ level: d.level, ...(d.line !== undefined && { line: d.line }), message: d.message }));
      if (endpoint === '/ingest/github-audit') {
        // Splunk HEC senders read `text`/`code`.
        return reply.code(202).send({ text: 'Success', code: 0, stored: fresh.length, duplicates: dup, diagnostics });
      }
      if (fresh.length === 0) return reply.code(200).send({ duplicate: true, event: ids[0]?.id });
      return reply.code(202).send({ stored: true, event: fresh[0]!.id, ...(diagnostics.length && { diagnostics }) });
    };
    scope.post('/hooks/github', intake('/hooks/github', (hd, b, now) => githubDelivery(settings, hd, b, now)));
    scope.post('/hooks/gitlab', intake('/hooks/gitlab', (hd, b, now) => gitlabDelivery(settings, hd, b, now)));
    const audit = intake('/ingest/github-audit', (hd, b) => auditBatch(settings, hd, b));
    scope.post('/ingest/github-audit', audit);
    // GitHub's audit-log streaming to Splunk posts to the HTTP Event Collector's path.
    scope.post('/services/collector', audit);
    scope.post('/services/collector/event', audit);
  });

  app.get('/healthz', async (_req, reply) => {
    try {
      await sql`select 1`.execute(store.db);
      return reply.send({ status: 'ok', store: store.dialect });
    } catch {
      return reply.code(503).send({ status: 'unavailable', store: store.dialect });
    }
  });
  app.get('/metrics', async (req, reply) => {
    if (!(await running.requireRole(req, reply, 'viewer'))) return reply;
    return reply.type('text/plain; version=0.0.4').send(await metrics.render());
  });

  for (const p of [registerApi, registerDashboard, ...(opts.plugins ?? [])]) await p(app, running);

  if (store.dialect === 'sqlite') {
    // Statement journals in memory: a multi-row insert with `on conflict` keeps one, and on a
    // file it was a twelfth of the server's CPU under load (pwrite of pages into a temp file).
    // This process's connection only; the data file is unchanged.
    await sql`pragma temp_store = memory`.execute(store.db);
    await serveStore.releaseAll();
  }
  const address = await app.listen({ host: settings.host, port: settings.port });
  running.url = address.replace('[::1]', '127.0.0.1');
  processor.start();
  notifier.start();
  return running;
}
