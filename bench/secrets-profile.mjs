#!/usr/bin/env node
// Where the secrets engine spends its CPU: scans files in this thread (no workers, no pool) under
// V8's sampling profiler and sums the samples by part of the engine. Needs `npm run build`.
//   node bench/secrets-profile.mjs [DIR] [--mb 40] [--build DIR] [--repeat 3] [--top N]
// --build points at another checkout's build (its dist/), to profile a "before" version with the
// same script. Files are read (and decoded) before the clock starts: this is the engine's profile.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const positional = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const ROOT = resolve(positional[0] ?? 'bench/corpus/secrets-tree');
const LIMIT = Number(opt('mb', 40)) * 1e6;
const REPEAT = Number(opt('repeat', 3));
const BUILD = resolve(opt('build', resolve(import.meta.dirname, '..')));

const { SecretScanner } = await import(join(BUILD, 'dist/secrets/scan.js'));
const { DEFAULT_CONFIG } = await import(join(BUILD, 'dist/config/types.js'));

const files = [];
let bytes = 0;
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (bytes >= LIMIT) return;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git') walk(p);
    } else if (e.isFile() && statSync(p).size <= 10 << 20) {
      const data = readFileSync(p);
      if (data.subarray(0, 8192).includes(0)) continue;
      files.push([relative(ROOT, p), data.toString('latin1')]);
      bytes += data.length;
    }
  }
};
walk(ROOT);

const scanner = new SecretScanner(DEFAULT_CONFIG);
const pass = () => {
  let n = 0;
  for (const [rel, text] of files) n += scanner.scan(text, rel).length;
  return n;
};
pass(); // warm up: compile regexes, optimise the hot loops

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const cpu0 = process.cpuUsage();
let findings = 0;
for (let r = 0; r < REPEAT; r++) findings = pass();
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post('Profiler.stop');
session.disconnect();

// Each sample is charged to the first engine function on its stack, grouped by part.
const PARTS = [
  ['keyword prefilter (Aho-Corasick pass, windows, base64 runs)', /prefilter\.js$/],
  ['keyword regex in detectSecrets (activeDetectors)', /^activeDetectors$/],
  ['detector regexes and validators', /detect\.js$|detectors\/|validators\/|budget\.js$|entropy\.js$/],
  ['container readers', /containers\.js$|tfstate\.js$|heuristics\.js$/],
  ['decoders (base64, hex, percent, JSON escapes)', /decode\.js$/],
  ['engine glue (windows, nesting, dedupe)', /engine\.js$/],
  ['findings (positions, messages, fingerprints)', /scan\.js$|positions\.js$|mask\.js$|fingerprint\.js$/],
];
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const partOf = new Map();
const classify = (id) => {
  if (partOf.has(id)) return partOf.get(id);
  const n = byId.get(id);
  const { functionName: fn, url } = n.callFrame;
  let part;
  if (fn === '(garbage collector)') part = 'garbage collection';
  else if (fn === '(idle)' || fn === '(program)' || fn === '(root)') part = 'other';
  else {
    for (const [name, re] of PARTS) if (re.test(fn) || re.test(url)) part ??= name;
    if (part === undefined) part = parent.has(id) ? classify(parent.get(id)) : 'other';
  }
  partOf.set(id, part);
  return part;
};
const counts = new Map();
for (const id of profile.samples) counts.set(classify(id), (counts.get(classify(id)) ?? 0) + 1);
const total = profile.samples.length;
const seconds = (cpu.user + cpu.system) / 1e6;

const out = [];
out.push(`secrets engine profile: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB x ${REPEAT} in one thread, ${seconds.toFixed(2)} s CPU = ${((bytes * REPEAT) / 1e6 / seconds).toFixed(1)} MB/s per core, ${findings} findings per pass`);
out.push(`build ${BUILD}; ${cpus().length} x ${cpus()[0]?.model?.trim()}, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join('/')}, ${new Date().toISOString().slice(0, 10)}`);
out.push('');
out.push('| part | share of CPU |');
out.push('|---|---:|');
for (const [part, n] of [...counts].sort((a, b) => b[1] - a[1])) out.push(`| ${part} | ${((100 * n) / total).toFixed(1)}% |`);
const TOP = Number(opt('top', 0));
if (TOP > 0) {
  // Self time per function (where the samples land), for finding what to optimise.
  const self = new Map();
  for (const id of profile.samples) {
    const { functionName: fn, url, lineNumber } = byId.get(id).callFrame;
    const key = `${fn || '(anonymous)'} ${url.replace(/^.*\/dist\//, '')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  out.push('');
  out.push('| function (self time) | share |');
  out.push('|---|---:|');
  for (const [k, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) out.push(`| ${k} | ${((100 * n) / total).toFixed(1)}% |`);
}
process.stdout.write(out.join('\n') + '\n');
