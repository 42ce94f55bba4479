import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { FuzzTarget } from './harness.js';

/**
 * The worker side of the runner: runs one target (or lists the targets, or regenerates one
 * input for a report). Bundled by runner.ts together with every targets/*.fuzz.ts file.
 */
export type WorkerRequest =
  | { mode: 'list' }
  | { mode: 'run'; target: string; runs: number; seed: number; timeLimitMs?: number; deadlineMs?: number; shared: SharedArrayBuffer }
  | { mode: 'describe'; target: string; seed: number; index: number };

export interface TargetInfo {
  name: string;
  about: string;
  deadlineMs: number;
}

export interface RunOutcome {
  runs: number;
  failed: boolean;
  interrupted: boolean;
  counterexample?: string;
  error?: string;
  /** Which generated input failed first (before shrinking), for replays. */
  failedIndex?: number;
  maxInputMs: number;
}

export type WorkerMessage = { type: 'list'; targets: TargetInfo[] } | { type: 'done'; outcome: RunOutcome } | { type: 'input'; text: string };

/** Slots of the shared Float64Array the runner's watchdog reads. */
export const SLOT = { index: 0, startedAt: 1, shrinking: 2, firstFailure: 3 } as const;
export const DEFAULT_DEADLINE_MS = 2000;
const MAX_REPORTED = 4000;

export function show(value: unknown): string {
  const s = fc.stringify(value);
  return s.length > MAX_REPORTED ? `${s.slice(0, MAX_REPORTED)}... (${s.length} characters)` : s;
}

export async function runWorker(targets: FuzzTarget[]): Promise<void> {
  const req = workerData as WorkerRequest;
  const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
  if (req.mode === 'list') {
    post({ type: 'list', targets: targets.map((t) => ({ name: t.name, about: t.about, deadlineMs: t.deadlineMs ?? DEFAULT_DEADLINE_MS })) });
    return;
  }
  const target = targets.find((t) => t.name === req.target);
  if (!target) throw new Error(`no fuzz target named ${req.target}`);
  if (req.mode === 'describe') {
    // fc.sample draws the same sequence as fc.check for one seed (no examples are given).
    const inputs = fc.sample(target.arbitrary, { seed: req.seed, numRuns: req.index + 1 });
    post({ type: 'input', text: show(inputs[req.index]) });
    return;
  }
  const state = new Float64Array(req.shared);
  const deadline = req.deadlineMs ?? target.deadlineMs ?? DEFAULT_DEADLINE_MS;
  let index = 0;
  let failedOnce = false;
  let maxInputMs = 0;
  const begin = (): number => {
    state[SLOT.index] = index++;
    state[SLOT.startedAt] = Date.now();
    return performance.now();
  };
  const failed = (): void => {
    if (!failedOnce) {
      failedOnce = true;
      state[SLOT.firstFailure] = index - 1;
      state[SLOT.shrinking] = 1;
    }
  };
  const finish = (t0: number): void => {
    const ms = performance.now() - t0;
    if (ms > maxInputMs && !failedOnce) maxInputMs = ms;
    if (ms > deadline) {
      failed();
      throw new Error(`one input took ${ms.toFixed(0)} ms, over the ${deadline} ms deadline`);
    }
  };
  const params = {
    numRuns: req.runs,
    seed: req.seed,
    ...(req.timeLimitMs ? { interruptAfterTimeLimit: req.timeLimitMs, markInterruptAsFailure: false } : {}),
  };
  const details = target.async
    ? await fc.check(
        fc.asyncProperty(target.arbitrary, async (input) => {
          const t0 = begin();
          try {
            await target.run(input);
          } catch (e) {
            failed();
            throw e;
          } finally {
            state[SLOT.startedAt] = 0;
          }
          finish(t0);
        }),
        params,
      )
    : fc.check(
        fc.property(target.arbitrary, (input) => {
          const t0 = begin();
          try {
            void target.run(input);
          } catch (e) {
            failed();
            throw e;
          } finally {
            state[SLOT.startedAt] = 0;
          }
          finish(t0);
        }),
        params,
      );
  const err = details.errorInstance;
  post({
    type: 'done',
    outcome: {
      runs: details.numRuns,
      failed: details.failed,
      interrupted: details.interrupted,
      maxInputMs,
      ...(details.failed
        ? {
            counterexample: details.counterexample ? show(details.counterexample[0]) : undefined,
            error: err instanceof Error ? `${err.constructor.name}: ${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 6).join('\n')}` : ''}` : String(err),
            failedIndex: state[SLOT.firstFailure],
          }
        : {}),
    },
  });
}
