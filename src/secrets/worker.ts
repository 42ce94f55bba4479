/** Worker thread for tree scans (tree.ts): scans the batches of files it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import type { PipewardenConfig } from '../config/types.js';
import { SecretScanner } from './scan.js';
import { scanOneFile, type FileOutcome } from './tree.js';

const { config, maxFileSize } = workerData as { config: PipewardenConfig; maxFileSize: number };
const scanner = new SecretScanner(config);

parentPort!.on('message', (files: Array<{ abs: string; rel: string; size: number }>) => {
  try {
    const outcomes: FileOutcome[] = files.map((f) => scanOneFile(scanner, f.abs, f.rel, f.size, maxFileSize));
    parentPort!.postMessage({ outcomes });
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
