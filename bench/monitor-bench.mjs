#!/usr/bin/env node
// Replay speed and precision of `pipewarden monitor replay` on generated organisations.
//   npm run build && nice node bench/monitor-bench.mjs [--seeds 20250220,1,2] [--runs 3] [--pg URL]
// For each seed: writes the org (src/monitor/simulate/org.ts) to a temp folder, replays it through
// the built CLI (--db memory, a SQLite file in a fresh data folder, and PostgreSQL with --pg),
// and compares the alerts with the planted incidents (truth.json):
//   - an alert is true when one of its evidence ids is a planted event, false otherwise;
//   - recall counts the expected alerts (alert id + repository) that some true alert covers;
//   - false alerts are reported per 1,000 benign (not planted) events.
// It also checks that no output (json, text, sarif) contains a whole generated token.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1];
};
const seeds = String(flag('seeds', '20250220,1,2')).split(',').map(Number);
const runs = Number(flag('runs', 3));
const pg = flag('pg', undefined);
const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/cli/main.js');
if (!existsSync(cli)) {
  console.error('dist/cli/main.js missing: npm run build');
  process.exit(2);
}
const { generateOrg } = await import(join(root, 'dist/monitor/simulate/org.js'));
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function replay(dir, extra, format = 'json') {
  const argv = [cli, 'monitor', 'replay', '--webhooks', 'webhooks.jsonl', '--audit-log', 'audit-log.json', '--logs', 'logs', '--contents', 'contents', '--format', format, '-q', '--no-exit-code', ...extra];
  const cmd = timeBin ? [timeBin, ['-f', '%e %U %S %M', process.execPath, ...argv]] : [process.execPath, argv];
  const r = spawnSync(cmd[0], cmd[1], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`replay failed (${r.status}): ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop();
  const [wall, user, sys, rss] = timeBin ? last.split(' ').map(Number) : [NaN, NaN, NaN, NaN];
  return { stdout: r.stdout, wall, cpu: user + sys, rss };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const seed of seeds) {
  const dir = mkdtempSync(join(tmpdir(), `pw-monitor-bench-${seed}-`));
  const org = generateOrg({ seed });
  for (const [rel, content] of org.files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  const events = org.stats.webhooks + org.stats.audit + org.stats.logs;
  const stores = [['memory', ['--db', 'memory']], ['sqlite file', null]];
  if (pg) stores.push(['postgresql', ['--db', pg]]);
  let alerts;
  for (const [name, extra] of stores) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const data = mkdtempSync(join(tmpdir(), 'pw-monitor-data-'));
      const t = replay(dir, extra ?? ['--data', data]);
      times.push(t);
      rmSync(data, { recursive: true, force: true });
      if (name === 'memory' && i === 0) alerts = JSON.parse(t.stdout).alerts;
    }
    rows.push({ seed, store: name, events, logs: org.stats.logs, wall: median(times.map((t) => t.wall)), cpu: median(times.map((t) => t.cpu)), rss: Math.max(...times.map((t) => t.rss)) });
  }
  const planted = new Set(org.truth.planted);
  const tp = alerts.filter((a) => a.evidence.some((e) => planted.has(e.id)));
  const fp = alerts.filter((a) => !a.evidence.some((e) => planted.has(e.id)));
  const covered = org.truth.expected.filter((x) => tp.some((a) => a.alert === x.alert && a.repository === x.repository));
  // An expected alert listed twice (two secrets in one log) needs two alerts.
  let matched = 0;
  const missed = [];
  const pool = [...tp];
  for (const x of org.truth.expected) {
    const i = pool.findIndex((a) => a.alert === x.alert && a.repository === x.repository);
    if (i !== -1) {
      matched++;
      pool.splice(i, 1);
    } else missed.push(`${x.alert} ${x.repository} (${x.incident})`);
  }
  const benign = events - org.stats.plantedEvents;
  const leaks = [];
  for (const format of ['json', 'text', 'sarif']) {
    const out = format === 'json' ? JSON.stringify(alerts) : replay(dir, ['--db', 'memory'], format).stdout;
    for (const m of out.matchAll(/\b(?:gh[pousr]_[A-Za-z0-9]{36}|npm_[A-Za-z0-9]{36})\b/g)) leaks.push(`${format}: ${m[0].slice(0, 8)}…`);
  }
  rows.push({ seed, precision: { alerts: alerts.length, truePositive: tp.length, falseAlerts: fp.length, benignEvents: benign, falsePer1000: ((fp.length / benign) * 1000).toFixed(2), expected: org.truth.expected.length, matched, coveredKinds: covered.length, leaks: leaks.length }, falseAlerts: fp.map((a) => `${a.alert} ${a.repository}: ${a.title}`), missed, extra: pool.map((a) => `${a.alert} ${a.repository}: ${a.title}`) });
  rmSync(dir, { recursive: true, force: true });
}

console.log(`machine: ${process.arch}, ${(await import('node:os')).cpus()[0]?.model}, ${(await import('node:os')).cpus().length} CPUs, load ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log('| seed | store | events | logs | wall (median) | CPU user+sys | peak RSS |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows.filter((x) => x.store)) console.log(`| ${r.seed} | ${r.store} | ${r.events} | ${r.logs} | ${r.wall.toFixed(2)} s | ${r.cpu.toFixed(2)} s | ${Math.round(r.rss / 1024)} MB |`);
console.log('');
console.log('| seed | alerts | true | false | benign events | false per 1,000 benign | expected alerts found | leaked secrets |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows.filter((x) => x.precision)) {
  const p = r.precision;
  console.log(`| ${r.seed} | ${p.alerts} | ${p.truePositive} | ${p.falseAlerts} | ${p.benignEvents} | ${p.falsePer1000} | ${p.matched}/${p.expected} | ${p.leaks} |`);
  for (const f of r.falseAlerts) console.log(`  false: ${f}`);
  for (const m of r.missed) console.log(`  missed: ${m}`);
  for (const m of r.extra) console.log(`  true but not in the expected list: ${m}`);
}
