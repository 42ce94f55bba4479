/**
 * A stand-in for the GitHub and GitLab APIs on 127.0.0.1 (random port) that answers from a
 * posture snapshot folder: the same response shapes a live scan reads, written from the
 * documented schemas. `overrides` replace answers per request path (served in turn, the last
 * repeating) to test errors: 401, 403 with and without rate-limit headers, 404, 5xx.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { snapshotFileOf } from '../../src/posture/api/snapshot.js';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeApi {
  url: string;
  /** Request paths (below the prefix) in arrival order. */
  seen: string[];
  close(): Promise<void>;
}

export async function startFakeApi(snapshotDir: string, opts: { prefix?: string; overrides?: Record<string, Reply | Reply[]>; webUrl?: string } = {}): Promise<FakeApi> {
  const seen: string[] = [];
  const served = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      let path = req.url ?? '/';
      if (opts.prefix && path.startsWith(opts.prefix)) path = path.slice(opts.prefix.length);
      // GitHub Enterprise Server: REST below /api/v3, GraphQL at /api/graphql beside it.
      else if (opts.prefix === '/api/v3' && path === '/api/graphql') path = '/graphql';
      seen.push(path);
      const override = opts.overrides?.[path] ?? opts.overrides?.[path.split('?')[0]!];
      if (override) {
        const list = Array.isArray(override) ? override : [override];
        const n = served.get(path) ?? 0;
        served.set(path, n + 1);
        const r = list[Math.min(n, list.length - 1)]!;
        res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) }).end(r.body === undefined ? '' : JSON.stringify(r.body));
        return;
      }
      let file: string;
      if (req.method === 'POST' && path === '/graphql') {
        const body = JSON.parse(await readBody(req)) as { query: string; variables: Record<string, unknown> };
        file = snapshotFileOf({ path, graphql: { query: body.query, variables: body.variables ?? {} } });
      } else {
        file = snapshotFileOf({ path, ...(/raw/.test(String(req.headers.accept)) ? { accept: 'raw' as const } : {}) });
      }
      let stored: { status: number; body: unknown; headers?: Record<string, string> };
      try {
        stored = JSON.parse(readFileSync(join(snapshotDir, 'api', file), 'utf8')) as typeof stored;
      } catch {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
        return;
      }
      const isText = typeof stored.body === 'string' && /raw/.test(String(req.headers.accept));
      const headers: Record<string, string> = { 'content-type': isText ? 'application/vnd.github.raw; charset=utf-8' : 'application/json; charset=utf-8' };
      if (stored.headers?.link) headers.link = stored.headers.link.replace(/https?:\/\/[^/]+/g, `http://127.0.0.1:${(server.address() as AddressInfo).port}${opts.prefix ?? ''}`);
      if (stored.status === 204) {
        res.writeHead(204).end();
        return;
      }
      let text = isText ? (stored.body as string) : JSON.stringify(stored.body);
      // A GitHub Enterprise Server answers with its own web URLs (html_url and the like).
      if (opts.webUrl) text = text.replaceAll('https://github.com/', `${opts.webUrl}/`);
      res.writeHead(stored.status, headers).end(text);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${opts.prefix ?? ''}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
