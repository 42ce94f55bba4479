// SAST benchmark: `pipewarden sast` on the generated application (wall time, CPU, peak RSS, and
// recall/precision against the `// expect:` / `// safe:` marks on sink lines), median of 3 runs,
// with eslint-plugin-security (the common npm peer; pattern rules, no data flow) on the same tree.
// Usage: npm run build && node bench/gen-sast-corpus.mjs && nice node bench/sast-bench.mjs [corpus]
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensurePeer } from './peers.mjs';

const corpus = resolve(process.argv[2] ?? 'bench/corpus/sast');
const cli = resolve('dist/cli/main.js');
if (!existsSync(corpus)) {
  console.error(`no corpus at ${corpus}; run: node bench/gen-sast-corpus.mjs`);
  process.exit(2);
}

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.ts$/.test(e.name)) yield p;
  }
}

/** `file:line` → { rule, vulnerable } from the marks the generator put on sink lines. */
function marks() {
  const out = new Map();
  let lines = 0;
  for (const file of walk(corpus)) {
    const text = readFileSync(file, 'utf8').split('\n');
    lines += text.length;
    text.forEach((l, i) => {
      const m = /\/\/ (expect|safe): ([\w-]+)$/.exec(l);
      if (m) out.set(`${file.slice(corpus.length + 1)}:${i + 1}`, { rule: m[2], vulnerable: m[1] === 'expect' });
    });
  }
  return { marks: out, lines };
}

function timed(cmd, args, cwd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const [wall, user, rssKb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, user, rss: rssKb / 1024, stdout: r.stdout, status: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { marks: expected, lines } = marks();
const runs = [];
let report;
for (let i = 0; i < 3; i++) {
  const r = timed(process.execPath, [cli, 'sast', '.', '--format', 'json', '--no-exit-code', '--quiet'], corpus);
  runs.push(r);
  report = JSON.parse(r.stdout);
}
const found = new Set(report.findings.map((f) => `${f.location.file}:${f.location.startLine}|${f.ruleId}`));
let tp = 0;
let fn = 0;
for (const [at, m] of expected) {
  if (!m.vulnerable) continue;
  if (found.has(`${at}|${m.rule}`)) tp++;
  else fn++;
}
const fp = report.findings.filter((f) => {
  const m = expected.get(`${f.location.file}:${f.location.startLine}`);
  return !m || !m.vulnerable || m.rule !== f.ruleId;
});
const vulnerable = [...expected.values()].filter((m) => m.vulnerable).length;

const rows = [
  `SAST benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)}`,
  `Corpus: ${lines} lines of TypeScript, ${vulnerable} planted vulnerabilities, ${expected.size - vulnerable} safe variants of the same sinks`,
  '',
  '| tool | wall (median of 3) | CPU user | peak RSS | findings | planted found | false positives |',
  '|---|---:|---:|---:|---:|---:|---:|',
  `| pipewarden sast | ${median(runs.map((r) => r.wall)).toFixed(1)} s | ${median(runs.map((r) => r.user)).toFixed(1)} s | ${median(runs.map((r) => r.rss)).toFixed(0)} MB | ${report.findings.length} | ${tp}/${vulnerable} | ${fp.length} |`,
];

// eslint-plugin-security: pattern rules on each file, no data flow. Counted like ours: a report on a
// marked vulnerable line is a hit, anything else a false positive.
const eslint = ensurePeer('eslint-security', ['eslint@9', 'eslint-plugin-security@3', 'typescript-eslint@8'], 'eslint');
if (eslint) {
  const cfg = join(corpus, '..', 'eslint-security.config.mjs');
  writeFileSync(cfg, `import security from '${resolve('bench/.peers/eslint-security/node_modules/eslint-plugin-security/index.js')}';\nimport tseslint from '${resolve('bench/.peers/eslint-security/node_modules/typescript-eslint/dist/index.js')}';\nexport default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { security }, rules: security.configs.recommended.rules }];\n`);
  const r = [0, 1, 2].map(() => timed(eslint, ['--no-config-lookup', '-c', cfg, '-f', 'json', 'src'], corpus));
  const results = JSON.parse(r[0].stdout);
  let noise = 0;
  const hitLines = new Set();
  for (const file of results) {
    for (const m of file.messages) {
      const at = `${file.filePath.slice(corpus.length + 1)}:${m.line}`;
      const mark = expected.get(at);
      if (mark?.vulnerable) hitLines.add(at);
      else noise++;
    }
  }
  const hits = hitLines.size;
  const total = results.reduce((n, f) => n + f.messages.length, 0);
  rows.push(`| eslint-plugin-security 3 (recommended) | ${median(r.map((x) => x.wall)).toFixed(1)} s | ${median(r.map((x) => x.user)).toFixed(1)} s | ${median(r.map((x) => x.rss)).toFixed(0)} MB | ${total} | ${hits}/${vulnerable} | ${noise} |`);
}
console.log(rows.join('\n'));
if (fn || fp.length) {
  console.log('\nmissed:', [...expected].filter(([at, m]) => m.vulnerable && !found.has(`${at}|${m.rule}`)).slice(0, 10).map(([at, m]) => `${at} ${m.rule}`).join(', '));
  console.log('false positives:', fp.slice(0, 10).map((f) => `${f.location.file}:${f.location.startLine} ${f.ruleId}`).join(', '));
}
