/**
 * A stand-in for the GitHub REST API on 127.0.0.1 (random port) answering recorded responses.
 * Routes are `METHOD /path?query` → a response, or a list of responses served in turn (the last
 * one repeats). Unknown routes answer 404 like GitHub. Every 200 carries an ETag derived from its
 * body, and a request whose If-None-Match matches gets a 304, as GitHub does.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body (serialized), or `raw` text. */
  body?: unknown;
  raw?: string;
}

export type Routes = Record<string, Recorded | Recorded[]>;

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface FakeGithub {
  url: string;
  requests: SeenRequest[];
  routes: Routes;
  close(): Promise<void>;
}

export function loadFixture(name: string): Routes {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Routes;
}

/** `prefix` (e.g. `/api/v3` for GHES) must lead every request path; it is stripped before routing. */
export async function startFakeGithub(routes: Routes, opts: { prefix?: string } = {}): Promise<FakeGithub> {
  const requests: SeenRequest[] = [];
  const served = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let path = req.url ?? '/';
    const record = (status: number): void => {
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, status });
    };
    if (opts.prefix) {
      if (!path.startsWith(`${opts.prefix}/`)) {
        record(404);
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
        return;
      }
      path = path.slice(opts.prefix.length);
    }
    const key = `${req.method ?? 'GET'} ${path}`;
    const entry = routes[key];
    let r: Recorded;
    if (Array.isArray(entry)) {
      const n = served.get(key) ?? 0;
      served.set(key, n + 1);
      r = entry[Math.min(n, entry.length - 1)]!;
    } else {
      r = entry ?? { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
    }
    const status = r.status ?? 200;
    const text = r.raw ?? JSON.stringify(r.body ?? null);
    const headers: Record<string, string> = { 'content-type': r.raw !== undefined ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...(r.headers ?? {}) };
    if (status === 200 && !headers.etag) headers.etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
    if (status === 200 && req.headers['if-none-match'] === headers.etag) {
      record(304);
      res.writeHead(304, { etag: headers.etag }).end();
      return;
    }
    record(status);
    res.writeHead(status, headers).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
