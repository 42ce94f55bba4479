import { isScalar } from 'yaml';
import { jobById } from './job-index.js';
import type { Location } from '../../core/finding.js';
import { nodeLocation, type SourceText } from '../../yaml/load.js';
import { contextPath, type Expr } from './expressions/ast.js';
import { evaluate, truthiness } from './expressions/evaluate.js';
import { findTemplates, parseConditionText } from './expressions/extract.js';
import type { Action, Entry, GithubModel, Job, Step, Workflow } from './model.js';
import { actionTriggers, callersOfAction, callersOfWorkflow, effectiveTriggers, normalizeLocalPath } from './callers.js';
import { mergeNestedCheckouts } from './nested-composite.js';
import { SAFE_CALLS } from './taint.js';
import { actionName, withText } from './action-inputs.js';
import { checkoutPath, checkoutRefIsUntrusted, isCheckoutStep } from './checkout.js';
import { conditionGate, type Gate, jobGate, literalList, strongerGate } from './gates.js';
import { isWithin } from './workspace.js';

/* ------------------------------------------------------------------------------------------ */
/* Untrusted (pull request head) references in expressions                                     */
/* ------------------------------------------------------------------------------------------ */

const PR = ['pull_request_target', 'pull_request', 'pull_request_review', 'pull_request_review_comment'];
const RUN = ['workflow_run'];

/** Context paths that name the pull request's head: its commits, branch or fork repository. */
const HEAD_REFS: Array<{ pattern: string; triggers: string[] }> = [
  { pattern: 'github.event.pull_request.head.sha', triggers: PR },
  { pattern: 'github.event.pull_request.head.ref', triggers: PR },
  { pattern: 'github.event.pull_request.head.label', triggers: PR },
  { pattern: 'github.event.pull_request.merge_commit_sha', triggers: PR },
  { pattern: 'github.head_ref', triggers: PR },
  { pattern: 'github.event.pull_request.head.repo.full_name', triggers: PR },
  { pattern: 'github.event.pull_request.head.repo.clone_url', triggers: PR },
  { pattern: 'github.event.pull_request.head.repo.ssh_url', triggers: PR },
  { pattern: 'github.event.pull_request.head.repo.git_url', triggers: PR },
  { pattern: 'github.event.pull_request.head.repo.html_url', triggers: PR },
  { pattern: 'github.event.pull_request.head.repo.owner.login', triggers: PR },
  { pattern: 'github.event.workflow_run.head_sha', triggers: RUN },
  { pattern: 'github.event.workflow_run.head_branch', triggers: RUN },
  { pattern: 'github.event.workflow_run.head_commit.id', triggers: RUN },
  { pattern: 'github.event.workflow_run.head_repository.full_name', triggers: RUN },
  { pattern: 'github.event.workflow_run.head_repository.clone_url', triggers: RUN },
  { pattern: 'github.event.workflow_run.head_repository.owner.login', triggers: RUN },
  { pattern: 'github.event.workflow_run.pull_requests.*.head.sha', triggers: RUN },
  { pattern: 'github.event.workflow_run.pull_requests.*.head.ref', triggers: RUN },
];

/** Actions whose outputs resolve a pull request's head from a comment or a run. */
const PR_RESOLVER_ACTIONS = new Set([
  'xt0rted/pull-request-comment-branch',
  'alessbell/pull-request-comment-branch',
  'eficode/resolve-pr-refs',
  'potiuk/get-workflow-origin',
]);

/** Text of scripts that look up a pull request's head (`gh pr view --json headRefOid`, `pulls.get(...).head.sha`). */
const HEAD_LOOKUP_RE = /\bhead(?:RefOid|RefName|_sha|_ref|\.sha|\.ref)\b|refs\/pull\/|\bpull\/\S+\/head\b/i;

/**
 * Whether a github-script script returns a pull request head it looked up: a `return` whose value
 * names the head (`return data.head.sha`, `return pr.headRefOid`), or a variable assigned from it.
 */
function returnsHead(script: string): boolean {
  for (const m of script.matchAll(/\breturn\s+([^;\n]+)/g)) {
    const value = m[1]!;
    if (HEAD_LOOKUP_RE.test(value)) return true;
    const v = /^\s*([A-Za-z_$][\w$]*)\s*$/.exec(value)?.[1];
    if (v && new RegExp(`\\b(?:const|let|var)\\s+${v.replace(/\$/g, '\\$')}\\s*=\\s*[^;\\n]*(?:${HEAD_LOOKUP_RE.source})`, 'i').test(script)) return true;
  }
  return false;
}

/** `refs/pull/<n>/merge`, `pull/<n>/head`: the PR's code, whatever the number. */
export const PULL_REF_RE = /(?:^|[\s/:+])pull\/[^/\s]+\/(?:head|merge)\b/;

export interface UntrustedRef {
  /** What names the PR head, e.g. `github.event.pull_request.head.sha` or `refs/pull/<n>/merge`. */
  what: string;
  confidence: 'high' | 'medium';
  /** When known, the only events under which it names the PR head (e.g. guarded by github.event_name). */
  events?: ReadonlySet<string>;
  /**
   * When the ref reached this workflow through reusable-workflow inputs: each caller's `with:`
   * value, innermost caller first, and whether that caller hands over secrets.
   */
  callers?: Array<{ location: Location; message: string; secrets: boolean; gate: Gate }>;
}

/** Everything needed to resolve `env.X`, `steps.X.outputs.Y` and `needs.X.outputs.Y`. */
export interface RefScope {
  workflow?: Workflow;
  job?: Job;
  /** Steps of the job before the one being looked at. */
  steps: Step[];
  /** Env entries visible, innermost first. */
  env: Entry[][];
  /** Triggers whose payload the expression is read from. */
  triggers: ReadonlySet<string>;
  /** The whole repository, to follow `inputs.*` of a reusable workflow to its callers' `with:`. */
  model?: GithubModel;
  /** The composite action whose steps are read: `inputs.*` are its inputs, filled by its callers. */
  action?: Action;
  /** When the action is read for one caller step only: that step, its file and its scope. */
  caller?: { source: SourceText; step: Step; scope: RefScope };
}

function pathMatches(pattern: string, path: string[]): boolean {
  const p = pattern.split('.');
  if (p.length !== path.length) return false;
  return p.every((seg, i) => seg === '*' || path[i] === '*' || seg === path[i]);
}

/** Events for which `e` can be true, when it only tests github.event_name (`==`, contains()); else undefined. */
function eventGuard(e: Expr): Set<string> | undefined {
  if (e.type === 'binary' && e.op === '==') {
    const [p, o] = contextPath(e.left)?.join('.') === 'github.event_name' ? [e.left, e.right] : [e.right, e.left];
    if (contextPath(p)?.join('.') !== 'github.event_name') return undefined;
    const v = evaluate(o);
    return typeof v === 'string' ? new Set([v.toLowerCase()]) : undefined;
  }
  if (e.type === 'call' && e.callee === 'contains' && e.args.length === 2 && contextPath(e.args[1]!)?.join('.') === 'github.event_name') {
    const list = literalList(e.args[0]!);
    return list ? new Set(list.map((x) => x.toLowerCase())) : undefined;
  }
  if (e.type === 'logical') {
    const l = eventGuard(e.left);
    const r = eventGuard(e.right);
    if (e.op === '&&') return l && r ? intersect(l, r) : l ?? r;
    return l && r ? new Set([...l, ...r]) : undefined;
  }
  return undefined;
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): Set<string> {
  return b ? new Set([...a].filter((x) => b.has(x))) : new Set(a);
}

interface Access {
  path: string[];
  /** Only read when github.event_name is one of these (from an `event_name == 'x' && ...` guard). */
  guard?: Set<string>;
}

/** Context accesses whose value can become the string result of `e` (comparisons and booleans cannot). */
export function valueAccesses(e: Expr, guard?: Set<string>): Access[] {
  switch (e.type) {
    case 'literal':
    case 'unary':
    case 'binary':
      return [];
    case 'logical': {
      if (e.op === '||') return [...valueAccesses(e.left, guard), ...valueAccesses(e.right, guard)];
      const g = eventGuard(e.left);
      return valueAccesses(e.right, g ? intersect(g, guard) : guard);
    }
    case 'call':
      if (SAFE_CALLS.has(e.callee)) return [];
      return e.args.flatMap((a) => valueAccesses(a, guard));
    default: {
      const p = contextPath(e);
      return p ? [{ path: p, ...(guard ? { guard } : {}) }] : [];
    }
  }
}

/** Does a string (with `${{ }}` templates) name the PR head? Follows env, step and job outputs. */
export function untrustedRefIn(text: string | undefined, scope: RefScope, depth = 0): UntrustedRef | undefined {
  if (text === undefined || depth > 6) return undefined;
  const stripped = text.replace(/\$\{\{[\s\S]*?\}\}/g, '<expr>');
  if (PULL_REF_RE.test(stripped) || /^(?:refs\/)?pull\//.test(stripped.trim())) return { what: 'refs/pull/<number>', confidence: 'high' };
  for (const t of findTemplates(text)) {
    if (!t.ast) continue;
    for (const { path, guard } of valueAccesses(t.ast)) {
      const hit = untrustedPath(path, scope, depth, guard);
      if (hit) return hit;
    }
  }
  return undefined;
}

function untrustedPath(path: string[], scope: RefScope, depth: number, guard?: Set<string>): UntrustedRef | undefined {
  const root = path[0];
  if (root === 'github') {
    const unknownCaller = scope.triggers.has('workflow_call');
    for (const h of HEAD_REFS) {
      if (!pathMatches(h.pattern, path)) continue;
      // Under an event_name guard, only the guarded events can make this the PR head.
      const triggers = guard ? h.triggers.filter((t) => guard.has(t)) : h.triggers;
      const direct = triggers.filter((t) => scope.triggers.has(t));
      if (direct.length > 0) return { what: h.pattern, confidence: 'high', ...(guard ? { events: new Set(direct) } : {}) };
      if (unknownCaller && triggers.length > 0) return { what: h.pattern, confidence: 'medium', ...(guard ? { events: new Set(triggers) } : {}) };
    }
    return undefined;
  }
  const hit = indirectPath(path, scope, depth);
  if (!hit || !guard) return hit;
  const events = intersect(guard, hit.events);
  return events.size > 0 ? { ...hit, events } : undefined;
}

function indirectPath(path: string[], scope: RefScope, depth: number): UntrustedRef | undefined {
  const [root, a, b, c] = path;
  if (root === 'env' && a) {
    for (let level = 0; level < scope.env.length; level++) {
      const entry = scope.env[level]!.find((e) => e.key.toLowerCase() === a);
      if (entry) return untrustedRefIn(entry.text, { ...scope, env: scope.env.slice(level + 1) }, depth + 1);
    }
    return undefined;
  }
  if (root === 'steps' && a && b === 'outputs' && c) {
    const step = scope.steps.find((s) => s.id?.toLowerCase() === a);
    if (!step) return undefined;
    const name = actionName(step);
    if (name && PR_RESOLVER_ACTIONS.has(name) && /head|sha|ref|branch/.test(c)) return { what: `steps.${a}.outputs.${c}`, confidence: 'high' };
    const code = step.run?.value ?? (name === 'actions/github-script' ? withText(step, 'script') : undefined);
    if (typeof code === 'string' && HEAD_LOOKUP_RE.test(code) && /head|sha|ref|branch|pr|pull/.test(c)) {
      return { what: `steps.${a}.outputs.${c}`, confidence: 'medium' };
    }
    // actions/github-script's `result` is what the script returns, as core.setOutput would set it.
    if (name === 'actions/github-script' && c === 'result' && typeof code === 'string' && returnsHead(code)) {
      return { what: `steps.${a}.outputs.result`, confidence: 'medium' };
    }
    return undefined;
  }
  if (root === 'needs' && a && b === 'outputs' && c && scope.workflow) {
    const job = jobById(scope.workflow, a, true);
    const entry = job?.outputs.find((o) => o.key.toLowerCase() === c);
    if (!job || !entry) return undefined;
    return untrustedRefIn(entry.text, { ...scope, job, steps: job.steps, env: [job.env, scope.workflow.env] }, depth + 1);
  }
  if (root === 'inputs' && a && scope.action && scope.model) return actionInputRef(a, scope.action, scope.model, scope, depth);
  if (root === 'inputs' && a && scope.workflow && scope.model) return callerInputRef(a, scope.workflow, scope.model, depth);
  return undefined;
}

/**
 * The events under which a caller's value names the PR head: the caller's own triggers (a PR
 * head passed by a `pull_request` caller says nothing about a `pull_request_target` caller of the
 * same callee), narrowed by an event guard. A caller whose own callers are unknown restricts nothing.
 */
function callerEvents(hit: UntrustedRef, triggers: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (triggers.has('workflow_call')) return hit.events;
  return intersect(triggers, hit.events);
}

/** Merges the hits of several callers: the first names the ref and the chain, the events are their union. */
function mergeCallerHits(hits: UntrustedRef[]): UntrustedRef | undefined {
  const first = hits[0];
  if (!first) return undefined;
  const events = hits.every((h) => h.events) ? new Set(hits.flatMap((h) => [...h.events!])) : undefined;
  const { events: _drop, ...rest } = first;
  return events ? { ...rest, events } : rest;
}

/**
 * `inputs.X` of a composite action: what each caller step in the repository passes as `with: X`,
 * or the input's `default:` where a caller leaves it out (a default is evaluated in the caller's
 * context: its `github.event` is the caller's). With no caller here, the default is read under
 * the action's own (unknown) triggers, which makes a PR-head default a medium-confidence hit.
 */
function actionInputRef(name: string, action: Action, model: GithubModel, scope: RefScope, depth: number): UntrustedRef | undefined {
  const input = action.inputs.find((i) => i.name.toLowerCase() === name);
  if (!input) return undefined;
  const dir = action.dir || '.';
  // Walking the action for one caller step (see compositeCheckouts): only that caller fills it.
  const callers = scope.caller
    ? [{ source: scope.caller.source, step: scope.caller.step, scope: scope.caller.scope }]
    : callersOfAction(model, action.dir).map((c) => ({
      source: c.source,
      step: c.step,
      scope: {
        model, steps: c.steps.slice(0, c.step.index), env: c.env, triggers: c.triggers,
        ...(c.workflow ? { workflow: c.workflow } : {}), ...(c.job ? { job: c.job } : {}), ...(c.action ? { action: c.action } : {}),
      } satisfies RefScope,
    }));
  if (callers.length === 0) {
    if (input.default === undefined) return undefined;
    const hit = untrustedRefIn(input.default, { steps: [], env: [], triggers: actionTriggers(model, action.dir) }, depth + 1);
    if (!hit) return undefined;
    const at = { location: nodeLocation(action.source, input.node), message: `input "${input.name}" of ${dir} defaults to ${hit.what}`, secrets: false, gate: { kind: 'none' } as Gate };
    return { ...hit, callers: [at, ...(hit.callers ?? [])] };
  }
  const hits: UntrustedRef[] = [];
  for (const { source, step, scope: callerScope } of callers) {
    const entry = step.with.find((w) => w.key.toLowerCase() === name);
    const text = entry ? entry.text : input.default;
    if (text === undefined) continue;
    const hit = untrustedRefIn(text, callerScope, depth + 1);
    if (!hit) continue;
    const where = callerScope.job ? `job "${callerScope.job.id}" step "${step.label}"` : `step "${step.label}" of ${callerScope.action?.dir || '.'}`;
    const here = entry
      ? { location: nodeLocation(source, entry.value), message: `${where} passes ${hit.what} to ${dir} as input "${input.name}"` }
      : { location: nodeLocation(action.source, input.node), message: `input "${input.name}" of ${dir} defaults to ${hit.what}, and ${where} leaves it out` };
    const { workflow, job } = callerScope;
    const gate: Gate = workflow && job ? jobGate(workflow, job, callerScope.triggers) : { kind: 'none' };
    const events = callerEvents(hit, callerScope.triggers);
    if (events && events.size === 0) continue;
    hits.push({ ...hit, ...(events ? { events } : {}), callers: [{ ...here, secrets: false, gate: strongerGate(gate, conditionGate(step.if, callerScope.triggers)) }, ...(hit.callers ?? [])] });
  }
  return mergeCallerHits(hits);
}

/**
 * What the checkouts of a composite action leave in the workspace when one caller step runs it,
 * with its inputs bound to that step's `with:` (or their defaults): by workspace path, the PR head
 * it names or null for a trusted checkout. The caller's later steps run in the same workspace, so
 * the PR code is there for them too. A checkout's own `if:` on `github.event_name` limits the
 * events it runs under: a trusted checkout for other events does not undo a PR checkout (the
 * usual "PR merge ref on pull_request_target, default ref otherwise" pair). Nested composite
 * actions are followed (nested-composite.ts).
 */
export function compositeCheckouts(step: Step, scope: RefScope): Map<string, UntrustedRef | null> {
  const state = new Map<string, UntrustedRef | null>();
  const uses = step.uses;
  if (!scope.model || (uses?.kind !== 'local' && !(uses?.kind === 'repo' && uses.path))) return state;
  // `owner/repo/.github/actions/x@ref` naming a path this repository defines is most likely its
  // own action called by full name (unpinned-uses reasons the same way); the copy at that ref may
  // differ from the one here, so a hit through it is medium confidence at most.
  const byName = uses.kind === 'repo';
  const action = scope.model.actionByDir.get(normalizeLocalPath(uses.path));
  if (!action || action.steps.length === 0) return state;
  const source = scope.workflow?.source ?? scope.action?.source;
  if (!source) return state;
  const caller = { source, step, scope };
  const universe = concreteEvents(scope.triggers);
  for (const s of action.steps) {
    if (!isCheckoutStep(s)) { mergeNestedCheckouts(state, s, { model: scope.model, action, caller, steps: action.steps.slice(0, s.index), env: [s.env], triggers: scope.triggers }, eventsOfStep(s, universe), universe, compositeCheckouts, isWithin); continue; }
    const runsUnder = eventsOfStep(s, universe);
    if (runsUnder.size === 0) continue;
    const path = checkoutPath(s);
    const hit = checkoutRefIsUntrusted(s, { model: scope.model, action, caller, steps: action.steps.slice(0, s.index), env: [s.env], triggers: scope.triggers });
    if (hit) {
      const events = intersect(runsUnder, hit.events);
      if (events.size === 0) continue;
      const narrowed = events.size < universe.size || hit.events !== undefined;
      state.set(path, { ...hit, ...(narrowed ? { events } : {}), ...(byName ? { confidence: 'medium' as const } : {}) });
      continue;
    }
    for (const [p, co] of [...state]) {
      if (!isWithin(p, path)) continue;
      // Run under none of the events the PR checkout runs under: it leaves that PR code alone.
      if (co?.events && ![...co.events].some((e) => runsUnder.has(e))) continue;
      state.delete(p);
    }
    if (!state.has(path)) state.set(path, null);
  }
  return state;
}

/**
 * Events to test `github.event_name` guards against. `workflow_call` with unknown callers stands
 * for the caller's event, which can be any: it is replaced by the events that matter here (the
 * privileged ones, plain pull_request, and push as "anything else").
 */
function concreteEvents(triggers: ReadonlySet<string>): Set<string> {
  if (!triggers.has('workflow_call')) return new Set(triggers);
  const out = new Set([...triggers].filter((t) => t !== 'workflow_call'));
  for (const t of ['pull_request_target', 'workflow_run', 'issue_comment', 'pull_request', 'push']) out.add(t);
  return out;
}

/** The events under which a step's `if:` can be true, judging only `github.event_name` tests. */
function eventsOfStep(step: Step, events: ReadonlySet<string>): Set<string> {
  const text = step.if?.value;
  const cond = parseConditionText(text === undefined || text === null ? undefined : String(text));
  if (!cond) return new Set(events);
  return new Set([...events].filter((t) => truthiness(cond, { values: new Map([['github.event_name', t]]) }) !== false));
}

/**
 * `inputs.X` of a reusable workflow: what its callers in the repository pass as `with: X`,
 * evaluated where each caller runs (its job's needs outputs, its own triggers, its own callers
 * for a chain). The first caller that passes the PR head wins; its `with:` value joins the chain.
 */
function callerInputRef(name: string, wf: Workflow, model: GithubModel, depth: number): UntrustedRef | undefined {
  const input = wf.inputs.find((i) => i.name.toLowerCase() === name && i.via === 'workflow_call');
  if (!input || input.type === 'boolean' || input.type === 'number') return undefined;
  const fallback = input.default && isScalar(input.default) && typeof input.default.value === 'string' ? input.default.value : undefined;
  const callee = `./${normalizeLocalPath(wf.repoPath)}`;
  const callers = callersOfWorkflow(model, wf.repoPath);
  if (callers.length === 0) {
    // No caller here: a default naming the PR head is read under the caller's (unknown) event.
    const hit = fallback === undefined ? undefined : untrustedRefIn(fallback, { steps: [], env: [], triggers: wf.triggerNames }, depth + 1);
    if (!hit) return undefined;
    return { ...hit, callers: [{ location: nodeLocation(wf.source, input.default), message: `input "${input.name}" of ${callee} defaults to ${hit.what}`, secrets: false, gate: { kind: 'none' } }, ...(hit.callers ?? [])] };
  }
  const hits: UntrustedRef[] = [];
  for (const caller of callers) {
    const entry = caller.job.with.find((w) => w.key.toLowerCase() === name);
    // A caller that leaves the input out gets its default, evaluated with the caller's github context.
    const text = entry ? entry.text : fallback;
    if (text === undefined) continue;
    const scope: RefScope = {
      model,
      workflow: caller.workflow,
      job: caller.job,
      steps: [],
      env: [caller.job.env, caller.workflow.env],
      triggers: effectiveTriggers(model, caller.workflow),
    };
    const hit = untrustedRefIn(text, scope, depth + 1);
    if (!hit) continue;
    const events = callerEvents(hit, scope.triggers);
    if (events && events.size === 0) continue;
    const withSecrets = caller.job.secrets ? `, with ${caller.job.secrets.inherit ? 'secrets: inherit' : 'secrets'}` : '';
    const here = {
      location: entry ? nodeLocation(caller.workflow.source, entry.value) : nodeLocation(wf.source, input.default),
      message: entry
        ? `job "${caller.job.id}" passes ${hit.what} to ${callee} as input "${input.name}"${withSecrets}`
        : `input "${input.name}" of ${callee} defaults to ${hit.what}, and job "${caller.job.id}" of ${caller.workflow.source.path} leaves it out${withSecrets}`,
      secrets: caller.job.secrets !== undefined,
      // The calling job's own `if:` (and its needs) gate the callee too.
      gate: jobGate(caller.workflow, caller.job, scope.triggers),
    };
    hits.push({ ...hit, ...(events ? { events } : {}), callers: [here, ...(hit.callers ?? [])] });
  }
  return mergeCallerHits(hits);
}
