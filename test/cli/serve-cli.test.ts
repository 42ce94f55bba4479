import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { push } from '../../src/monitor/simulate/payloads.js';
import { signGithub } from '../../src/serve/signature.js';
import { openStore } from '../../src/store/open.js';
import { ServeStore } from '../../src/store/serve-store.js';
import { CLI, cliAsync } from '../helpers.js';

const SECRET = 'cli-test-secret-9c1b';
const ADMIN = 'cli-test-admin-token-000000000000';
const env = { PIPEWARDEN_GITHUB_WEBHOOK_SECRET: SECRET, PIPEWARDEN_ADMIN_TOKEN: ADMIN };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Starts the built CLI's server and resolves with its URL once it listens. */
function serve(data: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0', '--data', data], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

const sha = (n: number): string => n.toString(16).padStart(40, '0');
const repo = { org: 'acme', name: 'web' };

function delivery(i: number): { guid: string; body: string; workflow: boolean } {
  const workflow = i % 10 === 0;
  const body = JSON.stringify(push(repo, { ref: 'refs/heads/main', before: sha(i), after: sha(i + 1_000_000), pusher: 'dev', commits: [{ id: sha(i + 1_000_000), modified: [workflow ? '.github/workflows/ci.yml' : 'src/app.ts'] }], at: Date.now() }));
  return { guid: randomUUID(), body, workflow };
}

async function send(url: string, d: { guid: string; body: string }): Promise<number> {
  const res = await fetch(`${url}/hooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': d.guid, 'x-hub-signature-256': signGithub(SECRET, d.body) }, body: d.body });
  return res.status;
}

describe('pipewarden serve (built CLI)', () => {
  it('refuses to start with nothing to receive, or a bad address', async () => {
    const none = await cliAsync(['serve', '--data', tmpdir()], { env: { PIPEWARDEN_GITHUB_WEBHOOK_SECRET: '', PIPEWARDEN_GITLAB_TOKEN: '', PIPEWARDEN_AUDIT_STREAM_TOKEN: '' } });
    expect([none.code, none.stderr.trim()]).toEqual([2, 'error: nothing to receive: set PIPEWARDEN_GITHUB_WEBHOOK_SECRET, PIPEWARDEN_GITLAB_TOKEN or PIPEWARDEN_AUDIT_STREAM_TOKEN (see --help)']);
    const bad = await cliAsync(['serve', '--listen', 'nowhere', '--data', tmpdir()], { env });
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'error: --listen: "nowhere" is not HOST:PORT (e.g. 127.0.0.1:8080)']);
    const scheme = await cliAsync(['serve', '--listen', '127.0.0.1:0', '--redis', 'http://cache:6379', '--data', tmpdir()], { env });
    expect([scheme.code, scheme.stderr.trim()]).toEqual([2, 'error: --redis: use a redis:// or rediss:// URL']);
    // Nothing listens on port 1: the server must not start half-working (nor hang).
    const data = mkdtempSync(join(tmpdir(), 'pw-serve-redis-'));
    dirs.push(data);
    const down = await cliAsync(['serve', '--listen', '127.0.0.1:0', '--redis', 'redis://:hunter2-not-shown@127.0.0.1:1', '--data', data], { env });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^error: cannot reach Redis: Redis did not answer within 10 s$/m);
    expect(down.stderr).not.toContain('hunter2');
  }, 90_000);

  it('serves the dashboard from the built files (copied to dist by scripts/copy-assets.mjs)', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pw-serve-cli-'));
    dirs.push(data);
    const s = await serve(data);
    try {
      for (const [path, type, marker] of [['/', 'text/html; charset=utf-8', '<script type="module" src="ui/app.js">'], ['/ui/app.js', 'text/javascript; charset=utf-8', "const TOKEN_KEY = 'pipewarden.token';"], ['/ui/app.css', 'text/css; charset=utf-8', '[hidden]']] as const) {
        const res = await fetch(`${s.url}${path}`);
        expect([path, res.status, res.headers.get('content-type'), res.headers.get('content-security-policy')?.startsWith("default-src 'none'; script-src 'self'; style-src 'self';")]).toEqual([path, 200, type, true]);
        expect(await res.text()).toContain(marker);
      }
    } finally {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
    }
  }, 60_000);

  it('kill -9 during a burst loses no delivery that got a 202, and the restarted server finishes detection', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pw-serve-kill-'));
    dirs.push(data);
    const first = await serve(data);
    const all = Array.from({ length: 400 }, (_, i) => delivery(i));
    const accepted = new Set<string>();
    let next = 0;
    let killed = false;
    const worker = async (): Promise<void> => {
      while (next < all.length && !killed) {
        const d = all[next++]!;
        try {
          if ((await send(first.url, d)) === 202) accepted.add(d.guid);
        } catch {
          // connection reset by the kill: not acknowledged, may or may not be stored
        }
        if (accepted.size >= 150 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r)));
    expect(killed).toBe(true);

    const store = await openStore({ dataDir: data });
    const stored = new Set((await store.listEvents({})).map((e) => e.evidenceId));
    expect([...accepted].filter((g) => !stored.has(g))).toEqual([]);
    await store.close();

    const second = await serve(data);
    try {
      const check = await openStore({ dataDir: data });
      const queue = new ServeStore(check.db, check.dialect);
      const end = Date.now() + 60_000;
      while ((await queue.queueDepth()) > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(await queue.queueDepth()).toBe(0);
      const events = await check.listEvents({});
      const alerts = await check.listAlerts({ alert: 'workflow-pushed' });
      const workflowPushes = all.filter((d) => d.workflow && events.some((e) => e.evidenceId === d.guid)).map((d) => d.guid);
      // One alert per stored workflow push, none twice, whatever was processed before the kill.
      expect(alerts.map((a) => a.evidence[0]!.id).sort()).toEqual(workflowPushes.sort());
      const metrics = await (await fetch(`${second.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
      expect(metrics).toContain('pipewarden_queue_depth 0');
      await check.close();
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
    expect(second.child.exitCode).toBe(0);
  }, 180_000);
});
