// Audit benchmark: the whole corpus in one run (wall time including start-up, files/s, peak RSS)
// and one small workflow (the pre-commit case), median of several runs.
// Usage: npm run build && node bench/gen-audit-corpus.mjs && node bench/audit-bench.mjs
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const corpus = process.argv[2] ?? 'bench/corpus/audit';
const cli = 'dist/cli/main.js';
if (!existsSync(corpus)) {
  console.error(`no corpus at ${corpus}; run: node bench/gen-audit-corpus.mjs`);
  process.exit(2);
}

function countFiles(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += countFiles(p);
    else if (statSync(p).size > 0) n++;
  }
  return n;
}

/** Runs a command under GNU time for wall time and peak RSS. */
function timed(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = r.stderr.trim().split('\n').pop();
  const [wall, rssKb] = last.split(' ').map(Number);
  return { wall, rssMb: rssKb / 1024, code: r.status, out: r.stdout };
}

const files = countFiles(corpus);
const runs = [];
for (let i = 0; i < 3; i++) runs.push(timed(['audit', corpus, '--format', 'json', '--quiet', '--no-exit-code']));
runs.sort((a, b) => a.wall - b.wall);
const med = runs[1];
const findings = JSON.parse(med.out).findings.length;

const small = join(corpus, 'repo0/.github/workflows/w0.yml');
const smallRuns = [];
for (let i = 0; i < 7; i++) smallRuns.push(timed(['audit', small, '--quiet', '--no-exit-code']));
smallRuns.sort((a, b) => a.wall - b.wall);

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log(`date: ${new Date().toISOString().slice(0, 10)}`);
console.log('');
console.log('| case | files | findings | wall (median) | files/s | peak RSS |');
console.log('|---|---|---|---|---|---|');
console.log(`| whole corpus | ${files} | ${findings} | ${med.wall.toFixed(2)} s | ${Math.round(files / med.wall)} | ${med.rssMb.toFixed(0)} MB |`);
console.log(`| one small workflow | 1 | - | ${(smallRuns[3].wall * 1000).toFixed(0)} ms | - | ${smallRuns[3].rssMb.toFixed(0)} MB |`);
