import type { SourceText } from '../../yaml/load.js';
import type { Action, Entry, GithubModel, Job, Step, Workflow } from './model.js';

export interface ActionCaller {
  source: SourceText;
  workflow?: Workflow;
  action?: Action;
  job?: Job;
  step: Step;
  steps: Step[];
  triggers: ReadonlySet<string>;
  env: Entry[][];
}

export interface WorkflowCaller {
  workflow: Workflow;
  job: Job;
}

interface CallerIndex {
  actions: Map<string, ActionCaller[]>;
  workflows: Map<string, WorkflowCaller[]>;
  actionTriggers: Map<string, ReadonlySet<string>>;
}

const cache = new WeakMap<GithubModel, CallerIndex>();

/** `./a/b/`, `a/b`, `./a/b/action.yml` → `a/b`; the repo root is ''. */
export function normalizeLocalPath(p: string): string {
  let s = p.trim().replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  s = s.replace(/\/action\.ya?ml$/, '');
  const parts: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/** Triggers of a workflow that is only ever called: what its callers are triggered by. */
const UNKNOWN_CALLER: ReadonlySet<string> = new Set(['workflow_call']);

function build(model: GithubModel): CallerIndex {
  const index: CallerIndex = { actions: new Map(), workflows: new Map(), actionTriggers: new Map() };
  const add = <T>(m: Map<string, T[]>, k: string, v: T): void => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const wf of model.workflows) {
    for (const job of wf.jobs) {
      if (job.uses?.kind === 'local') add(index.workflows, normalizeLocalPath(job.uses.path), { workflow: wf, job });
      for (const step of job.steps) {
        if (step.uses?.kind !== 'local') continue;
        add(index.actions, normalizeLocalPath(step.uses.path), {
          source: wf.source, workflow: wf, job, step, steps: job.steps, triggers: wf.triggerNames, env: [step.env, job.env, wf.env],
        });
      }
    }
  }
  for (const action of model.actions) {
    for (const step of action.steps) {
      if (step.uses?.kind !== 'local') continue;
      // Triggers filled in lazily below, once every action's callers are known.
      add(index.actions, normalizeLocalPath(step.uses.path), { source: action.source, action, step, steps: action.steps, triggers: new Set<string>(), env: [step.env] });
    }
  }
  // Resolve triggers of actions called from actions, through chains (bounded; cycles stop).
  const resolve = (dir: string, seen: Set<string>): ReadonlySet<string> => {
    const known = index.actionTriggers.get(dir);
    if (known) return known;
    if (seen.has(dir)) return new Set();
    seen.add(dir);
    const callers = index.actions.get(dir) ?? [];
    if (callers.length === 0) return UNKNOWN_CALLER;
    const out = new Set<string>();
    for (const c of callers) {
      const ts = c.workflow ? c.workflow.triggerNames : resolve(c.action!.dir, seen);
      for (const t of ts) out.add(t);
    }
    index.actionTriggers.set(dir, out);
    return out;
  };
  for (const action of model.actions) resolve(action.dir, new Set());
  for (const list of index.actions.values()) {
    for (const c of list) if (c.action) (c as { triggers: ReadonlySet<string> }).triggers = triggersOfAction(index, c.action.dir);
  }
  return index;
}

function triggersOfAction(index: CallerIndex, dir: string): ReadonlySet<string> {
  return index.actionTriggers.get(dir) ?? UNKNOWN_CALLER;
}

function indexOf(model: GithubModel): CallerIndex {
  let idx = cache.get(model);
  if (!idx) {
    idx = build(model);
    cache.set(model, idx);
  }
  return idx;
}

export function callersOfAction(model: GithubModel, dir: string): ActionCaller[] {
  return indexOf(model).actions.get(normalizeLocalPath(dir)) ?? [];
}

export function callersOfWorkflow(model: GithubModel, path: string): WorkflowCaller[] {
  return indexOf(model).workflows.get(normalizeLocalPath(path)) ?? [];
}

/** Triggers that can start a composite action: the union over its known callers, or `workflow_call` (unknown) if none. */
export function actionTriggers(model: GithubModel, dir: string): ReadonlySet<string> {
  return triggersOfAction(indexOf(model), normalizeLocalPath(dir));
}

/** Triggers of a workflow; for reusable workflows with local callers, the callers' triggers too. */
export function effectiveTriggers(model: GithubModel, wf: Workflow): ReadonlySet<string> {
  if (!wf.triggerNames.has('workflow_call')) return wf.triggerNames;
  const callers = callersOfWorkflow(model, wf.repoPath);
  if (callers.length === 0) return wf.triggerNames;
  const out = new Set(wf.triggerNames);
  out.delete('workflow_call');
  for (const c of callers) for (const t of c.workflow.triggerNames) out.add(t);
  return out;
}
