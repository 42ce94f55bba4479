#!/usr/bin/env node
// Secrets scanner benchmark. Needs `npm run build` and `node bench/gen-secrets-corpus.mjs` first.
//   node bench/secrets-bench.mjs [--corpus bench/corpus] [--subset-mb 100] [--no-secretlint]
//   node bench/secrets-bench.mjs --real node_modules      (a real tree, both tools on all of it)
// Runs `pipewarden secrets` on the tree and on the history, measures wall time, throughput and
// peak RSS (GNU time when present), checks recall of the planted secrets, and compares with
// secretlint on a subset of the tree. Prints a Markdown snippet for bench/RESULTS.md to stdout.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, mkdirSync, rmSync, cpSync, linkSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensurePeer } from './peers.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']] : [])),
);
const CORPUS = resolve(args.corpus ?? 'bench/corpus');
const TREE = join(CORPUS, 'secrets-tree');
const GIT = join(CORPUS, 'secrets-git');
const MAIN = resolve('dist/cli/main.js');
const SUBSET_MB = Number(args['subset-mb'] ?? 100);
const log = (s) => process.stderr.write(`${s}\n`);

if (!existsSync(MAIN)) fail('dist/cli/main.js is missing: run `npm run build` first');
if (!args.real && (!existsSync(TREE) || !existsSync(GIT))) fail(`corpus missing under ${CORPUS}: run \`node bench/gen-secrets-corpus.mjs\` first`);

function fail(msg) {
  process.stderr.write(`secrets-bench: ${msg}\n`);
  process.exit(2);
}

const GNU_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;

/** Runs a command, returns wall seconds, peak RSS (MB) and stdout. */
function measure(cmd, argv, opts = {}) {
  const started = process.hrtime.bigint();
  let r;
  let rssMb;
  let cpu;
  if (GNU_TIME) {
    r = spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { maxBuffer: 1 << 30, encoding: 'utf8', ...opts });
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    rssMb = m ? Number(m[1]) / 1024 : undefined;
    const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
    const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
    cpu = user && sys ? Number(user[1]) + Number(sys[1]) : undefined;
  } else {
    // Fallback: a wrapper node process that reports its child's peak RSS via resourceUsage.
    const wrapper = `const r=require('child_process').spawnSync(process.argv[1],process.argv.slice(2),{stdio:['ignore','inherit','inherit'],maxBuffer:1<<30});process.stderr.write('\\nPEAK_RSS_KB='+process.resourceUsage().maxRSS+'\\n');process.exitCode=r.status;`;
    r = spawnSync(process.execPath, ['-e', wrapper, cmd, ...argv], { maxBuffer: 1 << 30, encoding: 'utf8', ...opts });
    const m = /PEAK_RSS_KB=(\d+)/.exec(r.stderr);
    rssMb = m ? Number(m[1]) / 1024 : undefined;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, cpu, rssMb, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function treeBytes(dir) {
  let total = 0;
  let files = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        total += statSync(p).size;
        files++;
      }
    }
  };
  walk(dir);
  return { total, files };
}

function countBytes(cmd, argv, cwd) {
  // Streamed through a pipe and counted, like `| wc -c`, without holding the text.
  const r = spawnSync('sh', ['-c', `${[cmd, ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')} | wc -c`], { cwd, encoding: 'utf8', maxBuffer: 1 << 20 });
  return Number(r.stdout.trim());
}

function recall(report, plantedFile, isGit) {
  const planted = JSON.parse(readFileSync(plantedFile, 'utf8'));
  const files = new Set(report.findings.map((f) => f.location.file));
  const hit = planted.filter((p) => files.has(p.file));
  const missed = planted.filter((p) => !files.has(p.file)).map((p) => p.kind);
  return { planted: planted.length, found: hit.length, missed, isGit };
}

const mbps = (bytes, s) => (bytes / 1e6 / s).toFixed(1);
const rows = [];
const notes = [];
if (args.real) {
  realTree(resolve(args.real));
  process.exit(0);
}

/**
 * Both tools on every file of a real tree (node_modules, a cloned repository). Each tool's own
 * skip lists would make them read different files: node_modules folders (both), nested
 * .gitignore files (secretlint), lock files and minified bundles (pipewarden). So the tree is
 * copied with hard links (no bytes copied) into a scratch folder with nested `node_modules`
 * renamed and `.gitignore` files left out, and pipewarden runs with `--no-ignore`: both read the
 * same files, and MB/s is over the same byte count.
 */
function realTree(src) {
  const bin = ensurePeer('secretlint', ['secretlint@13', '@secretlint/secretlint-rule-preset-recommend@13'], 'secretlint');
  if (!bin) fail('secretlint could not be installed into bench/.peers');
  const scratch = '/tmp/pw-secrets-bench-real';
  const dest = join(scratch, 'tree');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  let total = 0;
  let files = 0;
  const copy = (from, to) => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const name = e.name === 'node_modules' ? 'nm' : e.name;
      if (e.isDirectory()) copy(join(from, e.name), join(to, name));
      else if (e.isFile() && e.name !== '.gitignore') {
        linkSync(join(from, e.name), join(to, name));
        total += statSync(join(to, name)).size;
        files++;
      }
    }
  };
  copy(src, dest);
  log(`real tree ${src}: ${files} files, ${(total / 1e6).toFixed(0)} MB`);
  execFileSync('sh', ['-c', `find '${dest}' -type f -exec cat {} + > /dev/null`]); // same warm page cache for both
  const rc = join(scratch, '.secretlintrc.json');
  execFileSync('sh', ['-c', `printf '%s' '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' > '${rc}'`]);
  const pw = measure(process.execPath, [MAIN, 'secrets', dest, '--no-ignore', '--format', 'json', '-q', '--no-exit-code']);
  if (pw.status !== 0) fail(`pipewarden failed: ${pw.stderr.slice(-2000)}`);
  const sl = measure(bin, ['--secretlintrc', rc, '--format', 'json', 'tree/**/*'], { cwd: scratch });
  let slFindings = '?';
  try {
    slFindings = JSON.parse(sl.stdout).reduce((n, f) => n + f.messages.length, 0);
  } catch {
    // secretlint prints nothing parseable when it crashes; keep '?'
  }
  const input = `${src.split('/').pop()}: ${(total / 1e6).toFixed(0)} MB, ${files} files`;
  rows.push(['pipewarden secrets --no-ignore', input, pw.seconds, mbps(total, pw.seconds), pw.rssMb, pw.cpu, `${JSON.parse(pw.stdout).findings.length} findings`]);
  rows.push(['secretlint 13 (preset-recommend)', input, sl.seconds, mbps(total, sl.seconds), sl.rssMb, sl.cpu, `${slFindings} findings, exit ${sl.status}`]);
  notes.push(`pipewarden is ${(sl.seconds / pw.seconds).toFixed(1)}x faster than secretlint in wall time, ${(sl.cpu / pw.cpu).toFixed(1)}x in CPU time, on the same files in the same run.`);
  report('Target (issue 9): 10x secretlint in the same run (about 150 MB/s on 2 cores).');
  rmSync(scratch, { recursive: true, force: true });
}

// ---- tree ----
const { total: treeTotal, files: treeFiles } = treeBytes(TREE);
log(`tree: ${treeFiles} files, ${(treeTotal / 1e6).toFixed(0)} MB`);
execFileSync('sh', ['-c', `cat $(find '${TREE}' -type f | head -2000) > /dev/null`]); // warm the page cache a little
const tree = measure(process.execPath, [MAIN, 'secrets', TREE, '--format', 'json', '-q', '--no-exit-code']);
if (tree.status !== 0) fail(`tree scan failed: ${tree.stderr.slice(-2000)}`);
const treeReport = JSON.parse(tree.stdout);
const treeRecall = recall(treeReport, join(CORPUS, 'secrets-tree.planted.json'));
rows.push(['pipewarden secrets (tree)', `${(treeTotal / 1e6).toFixed(0)} MB, ${treeFiles} files`, tree.seconds, mbps(treeTotal, tree.seconds), tree.rssMb, tree.cpu, `${treeReport.findings.length} findings; planted ${treeRecall.found}/${treeRecall.planted}`]);

// ---- history ----
const patchBytes = countBytes('git', ['log', '--all', '-p'], GIT);
const commits = Number(execFileSync('git', ['rev-list', '--all', '--count'], { cwd: GIT, encoding: 'utf8' }).trim());
log(`git: ${commits} commits, ${(patchBytes / 1e6).toFixed(0)} MB of patch text (git log --all -p)`);
const hist = measure(process.execPath, [MAIN, 'secrets', GIT, '--git', '--format', 'json', '-q', '--no-exit-code']);
if (hist.status !== 0) fail(`history scan failed: ${hist.stderr.slice(-2000)}`);
const histReport = JSON.parse(hist.stdout);
const histRecall = recall(histReport, join(CORPUS, 'secrets-git.planted.json'), true);
rows.push(['pipewarden secrets --git', `${commits} commits, ${(patchBytes / 1e6).toFixed(0)} MB patch`, hist.seconds, mbps(patchBytes, hist.seconds), hist.rssMb, hist.cpu, `${histReport.findings.length} findings; planted ${histRecall.found}/${histRecall.planted}`]);
// The floor: how long git itself takes to produce the patches we read.
const gitOnly = measure('git', ['log', '--all', '-p', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--format=%x1e%H'], { cwd: GIT, stdio: ['ignore', 'ignore', 'pipe'] });
notes.push(`\`git log --all -p -U0\` alone (the floor for --git): ${gitOnly.seconds.toFixed(1)} s.`);

// ---- secretlint on a subset ----
if (args['no-secretlint'] !== 'true') {
  const bin = ensurePeer('secretlint', ['secretlint@13', '@secretlint/secretlint-rule-preset-recommend@13'], 'secretlint');
  if (!bin) {
    notes.push('secretlint could not be installed into bench/.peers: comparison skipped.');
  } else {
    const subset = join(CORPUS, `secrets-tree-subset-${SUBSET_MB}mb`);
    rmSync(subset, { recursive: true, force: true });
    mkdirSync(subset, { recursive: true });
    let copied = 0;
    const dirs = readdirSync(TREE, { withFileTypes: true });
    outer: for (const top of dirs) {
      const stack = [join(TREE, top.name)];
      while (stack.length) {
        const d = stack.pop();
        const st = statSync(d);
        if (st.isFile()) {
          const rel = d.slice(TREE.length + 1);
          mkdirSync(dirname(join(subset, rel)), { recursive: true });
          cpSync(d, join(subset, rel));
          copied += st.size;
          if (copied >= SUBSET_MB * 1e6) break outer;
        } else for (const e of readdirSync(d)) stack.push(join(d, e));
      }
    }
    const rc = join(CORPUS, '.secretlintrc.json');
    execFileSync('sh', ['-c', `printf '%s' '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' > '${rc}'`]);
    const pw = measure(process.execPath, [MAIN, 'secrets', subset, '--format', 'json', '-q', '--no-exit-code']);
    const sl = measure(bin, ['--secretlintrc', rc, '--format', 'json', `${subset}/**/*`], { cwd: CORPUS });
    let slFindings = '?';
    try {
      slFindings = JSON.parse(sl.stdout).reduce((n, f) => n + f.messages.length, 0);
    } catch {
      // secretlint prints nothing parseable when it crashes; keep '?'
    }
    rows.push([`pipewarden secrets (subset)`, `${(copied / 1e6).toFixed(0)} MB`, pw.seconds, mbps(copied, pw.seconds), pw.rssMb, pw.cpu, `${JSON.parse(pw.stdout).findings.length} findings`]);
    rows.push([`secretlint (preset-recommend, same subset)`, `${(copied / 1e6).toFixed(0)} MB`, sl.seconds, mbps(copied, sl.seconds), sl.rssMb, sl.cpu, `${slFindings} findings, exit ${sl.status}`]);
    notes.push(`secretlint runs on a ${SUBSET_MB} MB subset (it is single-threaded and much slower than the full 1 GB budget allows); ratio on that subset: pipewarden is ${(sl.seconds / pw.seconds).toFixed(1)}x faster.`);
    rmSync(subset, { recursive: true, force: true });
  }
}

if (treeRecall.missed.length) notes.push(`Missed planted secrets (tree): ${treeRecall.missed.join(', ')}`);
if (histRecall.missed.length) notes.push(`Missed planted secrets (history): ${histRecall.missed.join(', ')}`);

// ---- report ----
report('Targets: tree ≥ 100 MB/s, history ≥ 30 MB/s (patch bytes of `git log --all -p`), memory < 1 GB.');

function report(targets) {
  const cpu = cpus();
  const out = [];
  out.push(`### secrets scanner (${new Date().toISOString().slice(0, 10)})`);
  out.push('');
  out.push(`Machine: ${cpu.length} × ${cpu[0]?.model?.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}. Peak RSS from ${GNU_TIME ? '`/usr/bin/time -v`' : 'process.resourceUsage of a wrapper'}.`);
  out.push('');
  out.push('| run | input | wall (s) | MB/s | CPU (s) | peak RSS (MB) | result |');
  out.push('|---|---|---:|---:|---:|---:|---|');
  for (const [name, input, s, rate, rss, cpu, result] of rows) {
    out.push(`| ${name} | ${input} | ${s.toFixed(1)} | ${rate} | ${cpu === undefined ? '?' : cpu.toFixed(1)} | ${rss === undefined ? '?' : rss.toFixed(0)} | ${result} |`);
  }
  out.push('');
  out.push(targets);
  out.push(`Load average when the run ended: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min); wall times are only comparable on an otherwise idle machine, CPU seconds (user + system, all threads and child processes) much less sensitive to it.`);
  for (const n of notes) out.push(`- ${n}`);
  process.stdout.write(out.join('\n') + '\n');
}
