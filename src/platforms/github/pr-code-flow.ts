import type { Node } from 'yaml';
import type { GithubModel, Job, Step, Workflow } from './model.js';
import { actionExecution, scriptEvents } from './script-events.js';
import { checkoutPath, checkoutRefIsUntrusted, isCheckoutStep } from './checkout.js';
import { compositeCheckouts, type RefScope, type UntrustedRef } from './untrusted-refs.js';
import { isWithin, normalizeWorkspacePath } from './workspace.js';
import type { WorkspaceExecution } from './workspace-execution.js';

/* ------------------------------------------------------------------------------------------ */
/* Following PR code through a job                                                              */
/* ------------------------------------------------------------------------------------------ */

export interface PrCheckout {
  step: Step;
  /** Where it is reported/related: the `ref:`/`repository:` value, or the run: script. */
  node: Node | null;
  /** Offset in the run script, for run-based checkouts. */
  offset?: number;
  path: string;
  what: string;
  confidence: 'high' | 'medium';
  kind: 'action' | 'run';
  /** When known, the only events under which this checks out the PR head. */
  events?: ReadonlySet<string>;
  /** The ref came from callers' `with:` inputs (see UntrustedRef.callers). */
  callers?: UntrustedRef['callers'];
}

export interface PrExecution {
  step: Step;
  checkout: PrCheckout;
  exec: WorkspaceExecution;
}

export interface PrCodeFlow {
  checkouts: PrCheckout[];
  executions: PrExecution[];
  /** For each step index, the untrusted checkouts in effect before it runs (by path). */
  before: Array<Map<string, PrCheckout | null>>;
}

/** Untrusted checkout state in effect for a workspace path: the innermost checkout path above it. */
export function checkoutAt(state: Map<string, PrCheckout | null>, path: string): PrCheckout | null | undefined {
  let best: string | undefined;
  for (const p of state.keys()) if (isWithin(path, p) && (best === undefined || p.length > best.length)) best = p;
  return best === undefined ? undefined : state.get(best);
}

/**
 * Walks a job's steps in order, tracking which workspace directories hold PR code (checkouts of
 * the PR head by actions/checkout or by git/gh in run:) and which later steps execute code there.
 * A later trusted checkout to the same path replaces the PR code (checkout cleans the directory).
 */
export function prCodeFlow(steps: Step[], scopeOf: (index: number) => RefScope, defaultDir: string | undefined): PrCodeFlow {
  const checkouts: PrCheckout[] = [];
  const executions: PrExecution[] = [];
  const before: PrCodeFlow['before'] = [];
  const state = new Map<string, PrCheckout | null>();
  const startDir = normalizeWorkspacePath(defaultDir);
  for (const step of steps) {
    before.push(new Map(state));
    const scope = scopeOf(step.index);
    const stepDir = step.workingDirectory !== undefined ? normalizeWorkspacePath(step.workingDirectory, startDir) : startDir;
    const hitExec = (exec: WorkspaceExecution): void => {
      for (const t of exec.targets) {
        const co = checkoutAt(state, t);
        if (co) {
          executions.push({ step, checkout: co, exec });
          return;
        }
      }
    };
    if (isCheckoutStep(step)) {
      const path = checkoutPath(step);
      const bad = checkoutRefIsUntrusted(step, scope);
      for (const p of [...state.keys()]) if (isWithin(p, path)) state.delete(p);
      if (bad) {
        const co: PrCheckout = {
          step, node: bad.node, path, what: bad.what, confidence: bad.confidence, kind: 'action', ...(bad.events ? { events: bad.events } : {}), ...(bad.callers ? { callers: bad.callers } : {}),
        };
        checkouts.push(co);
        state.set(path, co);
      } else state.set(path, null);
      continue;
    }
    if (step.run && typeof step.run.value === 'string') {
      let reported = false;
      for (const ev of scriptEvents(step.run.value, stepDir, scope)) {
        if (ev.kind === 'checkout-untrusted') {
          const co: PrCheckout = { step, node: step.run, offset: ev.offset, path: ev.path, what: ev.what, confidence: ev.confidence, kind: 'run' };
          checkouts.push(co);
          for (const p of [...state.keys()]) if (isWithin(p, ev.path)) state.delete(p);
          state.set(ev.path, co);
        } else if (!reported) {
          const n = executions.length;
          hitExec(ev.exec);
          reported = executions.length > n;
        }
      }
      continue;
    }
    const exec = actionExecution(step, stepDir);
    if (exec) hitExec(exec);
    // A local composite action that checks out the PR head (its `ref:` from this step's inputs)
    // leaves that code in the workspace for the steps after it.
    for (const [path, hit] of compositeCheckouts(step, scope)) {
      for (const p of [...state.keys()]) if (isWithin(p, path)) state.delete(p);
      if (!hit) {
        state.set(path, null);
        continue;
      }
      const co: PrCheckout = {
        step, node: step.uses?.node ?? null, path, what: hit.what, confidence: hit.confidence, kind: 'action',
        ...(hit.events ? { events: hit.events } : {}), ...(hit.callers ? { callers: hit.callers } : {}),
      };
      checkouts.push(co);
      state.set(path, co);
    }
  }
  return { checkouts, executions, before };
}

/** The RefScope of each step of a workflow job. */
export function jobRefScope(workflow: Workflow, job: Job, triggers: ReadonlySet<string>, model?: GithubModel): (index: number) => RefScope {
  return (index) => {
    const step = job.steps[index];
    return { workflow, job, steps: job.steps.slice(0, index), env: [step?.env ?? [], job.env, workflow.env], triggers, ...(model ? { model } : {}) };
  };
}
