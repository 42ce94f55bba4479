// Findings-equality check for audit speed work: runs `audit --format json` over each input and
// compares a sorted canonical form (every finding field, every diagnostic) against a baseline
// produced earlier by another build (e.g. main's). The baseline is generated output: keep it in
// /tmp, never commit it.
// Usage:
//   node bench/audit-findings-equal.mjs --cli /tmp/mainbuild/dist/cli/main.js --write /tmp/eq/base.json INPUT...
//   node bench/audit-findings-equal.mjs --cli dist/cli/main.js --check /tmp/eq/base.json INPUT...
// INPUTs default to /tmp/auditcorpus, /tmp/auditcorpus-mixed (bench/gen-audit-corpus.mjs) and examples/.
// Runs from the repository root so display paths are the same for both builds.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const cli = resolve(opt('cli') ?? 'dist/cli/main.js');
const write = opt('write');
const check = opt('check');
if (!write === !check) {
  console.error('give exactly one of --write FILE or --check FILE');
  process.exit(2);
}
const inputs = args.length > 0 ? args : ['/tmp/auditcorpus', '/tmp/auditcorpus-mixed', 'examples'];
const root = resolve(import.meta.dirname, '..');

/** Stable key order, so two equal findings serialise to the same text. */
function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

const result = {};
for (const input of inputs) {
  const r = spawnSync(process.execPath, [cli, 'audit', input, '--format', 'json', '--no-exit-code'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) {
    console.error(`${input}: exit ${r.status}\n${r.stderr}`);
    process.exit(3);
  }
  const report = JSON.parse(r.stdout);
  const lines = (xs) => xs.map((x) => JSON.stringify(canonical(x))).sort();
  // stderr diagnostics are not in the JSON report: compare them too, minus timing-dependent text.
  result[input] = { findings: lines(report.findings), diagnostics: lines(report.diagnostics ?? []), stderr: r.stderr.split('\n').filter(Boolean).sort() };
  console.error(`${input}: ${report.findings.length} findings`);
}

if (write) {
  writeFileSync(write, JSON.stringify(result));
  console.log(`baseline written to ${write}`);
} else {
  const base = JSON.parse(readFileSync(check, 'utf8'));
  let bad = 0;
  for (const input of inputs) {
    for (const part of ['findings', 'diagnostics', 'stderr']) {
      const a = base[input]?.[part] ?? [];
      const b = result[input][part];
      const onlyA = a.filter((x) => !b.includes(x));
      const onlyB = b.filter((x) => !a.includes(x));
      if (a.length !== b.length || onlyA.length > 0 || onlyB.length > 0 || a.some((x, i) => x !== b[i])) {
        bad++;
        console.log(`${input} ${part}: baseline ${a.length}, now ${b.length}; ${onlyA.length} only in baseline, ${onlyB.length} only now`);
        for (const x of onlyA.slice(0, 3)) console.log(`  - ${x.slice(0, 400)}`);
        for (const x of onlyB.slice(0, 3)) console.log(`  + ${x.slice(0, 400)}`);
      } else console.log(`${input} ${part}: identical (${a.length})`);
    }
  }
  process.exit(bad === 0 ? 0 : 1);
}
