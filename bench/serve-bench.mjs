#!/usr/bin/env node
// Load test of `pipewarden serve` on loopback: signed GitHub deliveries per second and latency.
//   npm run build && nice node bench/serve-bench.mjs [--amount 20000] [--connections 50] [--pg URL] [--dist DIR]
// Profile the server: SERVE_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' node bench/serve-bench.mjs
// Starts the built CLI (SQLite in a fresh data folder; PostgreSQL in a fresh database with --pg),
// sends `--amount` distinct signed push deliveries with autocannon (bounded in count and time),
// then checks that every 202 is stored and waits for the detection queue to drain.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1];
};
const amount = Number(flag('amount', 20000));
const connections = Number(flag('connections', 50));
const pgServer = flag('pg', undefined);
const root = resolve(import.meta.dirname, '..');
// --dist: another build's output folder (A/B runs of two builds, back to back).
const dist = resolve(flag('dist', join(root, 'dist')));
const cli = join(dist, 'cli/main.js');
const { push } = await import(join(dist, 'monitor/simulate/payloads.js'));
const SECRET = 'bench-secret';
const ADMIN = 'bench-admin-token-0000000000000000';

function startServer(extra) {
  // SERVE_BENCH_NODE_ARGS: flags for the server's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.SERVE_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, cli, 'serve', '--listen', '127.0.0.1:0', ...extra], {
    env: { ...process.env, PIPEWARDEN_GITHUB_WEBHOOK_SECRET: SECRET, PIPEWARDEN_ADMIN_TOKEN: ADMIN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((res, rej) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) res({ child, url: m[1] });
    });
    child.once('exit', (c) => rej(new Error(`serve exited ${c}: ${err}`)));
  });
}

const sha = (n) => n.toString(16).padStart(40, '0');
const repos = Array.from({ length: 12 }, (_, i) => ({ org: 'acme', name: `svc-${i}` }));
// Bodies prepared up front so the load generator spends its CPU on sending, not building.
const bodies = Array.from({ length: 2000 }, (_, i) =>
  JSON.stringify(push(repos[i % 12], { ref: 'refs/heads/main', before: sha(i), after: sha(i + 1e6), pusher: `dev${i % 7}`, commits: [{ id: sha(i + 1e6), modified: [i % 50 === 0 ? '.github/workflows/ci.yml' : 'src/index.ts'] }], at: Date.now() })),
);

async function metric(url, name) {
  const text = await (await globalThis.fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

/**
 * CPU seconds a process used so far (user + system, and each), from /proc (Linux); with
 * `main`, only its main thread (the event loop: intake, detectors, SQLite calls), without V8's
 * compiler threads and the other helpers.
 */
function cpuTimes(pid, main = false) {
  try {
    const f = readFileSync(main ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: Number(f[11]) / 100, sys: Number(f[12]) / 100, total: (Number(f[11]) + Number(f[12])) / 100 };
  } catch {
    return { user: NaN, sys: NaN, total: NaN };
  }
}

async function run(name, extra) {
  const { child, url } = await startServer(extra);
  let i = 0;
  const cpu0 = cpuTimes(child.pid);
  const main0 = cpuTimes(child.pid, true);
  const self0 = process.cpuUsage();
  const result = await autocannon({
    url,
    connections,
    amount,
    duration: 120,
    timeout: 20,
    requests: [
      {
        method: 'POST',
        path: '/hooks/github',
        setupRequest(req) {
          const body = bodies[i++ % bodies.length];
          req.body = body;
          req.headers = {
            'content-type': 'application/json',
            'x-github-event': 'push',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
          };
          return req;
        },
      },
    ],
  });
  const cpu1 = cpuTimes(child.pid);
  const serverCpu = cpu1.total - cpu0.total;
  const serverUser = cpu1.user - cpu0.user;
  const serverSys = cpu1.sys - cpu0.sys;
  const mainCpu = cpuTimes(child.pid, true).total - main0.total;
  const self = process.cpuUsage(self0);
  const loadCpu = (self.user + self.system) / 1e6;
  const received = await metric(url, 'pipewarden_deliveries_received_total');
  const drainStart = Date.now();
  while ((await metric(url, 'pipewarden_queue_depth')) > 0 && Date.now() - drainStart < 300_000) await new Promise((r) => setTimeout(r, 250));
  const drain = (Date.now() - drainStart) / 1000;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, n2xx: result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, received, drain, secs: result.duration, serverCpu, serverUser, serverSys, mainCpu, loadCpu };
}

const rows = [];
const data = mkdtempSync(join(tmpdir(), 'pw-serve-bench-'));
rows.push(await run('SQLite', ['--data', data]));
rmSync(data, { recursive: true, force: true });
if (pgServer) {
  const pg = (await import('pg')).default;
  const db = `pw_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: pgServer });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  const u = new URL(pgServer);
  u.pathname = `/${db}`;
  try {
    rows.push(await run('PostgreSQL', ['--db', u.toString(), '--data', tmpdir()]));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  }
}
console.log(`machine: ${process.arch}, ${cpus()[0]?.model}, ${cpus().length} CPUs, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ${amount} deliveries, ${connections} connections`);
// Server CPU per delivery (intake and the detectors that ran meanwhile) tells what the server
// needs regardless of how many other processes share the cores.
// The main thread's share is what one event loop can take: 1,000 / (its CPU per 1,000) deliveries/s.
console.log('| store | deliveries/s | p50 | p99 | max | 2xx | non-2xx | errors | stored (metric) | queue drained after | server CPU | server CPU per 1,000 (user / sys) | main thread per 1,000 | load generator CPU |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
const per = (s, n) => ((s / n) * 1000).toFixed(2);
for (const r of rows) console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms | ${r.n2xx} | ${r.non2xx} | ${r.errors + r.timeouts} | ${r.received} | ${r.drain.toFixed(1)} s | ${r.serverCpu.toFixed(1)} s | ${per(r.serverCpu, r.n2xx)} s (${per(r.serverUser, r.n2xx)} / ${per(r.serverSys, r.n2xx)}) | ${per(r.mainCpu, r.n2xx)} s | ${r.loadCpu.toFixed(1)} s |`);
