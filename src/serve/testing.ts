/**
 * Test support for the server: a real `pipewarden serve` stack on 127.0.0.1 (random port) over a
 * SQLite file in a temp folder or a throw-away PostgreSQL database, and signed requests to it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeContext, type WorkflowContentSource } from '../monitor/detect.js';
import { loadIndicators } from '../monitor/indicators.js';
import { openStore } from '../store/open.js';
import { ServeStore } from '../store/serve-store.js';
import type { SqlStore } from '../store/sql-store.js';
import { createTempPostgres, type TempDatabase } from '../store/testing.js';
import { startServer, type RunningServer, type ServerOptions } from './app.js';
import type { ServeSettings } from './settings.js';
import { signGithub } from './signature.js';

export const SECRET = 'test-webhook-secret-3f9a';
export const GITLAB_TOKEN = 'test-gitlab-token-77c1';
export const AUDIT_TOKEN = 'test-audit-token-5d2e-0000';
export const ADMIN = 'test-admin-token-0123456789abcdef';

export function testSettings(extra: Partial<ServeSettings> = {}): ServeSettings {
  return {
    host: '127.0.0.1',
    port: 0,
    githubSecrets: [SECRET],
    gitlabTokens: [GITLAB_TOKEN],
    auditTokens: [AUDIT_TOKEN],
    adminToken: ADMIN,
    maxBodyBytes: 25 * 1024 * 1024,
    maxInflatedBytes: 64 * 1024 * 1024,
    destinations: [],
    ...extra,
  };
}

export interface TestStack {
  server: RunningServer;
  store: SqlStore;
  serveStore: ServeStore;
  /** `sqlite:FILE` or the PostgreSQL URL (to open a second replica or a checker). */
  db: string;
  stop(): Promise<void>;
}

export interface StoreSpot {
  db: string;
  cleanup(): Promise<void>;
}

export async function storeSpot(kind: 'sqlite' | 'postgres', pgServer?: string): Promise<StoreSpot> {
  if (kind === 'postgres') {
    const t: TempDatabase = await createTempPostgres(pgServer!);
    return { db: t.url, cleanup: () => t.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'pw-serve-'));
  return { db: `sqlite:${join(dir, 'monitor.sqlite')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startStack(db: string, opts: Partial<Omit<ServerOptions, 'settings'>> & { settings?: Partial<ServeSettings>; contents?: WorkflowContentSource } = {}): Promise<TestStack> {
  const store = await openStore({ db, dataDir: tmpdir() });
  const serveStore = new ServeStore(store.db, store.dialect);
  const { settings, contents, ...rest } = opts;
  const server = await startServer({
    store,
    serveStore,
    settings: testSettings(settings),
    ctx: makeContext(store, loadIndicators(), { ...(contents && { contents }) }),
    log: () => undefined,
    sweepMs: 200,
    ...rest,
  });
  return {
    server,
    store,
    serveStore,
    db,
    async stop() {
      await server.close();
      await store.close();
    },
  };
}

export async function postGithub(url: string, event: string, payload: unknown, o: { delivery?: string; secret?: string; signature?: string | null; headers?: Record<string, string> } = {}): Promise<Response> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': o.delivery ?? randomUUID(), ...o.headers };
  if (o.signature !== null) headers['x-hub-signature-256'] = o.signature ?? signGithub(o.secret ?? SECRET, body);
  return fetch(`${url}/hooks/github`, { method: 'POST', headers, body });
}

/** Waits until the server's queue is empty (detection done), bounded. */
export async function settled(stack: TestStack, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await stack.server.processor.idle();
    if ((await stack.serveStore.queueDepth()) === 0) return;
    if (Date.now() > end) throw new Error('the detection queue did not drain');
    await new Promise((r) => setTimeout(r, 50));
  }
}
