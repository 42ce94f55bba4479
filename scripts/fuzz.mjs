// `npm run fuzz`: the long fuzz run over every target in test/fuzz/targets (see test/fuzz/README.md).
//   npm run fuzz -- [TARGET...] [--runs N] [--time-limit SECONDS] [--seed N] [--jobs N] [--deadline MS] [--list]
// Prints one line per target (inputs run, time, slowest input) and every failure with its input
// and a replay command; exits 1 when any target failed. Run it with `nice` on a shared machine.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const list = args.includes('--list');
if (list) args.splice(args.indexOf('--list'), 1);
const runs = Number(flag('--runs', '1000000'));
const timeLimit = flag('--time-limit', undefined);
const seed = flag('--seed', undefined);
const jobs = Number(flag('--jobs', '1'));
const deadline = flag('--deadline', undefined);
const bad = args.find((a) => a.startsWith('-'));
if (bad || !Number.isFinite(runs) || runs < 1) {
  process.stderr.write(`usage: npm run fuzz -- [TARGET...] [--runs N] [--time-limit SECONDS] [--seed N] [--jobs N] [--deadline MS] [--list]\n`);
  process.exit(2);
}

// The runner is TypeScript: bundle it (its own import.meta.dirname kept pointing at test/fuzz).
const outDir = join(root, 'node_modules/.cache/pipewarden-fuzz');
mkdirSync(outDir, { recursive: true });
const runnerFile = join(outDir, `runner-${process.pid}.mjs`);
await build({
  entryPoints: [join(root, 'test/fuzz/runner.ts')],
  outfile: runnerFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  plugins: [
    {
      name: 'source-dirname',
      setup(b) {
        b.onLoad({ filter: /\.ts$/ }, async (a) => ({
          contents: (await readFile(a.path, 'utf8')).replaceAll('import.meta.dirname', JSON.stringify(resolve(a.path, '..'))),
          loader: 'ts',
        }));
      },
    },
  ],
});
const { runFuzz, bundleTargets, listTargets } = await import(pathToFileURL(runnerFile).href);
await rm(runnerFile, { force: true });

if (list) {
  const bundle = await bundleTargets();
  for (const t of await listTargets(bundle)) console.log(`${t.name.padEnd(24)} ${t.about} (deadline ${t.deadlineMs} ms per input)`);
  await rm(bundle, { force: true });
  process.exit(0);
}

const started = new Date();
console.log(`fuzz: ${args.length ? args.join(', ') : 'all targets'}, ${runs} inputs per target${timeLimit ? `, at most ${timeLimit} s each` : ''}, node ${process.version}, ${started.toISOString()}`);
const results = await runFuzz({
  only: args,
  runs,
  jobs,
  ...(timeLimit ? { timeLimitMs: Number(timeLimit) * 1000 } : {}),
  ...(seed ? { seed: Number(seed) } : {}),
  ...(deadline ? { deadlineMs: Number(deadline) } : {}),
  onProgress: (line) => process.stderr.write(`  ${line}\n`),
});
let failed = 0;
for (const r of results) {
  const rate = r.runs / Math.max(r.ms / 1000, 0.001);
  console.log(`${r.failure ? 'FAIL' : 'ok  '} ${r.name.padEnd(24)} ${String(r.runs).padStart(9)} inputs  ${(r.ms / 1000).toFixed(0).padStart(6)} s  ${rate.toFixed(0).padStart(7)}/s  slowest ${r.maxInputMs.toFixed(1)} ms${r.interrupted ? '  (time limit reached)' : ''}  seed ${r.seed}`);
  if (r.failure) {
    failed++;
    console.log(r.failure.split('\n').map((l) => `    ${l}`).join('\n'));
  }
}
process.exitCode = failed > 0 ? 1 : 0;
