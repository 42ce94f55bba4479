import type { SourceText } from '../../yaml/load.js';
import { truthiness } from './expressions/evaluate.js';
import { parseConditionText } from './expressions/extract.js';
import type { Action, Entry, GithubModel, Job, Step, UsesRef, Workflow } from './model.js';

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
  /** Effective triggers per workflow path, filled on demand. */
  workflowTriggers: Map<string, ReadonlySet<string>>;
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
  const index: CallerIndex = { actions: new Map(), workflows: new Map(), actionTriggers: new Map(), workflowTriggers: new Map() };
  // Registered before triggers are resolved: resolving follows workflow caller chains through it.
  cache.set(model, index);
  const add = <T>(m: Map<string, T[]>, k: string, v: T): void => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  const self = selfRepositories(model);
  const isOwn = (u: UsesRef | undefined): u is UsesRef & { path: string } =>
    u?.kind === 'local' || (u?.kind === 'repo' && self.has(`${u.owner}/${u.repo}`.toLowerCase()));
  for (const wf of model.workflows) {
    for (const job of wf.jobs) {
      if (isOwn(job.uses)) add(index.workflows, normalizeLocalPath(job.uses.path), { workflow: wf, job });
      for (const step of job.steps) {
        if (!isOwn(step.uses)) continue;
        add(index.actions, normalizeLocalPath(step.uses.path), {
          source: wf.source, workflow: wf, job, step, steps: job.steps, triggers: wf.triggerNames, env: [step.env, job.env, wf.env],
        });
      }
    }
  }
  for (const action of model.actions) {
    for (const step of action.steps) {
      if (!isOwn(step.uses)) continue;
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
      const ts = c.workflow ? callerJobTriggers(effectiveTriggers(model, c.workflow), c.job) : resolve(c.action!.dir, seen);
      for (const t of ts) out.add(t);
    }
    index.actionTriggers.set(dir, out);
    return out;
  };
  for (const action of model.actions) resolve(action.dir, new Set());
  for (const list of index.actions.values()) {
    for (const c of list) {
      const triggers = c.action ? triggersOfAction(index, c.action.dir) : effectiveTriggers(model, c.workflow!);
      (c as { triggers: ReadonlySet<string> }).triggers = triggers;
    }
  }
  return index;
}

/**
 * `owner/repo` names under which this repository calls its own workflows and actions by full name
 * (`kyma-project/test-infra/.github/workflows/x.yml@main`). The scanned tree does not know its own
 * name, so a name counts as this repository only when every path used under it is defined here,
 * and at least two different ones are: a shared-workflows repository that happens to use one of
 * the same file names is not mistaken for this one.
 */
function selfRepositories(model: GithubModel): Set<string> {
  const paths = new Map<string, Set<string> | null>();
  const visit = (u: UsesRef | undefined): void => {
    if (u?.kind !== 'repo' || !u.path) return;
    const key = `${u.owner}/${u.repo}`.toLowerCase();
    const p = normalizeLocalPath(u.path);
    if (!model.workflowByPath.has(p) && !model.actionByDir.has(p)) {
      paths.set(key, null);
      return;
    }
    const seen = paths.get(key);
    if (seen === null) return;
    if (seen) seen.add(p);
    else paths.set(key, new Set([p]));
  };
  for (const wf of model.workflows) {
    for (const job of wf.jobs) {
      visit(job.uses);
      for (const step of job.steps) visit(step.uses);
    }
  }
  for (const action of model.actions) for (const step of action.steps) visit(step.uses);
  return new Set([...paths].filter(([, set]) => set && set.size >= 2).map(([key]) => key));
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

/**
 * Triggers that can reach a job: the workflow's triggers minus those its `if:` rules out
 * (`github.event_name == 'push'` is false for every other event).
 */
function callerJobTriggers(triggers: ReadonlySet<string>, job: Job | undefined): ReadonlySet<string> {
  const cond = parseConditionText(job?.if?.value === undefined || job.if.value === null ? undefined : String(job.if.value));
  if (!cond) return triggers;
  return new Set([...triggers].filter((t) => truthiness(cond, { values: new Map([['github.event_name', t]]) }) !== false));
}

/**
 * Triggers of a workflow. A reusable workflow with local callers takes its callers' triggers,
 * followed up the chain to top-level triggers (a caller that is itself only called contributes its
 * own callers' triggers), through each calling job's `if:`. With no local caller it keeps
 * `workflow_call`: the caller, and so the event, is unknown.
 */
export function effectiveTriggers(model: GithubModel, wf: Workflow): ReadonlySet<string> {
  if (!wf.triggerNames.has('workflow_call')) return wf.triggerNames;
  const index = indexOf(model);
  const key = normalizeLocalPath(wf.repoPath);
  const known = index.workflowTriggers.get(key);
  if (known) return known;
  const callers = callersOfWorkflow(model, wf.repoPath);
  if (callers.length === 0) return wf.triggerNames;
  // Placeholder while resolving: a cycle of workflows calling each other adds nothing.
  const out = new Set(wf.triggerNames);
  out.delete('workflow_call');
  index.workflowTriggers.set(key, new Set(out));
  for (const c of callers) for (const t of callerJobTriggers(effectiveTriggers(model, c.workflow), c.job)) out.add(t);
  index.workflowTriggers.set(key, out);
  return out;
}
