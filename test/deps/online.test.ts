import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliAsync as cli, tree } from '../helpers.js';

/** npm's bulk advisory endpoint and the OSV API, played by a server on 127.0.0.1. */
let server: Server;
let base = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      if (req.url === '/-/npm/v1/security/advisories/bulk') {
        const asked = JSON.parse(body) as Record<string, string[]>;
        expect(asked).toEqual({ lodash: ['4.17.20'], ms: ['2.1.3'] });
        res.end(JSON.stringify({ lodash: [{ id: 1106913, url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm', title: 'Command Injection in lodash', severity: 'high', vulnerable_versions: '<4.17.21', cvss: { score: 7.2 } }] }));
      } else if (req.url === '/v1/querybatch') {
        const q = JSON.parse(body) as { queries: Array<{ package: { name: string }; version: string }> };
        res.end(JSON.stringify({ results: q.queries.map((x) => (x.package.name === 'requests' ? { vulns: [{ id: 'GHSA-j8r2-6x86-q33q' }] } : {})) }));
      } else if (req.url === '/v1/vulns/GHSA-j8r2-6x86-q33q') {
        res.end(JSON.stringify({ id: 'GHSA-j8r2-6x86-q33q', modified: '2023-06-10T00:00:00Z', aliases: ['CVE-2023-32681'], summary: 'Unintended leak of Proxy-Authorization header in requests', affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] }] }], database_specific: { severity: 'MODERATE' } }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(() => server.close());

describe('deps --online', () => {
  it('asks npm in bulk and OSV for the rest, caches the answers, and fails closed when unreachable without a cache', async () => {
    const root = tree({
      'package-lock.json': '{"lockfileVersion": 3, "packages": {"node_modules/lodash": {"version": "4.17.20"}, "node_modules/ms": {"version": "2.1.3"}}}',
      'requirements.txt': 'requests==2.30.0\nidna==3.7\n',
      'renovate.json': '{}',
    });
    const data = mkdtempSync(join(tmpdir(), 'pw-deps-online-'));
    const env = { PIPEWARDEN_NPM_REGISTRY: base, PIPEWARDEN_OSV_API: base };
    const run = async (): Promise<{ rows: string[]; stderr: string; code: number }> => {
      const r = await cli(['deps', '.', '--online', '--data', data, '--format', 'json'], { cwd: root, env });
      return { rows: (JSON.parse(r.stdout).findings as Array<{ location: { file: string; startLine: number }; message: string }>).map((f) => `${f.location.file}:${f.location.startLine} ${f.message}`), stderr: r.stderr, code: r.code };
    };
    const first = await run();
    expect(first.rows).toEqual([
      'package-lock.json:1 lodash 4.17.20 is affected by GHSA-35jh-r3h4-6jhm [high 7.2]: Command Injection in lodash; no fixed version named',
      'requirements.txt:1 requests 2.30.0 is affected by GHSA-j8r2-6x86-q33q (CVE-2023-32681) [medium]: Unintended leak of Proxy-Authorization header in requests; fixed in 2.31.0; upgrade to 2.31.0',
    ]);
    expect(first.stderr).toBe('');
    expect(requests).toEqual(['POST /-/npm/v1/security/advisories/bulk', 'POST /v1/querybatch', 'GET /v1/vulns/GHSA-j8r2-6x86-q33q']);
    // Cached: no new requests.
    expect((await run()).rows).toEqual(first.rows);
    expect(requests).toHaveLength(3);
    rmSync(data, { recursive: true });
    // Nothing cached and the services unreachable: fail closed with a clear message.
    const empty = mkdtempSync(join(tmpdir(), 'pw-deps-online-'));
    const down = await cli(['deps', '.', '--online', '--data', empty, '--format', 'json'], { cwd: root, env: { PIPEWARDEN_NPM_REGISTRY: 'http://127.0.0.1:9', PIPEWARDEN_OSV_API: 'http://127.0.0.1:9' } });
    expect(down.stderr).toMatch(/^error: advisory lookup failed: .*Known-vulnerable versions were NOT checked\.\n$/);
    expect(down.code).toBe(2);
    rmSync(empty, { recursive: true });
    rmSync(root, { recursive: true });
  });
});
