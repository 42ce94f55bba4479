import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import type { RunOutcome, TargetInfo, WorkerMessage, WorkerRequest } from './worker.js';
import { SLOT } from './worker.js';

/**
 * Runs fuzz targets in worker threads. Targets are every `export default` array of
 * `targets/*.fuzz.ts`: adding a file there adds it to `npm test` (short run) and `npm run fuzz`.
 * The runner bundles the targets once (esbuild; dependencies stay in node_modules), then runs
 * each target in its own worker with a watchdog: an input that never returns is reported with
 * its index and regenerated from the seed, and the worker's heap is capped.
 */

const HERE = import.meta.dirname;
const ROOT = resolve(HERE, '../..');
const TARGET_DIR = join(HERE, 'targets');

export interface FuzzOptions {
  /** Target names (default: all). */
  only?: readonly string[];
  /** Inputs per target. */
  runs: number;
  /** Stop a target after this long (its run count is reported as reached). */
  timeLimitMs?: number;
  seed?: number;
  /** Targets run at once (each in its own worker). */
  jobs?: number;
  /** Overrides every target's per-input deadline. */
  deadlineMs?: number;
  /** Heap cap per worker. */
  memoryMb?: number;
  /** Progress lines (long runs). */
  onProgress?: (line: string) => void;
  progressEveryMs?: number;
}

export interface TargetResult {
  name: string;
  runs: number;
  seed: number;
  ms: number;
  maxInputMs: number;
  interrupted: boolean;
  /** Set when a property failed, an input hung or the worker died. */
  failure?: string;
}

/** Bundles the worker with every target file; returns the bundle's path. */
export async function bundleTargets(): Promise<string> {
  const files = readdirSync(TARGET_DIR).filter((f) => f.endsWith('.fuzz.ts')).sort();
  const imports = files.map((f, i) => `import t${i} from ${JSON.stringify(`./targets/${f}`)};`).join('\n');
  const outDir = join(ROOT, 'node_modules/.cache/pipewarden-fuzz');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `worker-${process.pid}-${Date.now()}.mjs`);
  await build({
    stdin: {
      contents: `${imports}\nimport { runWorker } from './worker.ts';\nawait runWorker([${files.map((_, i) => `...t${i}`).join(', ')}]);\n`,
      resolveDir: HERE,
      loader: 'ts',
      sourcefile: 'fuzz-entry.ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
    plugins: [
      {
        // Modules find their README.md and data files next to their source.
        name: 'source-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            const contents = (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)).replaceAll('import.meta.dirname', JSON.stringify(resolve(args.path, '..')));
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  return outfile;
}

function spawn(bundle: string, req: WorkerRequest, memoryMb: number): Worker {
  return new Worker(pathToFileURL(bundle), { workerData: req, resourceLimits: { maxOldGenerationSizeMb: memoryMb }, stdout: true, stderr: true });
}

function ask<T extends WorkerMessage['type']>(bundle: string, req: WorkerRequest, type: T, memoryMb: number): Promise<Extract<WorkerMessage, { type: T }>> {
  return new Promise((res, rej) => {
    const w = spawn(bundle, req, memoryMb);
    w.once('message', (m: WorkerMessage) => {
      if (m.type === type) res(m as Extract<WorkerMessage, { type: T }>);
      void w.terminate();
    });
    w.once('error', rej);
  });
}

export async function listTargets(bundle: string): Promise<TargetInfo[]> {
  return (await ask(bundle, { mode: 'list' }, 'list', 256)).targets;
}

async function describeInput(bundle: string, target: string, seed: number, index: number, memoryMb: number): Promise<string> {
  try {
    return (await ask(bundle, { mode: 'describe', target, seed, index }, 'input', memoryMb)).text;
  } catch (e) {
    return `(could not regenerate: ${e instanceof Error ? e.message : String(e)})`;
  }
}

async function runTarget(bundle: string, info: TargetInfo, opts: FuzzOptions, seed: number): Promise<TargetResult> {
  const memoryMb = opts.memoryMb ?? 1024;
  const deadline = opts.deadlineMs ?? info.deadlineMs;
  const shared = new SharedArrayBuffer(8 * 4);
  const state = new Float64Array(shared);
  const started = Date.now();
  const req: WorkerRequest = { mode: 'run', target: info.name, runs: opts.runs, seed, shared, ...(opts.timeLimitMs ? { timeLimitMs: opts.timeLimitMs } : {}), deadlineMs: deadline };
  const w = spawn(bundle, req, memoryMb);
  const output: string[] = [];
  w.stdout.on('data', (d: Buffer) => output.push(d.toString()));
  w.stderr.on('data', (d: Buffer) => output.push(d.toString()));
  const result = await new Promise<{ outcome?: RunOutcome; death?: string }>((res) => {
    let lastProgress = Date.now();
    const timer = setInterval(() => {
      const at = state[SLOT.startedAt]!;
      // Twice the deadline plus a second: the worker itself reports inputs that are merely slow.
      if (at > 0 && Date.now() - at > deadline * 2 + 1000) {
        clearInterval(timer);
        res({ death: `an input did not finish within ${deadline * 2 + 1000} ms (hang)` });
        void w.terminate();
        return;
      }
      if (opts.onProgress && Date.now() - lastProgress >= (opts.progressEveryMs ?? 60_000)) {
        lastProgress = Date.now();
        opts.onProgress(`${info.name}: ${state[SLOT.index]! + 1} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    }, 100);
    w.once('message', (m: WorkerMessage) => {
      if (m.type !== 'done') return;
      clearInterval(timer);
      res({ outcome: m.outcome });
    });
    w.once('error', (e: Error & { code?: string }) => {
      clearInterval(timer);
      res({ death: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory (heap capped at ${memoryMb} MB)` : `worker crashed: ${e.message}` });
    });
    w.once('exit', (code) => {
      clearInterval(timer);
      res({ death: `worker exited with code ${code} before reporting` });
    });
  });
  const ms = Date.now() - started;
  const base = { name: info.name, seed, ms, runs: result.outcome?.runs ?? state[SLOT.index]!, maxInputMs: result.outcome?.maxInputMs ?? 0, interrupted: result.outcome?.interrupted ?? false };
  if (result.outcome && !result.outcome.failed) return base;
  if (result.outcome) {
    const o = result.outcome;
    return { ...base, failure: `${o.error}\ninput #${o.failedIndex} (shrunk): ${o.counterexample}\nreplay: npm run fuzz -- ${info.name} --seed ${seed}` };
  }
  // Hang, OOM or crash: regenerate the input the worker was on (before shrinking, if it had started).
  const shrinking = state[SLOT.shrinking] === 1;
  const index = state[SLOT.index]!;
  const input = shrinking ? '(while shrinking a failing input; the failure above is from the first one)' : await describeInput(bundle, info.name, seed, index, memoryMb);
  const first = shrinking ? `first failing input #${state[SLOT.firstFailure]}` : `input #${index}`;
  return { ...base, runs: index, failure: `${result.death}\n${first}: ${input}${output.length ? `\nworker output:\n${output.join('').slice(-2000)}` : ''}\nreplay: npm run fuzz -- ${info.name} --seed ${seed}` };
}

/** Runs the targets, `jobs` at a time. */
export async function runFuzz(opts: FuzzOptions): Promise<TargetResult[]> {
  const bundle = await bundleTargets();
  try {
    const all = await listTargets(bundle);
    const unknown = (opts.only ?? []).filter((n) => !all.some((t) => t.name === n));
    if (unknown.length > 0) throw new Error(`unknown fuzz target(s): ${unknown.join(', ')} (known: ${all.map((t) => t.name).join(', ')})`);
    const chosen = opts.only && opts.only.length > 0 ? all.filter((t) => opts.only!.includes(t.name)) : all;
    const seed = opts.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
    const results: TargetResult[] = [];
    const queue = [...chosen];
    const lanes = Array.from({ length: Math.max(1, Math.min(opts.jobs ?? 1, queue.length)) }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) results.push(await runTarget(bundle, t, opts, seed));
    });
    await Promise.all(lanes);
    return chosen.map((t) => results.find((r) => r.name === t.name)!);
  } finally {
    rmSync(bundle, { force: true });
  }
}
