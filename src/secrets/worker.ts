/** Worker thread of the scan pool (pool.ts): scans the batches of jobs it is sent, under the time budget. */
import { parentPort, workerData } from 'node:worker_threads';
import type { PipewardenConfig } from '../config/types.js';
import { Deadline } from './budget.js';
import { runJob, SharedStage, type JobOutcome, type ScanJob } from './pool.js';
import { SecretScanner } from './scan.js';

const { config, maxFileSize, budgetMs, shared, epoch } = workerData as {
  config: PipewardenConfig;
  maxFileSize: number;
  budgetMs: number;
  shared: SharedArrayBuffer;
  epoch: number;
};
const scanner = new SecretScanner(config);
const slot = new SharedStage(shared);

parentPort!.on('message', (jobs: ScanJob[]) => {
  const outcomes: JobOutcome[] = [];
  jobs.forEach((job, i) => {
    slot.startJob(i, epoch);
    outcomes.push(runJob(scanner, job, maxFileSize, Deadline.after(budgetMs, slot)));
  });
  slot.idle();
  parentPort!.postMessage({ outcomes });
});
