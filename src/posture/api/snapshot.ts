import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApiReply, ApiRequest, PosturePlatform, PostureTransport } from './types.js';

/**
 * Snapshot folders: what `posture --snapshot DIR` writes and `--from-snapshot DIR` reads.
 *
 *   DIR/snapshot.json                  platform, organisation/group, web URL, when, by which version
 *   DIR/api/orgs/acme.json             one file per API request: status, kept headers, body
 *   DIR/api/repos/acme/api/branches/main/protection.json
 *   DIR/api/orgs/acme/repos@per_page=100&page=2.json     (query after `@`)
 *   DIR/api/graphql/<sha256 of query+variables>.json
 *
 * One readable file per request so an auditor can see exactly what was evaluated, and a test or
 * an example can be written by hand from the documented response shapes. Values that are secret
 * (GitLab CI/CD variable values, webhook target URLs, which often carry a token in the path) are
 * redacted before anything is written.
 */

export const SNAPSHOT_FORMAT = 'pipewarden-posture-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface SnapshotMeta {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  platform: PosturePlatform;
  /** Organisation (GitHub) or top-level group path (GitLab). */
  target: string;
  webUrl: string;
  recordedAt: string;
  tool: string;
}

interface StoredReply {
  request: { path: string; accept?: 'raw'; graphql?: ApiRequest['graphql'] };
  status: number;
  headers: ApiReply['headers'];
  body: unknown;
}

/** A path segment as a file name: nothing that can climb out of the folder or collide with `.json`. */
function safeSegment(seg: string): string {
  const s = seg.replace(/[^A-Za-z0-9._~@=&%+,-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return s === '' || /^\.+$/.test(s) ? s.replace(/\./g, '%2E') || '%' : s;
}

/** Relative file (inside DIR/api) for a request. Deterministic: recording and replay agree. */
export function snapshotFileOf(req: ApiRequest): string {
  if (req.graphql) {
    const hash = createHash('sha256').update(JSON.stringify([req.graphql.query.replace(/\s+/g, ' ').trim(), req.graphql.variables])).digest('hex').slice(0, 24);
    return `graphql/${hash}.json`;
  }
  const [pathPart, query] = splitQuery(req.path);
  const segments = pathPart.split('/').filter(Boolean).map(safeSegment);
  if (segments.length === 0) segments.push('%');
  let last = segments.pop()!;
  if (query) last += `@${safeSegment(query)}`;
  if (req.accept === 'raw') last += '+raw';
  return [...segments, `${last}.json`].join('/');
}

function splitQuery(path: string): [string, string | undefined] {
  const i = path.indexOf('?');
  if (i === -1) return [path, undefined];
  // Sorted so that `a=1&b=2` and `b=2&a=1` are one request.
  const q = path.slice(i + 1).split('&').filter(Boolean).sort().join('&');
  return [path.slice(0, i), q || undefined];
}

export function readSnapshotMeta(dir: string): SnapshotMeta {
  let raw: string;
  try {
    raw = readFileSync(join(dir, 'snapshot.json'), 'utf8');
  } catch {
    throw new SnapshotError(`${dir} is not a posture snapshot (no snapshot.json)`);
  }
  let meta: Partial<SnapshotMeta>;
  try {
    meta = JSON.parse(raw) as Partial<SnapshotMeta>;
  } catch {
    throw new SnapshotError(`${join(dir, 'snapshot.json')}: not valid JSON`);
  }
  if (meta.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`${join(dir, 'snapshot.json')}: format is not "${SNAPSHOT_FORMAT}"`);
  if (meta.version !== SNAPSHOT_VERSION) throw new SnapshotError(`${join(dir, 'snapshot.json')}: version ${String(meta.version)} is not supported (expected ${SNAPSHOT_VERSION})`);
  if (meta.platform !== 'github' && meta.platform !== 'gitlab') throw new SnapshotError(`${join(dir, 'snapshot.json')}: platform must be github or gitlab`);
  if (typeof meta.target !== 'string' || typeof meta.webUrl !== 'string' || !/^https?:\/\/[^/\s]+/.test(meta.webUrl)) {
    throw new SnapshotError(`${join(dir, 'snapshot.json')}: target and webUrl are required`);
  }
  return meta as SnapshotMeta;
}

/** A user error in a snapshot folder (exit 2). */
export class SnapshotError extends Error {}

/** Answers from a snapshot folder. A request that was not recorded gets status 0: "not evaluated", never a guess. */
export class ReplayingTransport implements PostureTransport {
  readonly platform: PosturePlatform;
  readonly webUrl: string;
  readonly meta: SnapshotMeta;

  constructor(private readonly dir: string) {
    this.meta = readSnapshotMeta(dir);
    this.platform = this.meta.platform;
    this.webUrl = this.meta.webUrl.replace(/\/+$/, '');
  }

  async send(req: ApiRequest): Promise<ApiReply> {
    const file = join(this.dir, 'api', snapshotFileOf(req));
    let stored: StoredReply;
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as StoredReply;
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      if (!missing) throw new SnapshotError(`${file}: ${e instanceof SyntaxError ? 'not valid JSON' : (e as Error).message}`);
      return { status: 0, data: null, headers: {}, from: 'snapshot' };
    }
    if (typeof stored.status !== 'number') throw new SnapshotError(`${file}: no status`);
    return { status: stored.status, data: stored.body ?? null, headers: stored.headers ?? {}, from: 'snapshot' };
  }
}

/** Passes requests to a live transport and writes every reply (redacted) into a snapshot folder. */
export class RecordingTransport implements PostureTransport {
  readonly platform: PosturePlatform;
  readonly webUrl: string;
  private count = 0;

  /** `recordedAt` must be the "now" the collector measures ages and activity windows from, so a replay sees the same. */
  constructor(private readonly inner: PostureTransport, private readonly dir: string, target: string, tool: string, recordedAt: Date) {
    this.platform = inner.platform;
    this.webUrl = inner.webUrl;
    mkdirSync(join(dir, 'api'), { recursive: true });
    const meta: SnapshotMeta = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, platform: inner.platform, target, webUrl: inner.webUrl, recordedAt: recordedAt.toISOString(), tool };
    writeFileSync(join(dir, 'snapshot.json'), `${JSON.stringify(meta, null, 2)}\n`);
  }

  get recorded(): number {
    return this.count;
  }

  async send(req: ApiRequest): Promise<ApiReply> {
    const reply = await this.inner.send(req);
    const stored: StoredReply = {
      request: { path: req.path, ...(req.accept === 'raw' ? { accept: 'raw' as const } : {}), ...(req.graphql ? { graphql: req.graphql } : {}) },
      status: reply.status,
      headers: reply.headers,
      body: redact(req.path, reply.data),
    };
    const file = join(this.dir, 'api', snapshotFileOf(req));
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
    this.count++;
    return reply;
  }
}

const REDACTED = '[redacted]';

/**
 * Removes what must never land in a snapshot: CI/CD variable values (GitLab returns them),
 * any `token`/`password` field, and the path and query of webhook target URLs (Slack and Teams
 * hooks carry their credential there). The scheme and host stay: checks need them.
 */
export function redact(path: string, data: unknown): unknown {
  const isVariables = /\/variables(?:[/?]|$)/.test(path);
  const isHooks = /\/hooks(?:[/?]|$)/.test(path);
  const walk = (v: unknown, key: string | undefined, parentKey: string | undefined): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, undefined, key));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k, key);
      return out;
    }
    if (typeof v !== 'string' || key === undefined) return v;
    if (isVariables && key === 'value') return REDACTED;
    if (/^(token|password|private_token|secret_token)$/i.test(key)) return REDACTED;
    if (key === 'secret' && v !== '********') return REDACTED;
    if (isHooks && key === 'url' && (parentKey === 'config' || !/\/hooks\/\d+$/.test(v))) return redactUrl(v);
    return v;
  };
  return walk(data, undefined, undefined);
}

/** `https://hooks.example.com/services/T0/B0/xyz` → `https://hooks.example.com/[redacted]`. */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^@/?#]*@)?([^/?#]*)(.*)$/i.exec(url);
  if (!m) return REDACTED;
  return `${m[1]}${m[2]}${m[3] && m[3] !== '/' ? `/${REDACTED}` : ''}`;
}
