#!/usr/bin/env node
// Findings-equality check for the secrets scanner: runs two builds of the CLI on the same inputs
// and compares their findings field by field (rule, file, position, fingerprint, severity,
// confidence, message, properties). Used to prove a performance change changed nothing else.
//   node bench/secrets-equality.mjs --before OLD/dist/cli/main.js [--after dist/cli/main.js]
//        [--corpus bench/corpus] [--tree DIR] [--git DIR] [--extra DIR ...]
// Inputs: the corpus tree and history (bench/gen-secrets-corpus.mjs), plus any --extra
// directories (scanned as trees). Exits 1 and prints the first differences when they differ.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const extras = argv.flatMap((a, i) => (a === '--extra' ? [argv[i + 1]] : []));
const BEFORE = opt('before');
const AFTER = resolve(opt('after', 'dist/cli/main.js'));
const CORPUS = resolve(opt('corpus', 'bench/corpus'));
const TREE = opt('tree', join(CORPUS, 'secrets-tree'));
const GIT = opt('git', join(CORPUS, 'secrets-git'));
if (!BEFORE || !existsSync(BEFORE) || !existsSync(AFTER)) {
  process.stderr.write('usage: node bench/secrets-equality.mjs --before OLD/dist/cli/main.js [--after dist/cli/main.js] [--corpus DIR] [--extra DIR ...]\n');
  process.exit(2);
}

function run(cli, args) {
  const r = spawnSync('nice', [process.execPath, cli, 'secrets', ...args, '--format', 'json', '-q', '--no-exit-code'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cli} ${args.join(' ')}: exit ${r.status}: ${r.stderr.slice(-500)}`);
  const report = JSON.parse(r.stdout);
  return report.findings.map((f) =>
    JSON.stringify([f.ruleId, f.location.file, f.location.startLine, f.location.startColumn, f.location.endLine, f.location.endColumn, f.fingerprint, f.severity, f.confidence, f.message, f.properties ?? {}]),
  );
}

const cases = [];
if (existsSync(TREE)) cases.push(['tree', [TREE]]);
if (existsSync(GIT)) cases.push(['history', [GIT, '--git']]);
for (const dir of extras) cases.push([`tree ${dir}`, [resolve(dir)]]);
let failed = false;
for (const [name, args] of cases) {
  const before = run(resolve(BEFORE), args);
  const after = run(AFTER, args);
  const a = new Set(before);
  const b = new Set(after);
  const gone = before.filter((x) => !b.has(x));
  const added = after.filter((x) => !a.has(x));
  const same = gone.length === 0 && added.length === 0 && before.length === after.length;
  process.stdout.write(`${same ? 'same' : 'DIFFERENT'}  ${name}: ${before.length} findings before, ${after.length} after\n`);
  if (!same) {
    failed = true;
    for (const x of gone.slice(0, 10)) process.stdout.write(`  - ${x}\n`);
    for (const x of added.slice(0, 10)) process.stdout.write(`  + ${x}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
