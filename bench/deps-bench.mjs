// deps benchmark: import the corpus' OSV folder once, then time offline scans of the monorepo
// (wall time including start-up, peak RSS; median of runs). Target: 50 lockfiles / 20,000
// packages in under 2 s after import.
// Usage: npm run build && node bench/gen-deps-corpus.mjs && node bench/deps-bench.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const corpus = process.argv[2] ?? 'bench/corpus/deps';
const runs = Number(process.argv[3] ?? 5);
const cli = 'dist/cli/main.js';
const data = mkdtempSync(join(tmpdir(), 'pw-deps-bench-'));

function timed(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const [wall, user, sys, rssKb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: user + sys, rssMb: Math.round(rssKb / 1024), status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const imp = timed(['deps', 'db', 'import', join(corpus, 'osv'), '--data', data]);
console.log(`import: ${imp.wall.toFixed(2)} s, ${imp.rssMb} MB peak; ${imp.stdout.trim()}`);
// On a shared machine wall time mostly measures the neighbours: CPU time (user + sys) is reported beside it.
const walls = [];
const cpu = [];
let last;
for (let i = 0; i < runs; i++) {
  last = timed(['deps', join(corpus, 'repo'), '--data', data, '--format', 'json', '--fail-on', 'never', '--quiet']);
  if (last.status !== 0) throw new Error(`scan failed: ${last.stderr}`);
  walls.push(last.wall);
  cpu.push(last.cpu);
}
const report = JSON.parse(last.stdout);
walls.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const mid = (xs) => xs[Math.floor(xs.length / 2)];
const packages = report.findings.length;
console.log(`scan: wall median ${mid(walls).toFixed(2)} s (min ${walls[0].toFixed(2)}), CPU median ${mid(cpu).toFixed(2)} s (min ${cpu[0].toFixed(2)}) of ${runs} runs, ${last.rssMb} MB peak, ${packages} findings; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`machine: ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
rmSync(data, { recursive: true, force: true });
