/**
 * The dashboard of `pipewarden serve`: three static files (src/serve/dashboard/, copied next to
 * this module by scripts/copy-assets.mjs) served by the same process, no build step at run time.
 * The files hold no data and need no token; every datum comes from /api/v1 with the token in an
 * `Authorization` header (no cookie: a page on another origin cannot make a request carrying it).
 * The strict CSP of SECURITY_HEADERS (script-src 'self', style-src 'self', no inline) applies to
 * them like to every other answer.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { RunningServer } from './app.js';

const FILES: Array<{ route: string; file: string; type: string }> = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/ui/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { route: '/ui/app.css', file: 'app.css', type: 'text/css; charset=utf-8' },
];

/** Registers the dashboard routes (a `plugins` entry of startServer, registered by default). */
export async function registerDashboard(app: FastifyInstance, _s: RunningServer): Promise<void> {
  for (const f of FILES) {
    // Read once at start-up: a few tens of KB, and a missing file fails the start, not a request.
    const body = readFileSync(new URL(`./dashboard/${f.file}`, import.meta.url));
    app.get(f.route, async (_req, reply) => reply.type(f.type).send(body));
  }
}
