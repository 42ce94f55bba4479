import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PipewardenConfig } from '../config/types.js';
import { auditRepository, type AuditResult, type PendingFile } from './pipeline.js';
import type { OnlineFacts } from '../online/facts.js';

/** The worker bundled into one file by scripts/bundle.mjs (starts faster), else tsc's output. */
const WORKER_BUNDLE = new URL('./worker.bundle.js', import.meta.url);
const WORKER_URL = existsSync(fileURLToPath(WORKER_BUNDLE)) ? WORKER_BUNDLE : new URL('./worker.js', import.meta.url);

/** Below this many files, worker start-up costs more than it saves. */
const PARALLEL_THRESHOLD = 400;

export interface WorkerInput {
  groups: PendingFile[][];
  config: PipewardenConfig;
  online: boolean;
  /** Facts prefetched for `--online` (plain JSON, cloned into each worker). */
  facts?: OnlineFacts;
}

/**
 * Audits repositories (groups of files) on all cores. Each repository is self-contained, so
 * groups are dealt to threads largest first (this one and a worker per other core); results are
 * merged and sorted by the caller.
 */
export async function auditRepositories(groups: PendingFile[][], config: PipewardenConfig, online: boolean, facts?: OnlineFacts): Promise<AuditResult> {
  const total = groups.reduce((n, g) => n + g.length, 0);
  // PIPEWARDEN_THREADS caps the worker count (1 = run inline), e.g. on shared CI runners.
  const cores = Math.min(availableParallelism(), 8, Number(process.env.PIPEWARDEN_THREADS) || Infinity);
  if (total < PARALLEL_THRESHOLD || cores < 2 || groups.length < 2) return auditInline(groups, config, online, facts);
  const buckets: PendingFile[][][] = Array.from({ length: Math.min(cores, groups.length) }, () => []);
  const load = buckets.map(() => 0);
  for (const g of [...groups].sort((a, b) => b.length - a.length)) {
    const i = load.indexOf(Math.min(...load));
    buckets[i]!.push(g);
    load[i]! += g.length;
  }
  // Plain JSON copy: config objects may carry non-cloneable bookkeeping.
  const plainConfig = JSON.parse(JSON.stringify(config)) as PipewardenConfig;
  const [own, ...rest] = buckets;
  const others = rest.map(
    (bucket) =>
      new Promise<AuditResult>((resolve, reject) => {
        const input: WorkerInput = { groups: bucket, config: plainConfig, online, ...(facts ? { facts } : {}) };
        // The young generation is capped at 16 MB: 96 MB cost ~100 MB of peak RSS on the
        // 10,000-file corpus for no CPU time measurable on a loaded machine (bench/RESULTS.md).
        const w = new Worker(WORKER_URL, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
        w.once('message', (r: AuditResult) => resolve(r));
        w.once('error', reject);
        w.once('exit', (code) => {
          if (code !== 0) reject(new Error(`audit worker exited with code ${code}`));
        });
      }),
  );
  // This thread audits the first bucket itself while the workers run the others: one thread
  // per core, and one V8 heap less than a worker per core (issue 9: peak RSS).
  const mine = auditInline(own!, config, online, facts);
  const results = [mine, ...(await Promise.all(others))];
  return { findings: results.flatMap((r) => r.findings), diagnostics: results.flatMap((r) => r.diagnostics) };
}

const WORKER_YOUNG_MB = 16;

function auditInline(groups: PendingFile[][], config: PipewardenConfig, online: boolean, facts?: OnlineFacts): AuditResult {
  const out: AuditResult = { findings: [], diagnostics: [] };
  for (const g of groups) {
    const r = auditRepository(g, config, online, process.cwd(), facts);
    out.findings.push(...r.findings);
    out.diagnostics.push(...r.diagnostics);
  }
  return out;
}
