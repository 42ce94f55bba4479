/**
 * Shared reasoning about "whose code is in the workspace and what runs it", used by the
 * dangerous-triggers, untrusted-checkout-exec, artifact-poisoning, artipacked and cache-poisoning
 * audits. Everything here is a pure function over the model; shell handling is a deliberately
 * small approximation of POSIX sh (words, quotes, separators, comments, heredocs, `cd`), tuned for
 * precision: when a script is too clever to read, we say nothing rather than guess.
 */
import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import { jobById } from './job-index.js';
import type { Location } from '../../core/finding.js';
import { locationOf, nodeLocation, type SourceText } from '../../yaml/load.js';
import { contextPath, type Expr } from './expressions/ast.js';
import { evaluate, truthiness, UNKNOWN } from './expressions/evaluate.js';
import { findTemplates, parseConditionText } from './expressions/extract.js';
import type { Action, Entry, GithubModel, Job, Step, Workflow } from './model.js';
import { actionTriggers, callersOfAction, callersOfWorkflow, effectiveTriggers, normalizeLocalPath } from './callers.js';
import { mergeNestedCheckouts } from './nested-composite.js';

/* ------------------------------------------------------------------------------------------ */
/* Actions and their inputs                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** `owner/repo[/path]` of a repository action, lower-cased; undefined for run/local/docker steps. */
export function actionName(step: Step): string | undefined {
  const u = step.uses;
  if (u?.kind !== 'repo') return undefined;
  return [u.owner, u.repo, ...(u.path ? [u.path] : [])].join('/').toLowerCase().replace(/\/+$/, '');
}

export function usesAction(step: Step, ...names: string[]): boolean {
  const n = actionName(step);
  return n !== undefined && names.includes(n);
}

/** A `with:` entry by name (action inputs are case-insensitive). */
export function withEntry(step: Step, key: string): Entry | undefined {
  const k = key.toLowerCase();
  return step.with.find((w) => w.key.toLowerCase() === k);
}

export function withText(step: Step, key: string): string | undefined {
  return withEntry(step, key)?.text;
}

export interface ActionVersion {
  major: number;
  minor: number;
  patch: number;
  /** `ref`: from `@v4.1.0`; `comment`: from `@<sha> # v4.1.0`; `branch`: `@main` (latest). */
  from: 'ref' | 'comment' | 'branch';
  /** The version was written as a floating major tag (`@v4`), which tracks the newest v4.x. */
  floating: boolean;
}

const VERSION_RE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/i;

/**
 * Version of a repository action from its ref, or from the `# vX.Y.Z` comment that usually
 * follows a SHA pin. Undefined when it cannot be known (bare SHA, unusual tag).
 */
export function actionVersion(step: Step, source: SourceText): ActionVersion | undefined {
  const u = step.uses;
  if (u?.kind !== 'repo') return undefined;
  const parse = (text: string, from: ActionVersion['from']): ActionVersion | undefined => {
    const m = VERSION_RE.exec(text.trim());
    if (!m) return undefined;
    return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), from, floating: m[2] === undefined };
  };
  if (/^(main|master|HEAD)$/i.test(u.ref)) return { major: Number.POSITIVE_INFINITY, minor: 0, patch: 0, from: 'branch', floating: true };
  if (!u.pinnedToSha) return parse(u.ref, 'ref');
  const end = u.node.range?.[1];
  if (end === undefined) return undefined;
  const nl = source.text.indexOf('\n', end);
  const rest = source.text.slice(end, nl === -1 ? undefined : nl);
  const m = /#\s*(?:tag[:=]?\s*)?(v?\d+(?:\.\d+){0,2})\b/i.exec(rest);
  return m ? parse(m[1]!, 'comment') : undefined;
}

/** At least `major.minor.patch`; a floating `@v4` counts as the newest v4 release. */
export function versionAtLeast(v: ActionVersion, major: number, minor = 0, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.floating) return true;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

/** Reads `key` of a mapping node without a YamlView (aliases are not followed here). */
export function mapGet(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return (pair.value as Node | null) ?? undefined;
  }
  return undefined;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

/* ------------------------------------------------------------------------------------------ */
/* Paths inside the workspace                                                                   */
/* ------------------------------------------------------------------------------------------ */

/** Marker for "somewhere outside the workspace" (absolute paths, `$HOME`, `${{ runner.temp }}`). */
export const OUTSIDE = '\u0000outside';

/**
 * Normalizes a directory or file path to a workspace-relative posix path ('' = workspace root).
 * `${{ github.workspace }}`, `$GITHUB_WORKSPACE` and `./` prefixes are the root; absolute paths,
 * `~`, `$HOME`, `$RUNNER_TEMP` and `${{ runner.temp }}` are OUTSIDE.
 */
export function normalizeWorkspacePath(p: string | undefined, base = ''): string {
  if (p === undefined) return base;
  let s = p.trim().replace(/^["']|["']$/g, '').replace(/\\/g, '/');
  s = s.replace(/\$\{\{\s*github\.workspace\s*\}\}/gi, '.').replace(/\$\{?GITHUB_WORKSPACE\}?/g, '.');
  if (/^(\/|~|\$\{?(HOME|RUNNER_TEMP|RUNNER_TOOL_CACHE|TMPDIR)\b|\$\{\{\s*runner\.)/i.test(s)) return OUTSIDE;
  if (base === OUTSIDE) return OUTSIDE;
  const parts = base === '' ? [] : base.split('/');
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return OUTSIDE;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/** `path` is `dir` or below it ('' contains every workspace path). */
export function isWithin(path: string, dir: string): boolean {
  if (path === OUTSIDE || dir === OUTSIDE) return path === dir;
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** `defaults.run.working-directory` of the job, else of the workflow. */
export function defaultWorkingDirectory(workflow: Workflow | undefined, job: Job | undefined): string | undefined {
  const fromJob = job ? scalarText(mapGet(mapGet(mapGet(job.node, 'defaults'), 'run'), 'working-directory')) : undefined;
  if (fromJob !== undefined) return fromJob;
  return workflow ? scalarText(mapGet(mapGet(mapGet(workflow.root, 'defaults'), 'run'), 'working-directory')) : undefined;
}

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
const PULL_REF_RE = /(?:^|[\s/:+])pull\/[^/\s]+\/(?:head|merge)\b/;

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
function valueAccesses(e: Expr, guard?: Set<string>): Access[] {
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
      if (['contains', 'startswith', 'endswith', 'success', 'always', 'failure', 'cancelled', 'hashfiles'].includes(e.callee)) return [];
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
function compositeCheckouts(step: Step, scope: RefScope): Map<string, UntrustedRef | null> {
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

/* ------------------------------------------------------------------------------------------ */
/* actions/checkout                                                                             */
/* ------------------------------------------------------------------------------------------ */

export function isCheckoutStep(step: Step): boolean {
  return usesAction(step, 'actions/checkout');
}

/**
 * Whether a checkout leaves the token in the git config: 'no' when `persist-credentials` is a
 * literal false, 'explicit' when it is a literal true (the author wants it), 'expression' when it
 * is computed, 'default' when absent (true).
 */
export function persistsCredentials(step: Step): 'no' | 'default' | 'explicit' | 'expression' {
  const e = withEntry(step, 'persist-credentials');
  if (!e) return 'default';
  const t = e.text?.trim();
  if (t === undefined) return 'default';
  if (/^false$/i.test(t)) return 'no';
  if (/^true$/i.test(t)) return 'explicit';
  if (/^\$\{\{\s*false\s*\}\}$/i.test(t)) return 'no';
  if (/^\$\{\{\s*true\s*\}\}$/i.test(t)) return 'explicit';
  return 'expression';
}

/** Workspace-relative directory a checkout writes to (`path:` input). */
export function checkoutPath(step: Step): string {
  return normalizeWorkspacePath(withText(step, 'path'));
}

export interface CheckoutRefFinding extends UntrustedRef {
  /** The `with:` value that names the PR head (`ref:` or `repository:`). */
  node: Node | null;
  input: string;
}

/** A checkout of the pull request's code: `ref:`/`repository:` naming the PR head. */
export function checkoutRefIsUntrusted(step: Step, scope: RefScope): CheckoutRefFinding | undefined {
  if (!isCheckoutStep(step)) return undefined;
  for (const key of ['ref', 'repository']) {
    const entry = withEntry(step, key);
    const hit = untrustedRefIn(entry?.text, scope);
    if (entry && hit) return { ...hit, node: entry.value, input: entry.key };
  }
  return undefined;
}

/* ------------------------------------------------------------------------------------------ */
/* Shell scripts                                                                                */
/* ------------------------------------------------------------------------------------------ */

export interface ShellCommand {
  /** Words with quotes removed; `${{ ... }}` templates kept whole. */
  words: string[];
  /** Offset of the first word in the script. */
  start: number;
  /** The separator before this command: `|` means it reads the previous command's output. */
  after: '' | '|' | ';' | '&&' | '||' | '&' | 'subshell';
}

/**
 * Splits a POSIX-ish script into simple commands. Handles quotes, escapes, line continuations,
 * comments, heredoc bodies (skipped: they are data), `;`, `&&`, `||`, `|`, `&`, `( )`, `$( )` and
 * backticks (their insides become commands of their own). Not a full shell parser.
 */
export function shellCommands(script: string): ShellCommand[] {
  const out: ShellCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let wordStart = -1;
  let cmdStart = -1;
  let after: ShellCommand['after'] = '';
  const heredocs: string[] = [];
  const nested: ShellCommand[] = [];
  const endWord = (): void => {
    if (inWord) {
      words.push(word);
      if (cmdStart === -1) cmdStart = wordStart;
    }
    word = '';
    inWord = false;
  };
  const endCmd = (next: ShellCommand['after']): void => {
    endWord();
    out.push(...nested.splice(0));
    if (words.length > 0) out.push({ words, start: cmdStart, after });
    words = [];
    cmdStart = -1;
    after = next;
  };
  const startWord = (i: number): void => {
    if (!inWord) {
      inWord = true;
      wordStart = i;
    }
  };
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i]!;
    if (c === '\\' && script[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n') {
      endCmd(';');
      i++;
      // Skip heredoc bodies opened on the line just ended.
      while (heredocs.length > 0) {
        const tag = heredocs.shift()!;
        while (i < n) {
          const nl = script.indexOf('\n', i);
          const line = script.slice(i, nl === -1 ? n : nl);
          i = nl === -1 ? n : nl + 1;
          if (line.trim() === tag) break;
        }
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < n && script[i] !== '\n') i++;
      continue;
    }
    if (c === '$' && script.startsWith('${{', i)) {
      const close = script.indexOf('}}', i + 3);
      const end = close === -1 ? n : close + 2;
      startWord(i);
      word += script.slice(i, end);
      i = end;
      continue;
    }
    if (c === "'") {
      startWord(i);
      const close = script.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      word += script.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      startWord(i);
      i++;
      while (i < n && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < n) {
          const next = script[i + 1]!;
          word += '$`"\\\n'.includes(next) ? (next === '\n' ? '' : next) : `\\${next}`;
          i += 2;
          continue;
        }
        if (script.startsWith('${{', i)) {
          const close = script.indexOf('}}', i + 3);
          const end = close === -1 ? n : close + 2;
          word += script.slice(i, end);
          i = end;
          continue;
        }
        if (script.startsWith('$(', i) && script[i + 2] !== '(') {
          // Command substitution inside double quotes: its commands run too.
          const close = matchingParen(script, i + 1);
          const inner = script.slice(i + 2, close);
          for (const c of shellCommands(inner)) nested.push({ ...c, start: c.start + i + 2, after: 'subshell' });
          word += script.slice(i, Math.min(n, close + 1));
          i = close + 1;
          continue;
        }
        word += script[i];
        i++;
      }
      i++;
      continue;
    }
    if (c === '\\') {
      startWord(i);
      word += script[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === '<' && script.startsWith('<<', i) && !script.startsWith('<<<', i)) {
      const m = /^<<-?\s*(['"]?)([A-Za-z0-9_.-]+)\1/.exec(script.slice(i, i + 80));
      if (m) {
        heredocs.push(m[2]!);
        endWord();
        i += m[0].length;
        continue;
      }
    }
    if (c === '$' && script[i + 1] === '(' && script[i + 2] !== '(') {
      endCmd('subshell');
      i += 2;
      continue;
    }
    if (c === '`' || c === '(' || c === ')') {
      endCmd('subshell');
      i++;
      continue;
    }
    if (c === ';') {
      endCmd(';');
      i++;
      continue;
    }
    if (c === '&' || c === '|') {
      const two = script.slice(i, i + 2);
      if (c === '&' && (script[i + 1] === '>' || (i > 0 && script[i - 1] === '>'))) {
        startWord(i);
        word += c;
        i++;
        continue;
      }
      if (two === '&&' || two === '||') {
        endCmd(two);
        i += 2;
      } else {
        endCmd(c === '|' ? '|' : '&');
        i++;
      }
      continue;
    }
    startWord(i);
    word += c;
    i++;
  }
  endCmd('');
  return out;
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text; the end of the text if unclosed. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const e = text.indexOf("'", i + 1);
      if (e === -1) return text.length;
      i = e;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return text.length;
}

const PREFIX_WORDS = new Set(['sudo', 'time', 'exec', 'command', 'nohup', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', '}', 'xvfb-run', 'builtin', 'eval']);

/** The command's own words, without leading `VAR=x` assignments and wrappers (`sudo`, `env`, `timeout 5`...). */
export function commandWords(words: string[]): string[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else if (PREFIX_WORDS.has(w)) i++;
    else if (w === 'env') {
      i++;
      while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || words[i]!.startsWith('-'))) i++;
    } else if (w === 'timeout') {
      i++;
      while (i < words.length && (words[i]!.startsWith('-') || /^\d/.test(words[i]!))) i++;
    } else break;
  }
  return words.slice(i);
}

/* ------------------------------------------------------------------------------------------ */
/* What executes code from the workspace                                                        */
/* ------------------------------------------------------------------------------------------ */

export interface WorkspaceExecution {
  /** Short description for messages, e.g. `npm ci` or `./build.sh`. */
  what: string;
  /** Workspace-relative directories or files whose code runs (never empty; '' is the root). */
  targets: string[];
  /** Offset of the command in the script (run steps only). */
  offset?: number;
}

const NPM_EXEC = new Set([
  'install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'ci', 'clean-install', 'ic', 'install-clean',
  'isntall-clean', 'install-ci-test', 'cit', 'clean-install-test', 'sit', 'install-test', 'it', 'run', 'run-script', 'rum', 'urn', 'test', 'tst', 't',
  'start', 'stop', 'restart', 'exec', 'x', 'rebuild', 'rb', 'pack', 'publish', 'link', 'ln', 'update', 'up', 'upgrade',
]);
const YARN_SAFE = new Set(['--version', '-v', 'config', 'cache', 'info', 'why', 'global', 'set', 'policies', '--help', '-h', 'help', 'login', 'logout', 'npm', 'dlx', 'licenses', 'list', 'outdated', 'audit']);
const PNPM_SAFE = new Set(['--version', '-v', 'config', 'store', '--help', '-h', 'help', 'view', 'info', 'env', 'setup', 'why', 'list', 'ls', 'outdated', 'audit', 'licenses', 'dlx', 'self-update']);
const ALWAYS_EXEC = new Set([
  'make', 'gmake', 'ninja', 'meson', 'scons', 'just', 'task', 'invoke', 'rake', 'ant', 'sbt', 'mill', 'bazel', 'bazelisk', 'buck', 'buck2',
  'gradle', 'mvn', 'lein', 'tox', 'nox', 'pytest', 'py.test', 'ansible-playbook', 'xcodebuild', 'msbuild', 'rebar3', 'stack', 'dune', 'hatch', 'pdm',
  'pipenv', 'poetry', 'rye', 'pixi', 'turbo', 'nx', 'lerna', 'bats', 'phpunit', 'rspec', 'jest', 'vitest', 'mocha', 'playwright', 'cypress',
]);
const TOOL_SAFE_SUBS = new Set(['--version', '-v', '-V', 'version', '--help', '-h', 'help']);
const INTERPRETERS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'python', 'python2', 'python3', 'node', 'ruby', 'perl', 'php', 'pwsh', 'powershell', 'tsx', 'ts-node', 'Rscript', 'lua', 'groovy']);

/** Value of `-C dir`, `--prefix dir`, `--cwd=dir` style options. */
export function optionValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (n.startsWith('--') && a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

export function looksLikeLocalPath(w: string): boolean {
  if (w.startsWith('-') || w.includes('://') || w.startsWith('git+') || /^[A-Za-z0-9_.-]+(==|>=|<=|~=|@)/.test(w)) return false;
  return w === '.' || w === '..' || w.startsWith('./') || w.startsWith('../') || w.startsWith('${{') || w.startsWith('$GITHUB_WORKSPACE') || /^[\w.-]+\/[\w./-]*$/.test(w);
}

/** First positional word, skipping options and the values of options known to take one. */
function subcommand(args: string[]): string | undefined {
  const withValue = new Set(['-C', '--dir', '--cwd', '--prefix', '--filter', '-F', '--workspace', '-w', '--directory', '--project', '--manifest-path', '-p', '-f', '--file']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (withValue.has(a)) i++;
    else if (!a.startsWith('-') || a === '-v' || a === '--version' || a === '-h' || a === '--help' || a === '-V') return a;
  }
  return undefined;
}

function firstNonOption(args: string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

/**
 * Does this simple command run code that comes from the workspace? Returns what runs and where
 * (relative to `cwd`). Package installs of fixed registry names (`pip install requests`,
 * `npm i -g foo`) do not count; installs of the project (`pip install -e .`, `npm ci`) do.
 */
export function executionOf(cmd: ShellCommand, cwd: string): WorkspaceExecution | undefined {
  const w = commandWords(cmd.words);
  if (w.length === 0) return undefined;
  let tool = w[0]!;
  let args = w.slice(1);
  const at = (what: string, ...targets: Array<string | undefined>): WorkspaceExecution => {
    const t = targets.filter((x): x is string => x !== undefined).map((x) => normalizeWorkspacePath(x, cwd));
    return { what, targets: t.length ? t : [cwd], offset: cmd.start };
  };
  const base = tool.replace(/^.*\//, '');
  // A path to a program in the workspace: ./build.sh, scripts/test, $GITHUB_WORKSPACE/x
  if (tool.includes('/') && !tool.startsWith('/') && !tool.startsWith('~') && !/^\$\{?(HOME|RUNNER_TEMP)/.test(tool)) {
    const p = normalizeWorkspacePath(tool, cwd);
    if (p !== OUTSIDE) return { what: tool, targets: [p], offset: cmd.start };
  }
  if (tool === 'source' || tool === '.') {
    const f = args[0];
    return f && !f.startsWith('/') && !f.startsWith('~') && !f.startsWith('$') ? at(`${tool} ${f}`, f) : undefined;
  }
  if (/^python[23]?(\.\d+)?$/.test(base) && args[0] === '-m' && args[1]) {
    const mod = args[1];
    args = args.slice(2);
    if (mod === 'pip') tool = 'pip';
    else if (['pytest', 'tox', 'nox', 'build', 'unittest', 'pre_commit', 'hatch', 'poetry', 'setuptools', 'twine'].includes(mod)) {
      return mod === 'twine' ? undefined : at(`python -m ${mod}`);
    } else return undefined;
  }
  const sub = subcommand(args);
  switch (tool.replace(/^.*\//, '')) {
    case 'npm':
      if (args.includes('-g') || args.includes('--global')) return undefined;
      return sub && NPM_EXEC.has(sub) ? at(`npm ${sub}`, optionValue(args, ['--prefix', '-C'])) : undefined;
    case 'yarn':
      if (sub && YARN_SAFE.has(sub)) return undefined;
      return at(sub ? `yarn ${sub}` : 'yarn', optionValue(args, ['--cwd']));
    case 'pnpm':
      if (sub && PNPM_SAFE.has(sub)) return undefined;
      if (args.includes('-g') || args.includes('--global')) return undefined;
      return at(sub ? `pnpm ${sub}` : 'pnpm', optionValue(args, ['-C', '--dir', '--prefix']));
    case 'bun':
      if (!sub || ['--version', '-v', 'upgrade', 'help', '--help', 'x', 'pm'].includes(sub)) return undefined;
      if (args.includes('-g') || args.includes('--global')) return undefined;
      return at(`bun ${sub}`, optionValue(args, ['--cwd']));
    case 'deno':
      return sub && ['run', 'test', 'task', 'bench', 'install', 'compile'].includes(sub) ? at(`deno ${sub}`) : undefined;
    case 'pip':
    case 'pip3':
    case 'uv':
    case 'pipx': {
      let a = args;
      if (tool.endsWith('uv')) {
        if (sub === 'sync' || sub === 'run' || sub === 'build') return at(`uv ${sub}`, optionValue(args, ['--directory', '--project']));
        if (sub !== 'pip') return undefined;
        a = args.slice(1);
      }
      if (tool === 'pipx') return undefined;
      if (a[0] !== 'install' && a[0] !== 'wheel' && a[0] !== 'download') return undefined;
      const rest = a.slice(1);
      const req = optionValue(rest, ['-r', '--requirement', '-e', '--editable', '-c', '--constraint']);
      const local = rest.filter((x, k) => looksLikeLocalPath(x) && !['-r', '--requirement', '-e', '--editable', '-c', '--constraint'].includes(rest[k - 1] ?? ''));
      if (req !== undefined || local.length > 0) return at(`pip ${a[0]}`, req, ...local);
      return undefined;
    }
    case 'go':
      if (sub && ['run', 'build', 'test', 'generate', 'vet', 'install'].includes(sub)) {
        if (sub === 'install' && args.slice(1).some((x) => /@/.test(x))) return undefined; // go install pkg@version: registry code
        return at(`go ${sub}`, optionValue(args, ['-C']));
      }
      return undefined;
    case 'cargo':
      if (!sub || ['fmt', '--version', '-V', 'search', 'login', 'owner', 'yank', 'help', '--help', 'metadata', 'tree', 'audit', 'deny'].includes(sub)) return undefined;
      if (sub === 'install' && !args.includes('--path')) return undefined;
      return at(`cargo ${sub}`, optionValue(args, ['--manifest-path'])?.replace(/\/?Cargo\.toml$/, '') || undefined);
    case 'bundle':
    case 'bundler':
      return !sub || ['install', 'exec', 'update', 'check'].includes(sub) ? at(`bundle${sub ? ` ${sub}` : ''}`) : undefined;
    case 'gem':
      return sub === 'build' ? at('gem build') : undefined;
    case 'composer':
      return !sub || !['--version', '-V', 'show', 'validate', 'config', 'diagnose', 'about', 'help', 'outdated', 'audit', 'licenses', 'global'].includes(sub)
        ? at(`composer${sub ? ` ${sub}` : ''}`, optionValue(args, ['-d', '--working-dir']))
        : undefined;
    case 'dotnet':
      return sub && ['build', 'test', 'run', 'restore', 'pack', 'publish', 'msbuild', 'format'].includes(sub) ? at(`dotnet ${sub}`) : undefined;
    case 'swift':
      return sub && ['build', 'test', 'run', 'package'].includes(sub) ? at(`swift ${sub}`) : undefined;
    case 'mix':
      return sub && !TOOL_SAFE_SUBS.has(sub) && sub !== 'local.hex' && sub !== 'local.rebar' ? at(`mix ${sub}`) : undefined;
    case 'cabal':
      return sub && ['build', 'test', 'run', 'install', 'bench'].includes(sub) ? at(`cabal ${sub}`) : undefined;
    case 'cmake':
      return args.length > 0 && !TOOL_SAFE_SUBS.has(sub!) ? at('cmake', optionValue(args, ['-S', '--build'])) : undefined;
    case 'terraform':
    case 'tofu':
      return sub && ['init', 'plan', 'apply', 'validate', 'test', 'console'].includes(sub) ? at(`${tool} ${sub}`) : undefined;
    case 'pre-commit':
      return !sub || ['run', 'install-hooks', 'try-repo', 'install'].includes(sub) ? at(`pre-commit${sub ? ` ${sub}` : ''}`) : undefined;
    case 'docker':
    case 'podman': {
      if (sub === 'build') return at(`${tool} build`, firstNonOption(args.slice(1).filter((x, k, arr) => !['-t', '--tag', '-f', '--file', '--build-arg', '--target', '--platform', '--label', '--secret', '--cache-from', '--cache-to', '-o', '--output'].includes(arr[k - 1] ?? ''))));
      if (sub === 'buildx' && (args[1] === 'build' || args[1] === 'bake')) return at(`${tool} buildx ${args[1]}`);
      if (sub === 'compose' && ['build', 'up', 'run', 'create'].includes(args[1] ?? '')) return at(`${tool} compose ${args[1]}`);
      return undefined;
    }
    case 'docker-compose':
      return sub && ['build', 'up', 'run', 'create'].includes(sub) ? at(`docker-compose ${sub}`) : undefined;
    case 'buildah':
      return sub === 'bud' || sub === 'build' ? at(`buildah ${sub}`) : undefined;
    default:
      break;
  }
  if (ALWAYS_EXEC.has(base) || /^(mvnw|gradlew)$/.test(base)) {
    if (sub && TOOL_SAFE_SUBS.has(sub)) return undefined;
    return at(`${base}${sub && !sub.startsWith('-') ? ` ${sub}` : ''}`, optionValue(args, ['-C', '--directory', '-p', '--project-dir', '--file', '-f'])?.replace(/\/[^/]*\.(xml|gradle|kts|mk)$/, ''));
  }
  if (INTERPRETERS.has(base) || /^python[23](\.\d+)?$/.test(base)) {
    // `bash -c '...'` is handled by the caller; `python -c/-e` code is inline, not from the workspace.
    if (args.some((a) => a === '-c' || a === '-e' || a === '--eval' || a === '-Command')) return undefined;
    const file = firstNonOption(args);
    if (!file) return cmd.after === '|' ? { what: `| ${base}`, targets: [cwd], offset: cmd.start } : undefined;
    if (file.startsWith('/') || file.startsWith('~') || /^\$\{?(HOME|RUNNER_TEMP)/.test(file) || file === '-') return undefined;
    return at(`${base} ${file}`, file);
  }
  return undefined;
}

/** Inline code of `bash -c '...'` / `sh -c "..."`, analyzed like the script itself. */
function inlineShell(cmd: ShellCommand): { script: string } | undefined {
  const w = commandWords(cmd.words);
  if (w.length >= 3 && /^(ba|z|da|k)?sh$/.test(w[0]!.replace(/^.*\//, '')) && w.includes('-c')) {
    const script = w[w.indexOf('-c') + 1];
    if (script !== undefined) return { script };
  }
  return undefined;
}

/* ------------------------------------------------------------------------------------------ */
/* A run: script as a sequence of events in the workspace                                       */
/* ------------------------------------------------------------------------------------------ */

export type ScriptEvent =
  | { kind: 'exec'; exec: WorkspaceExecution; cwd: string }
  | { kind: 'checkout-untrusted'; path: string; what: string; offset: number; confidence: 'high' | 'medium' };

/** Shell variables (`$HEAD`, `$GITHUB_HEAD_REF`) that hold a PR head reference. */
function shellVarRef(word: string, scope: RefScope): UntrustedRef | undefined {
  for (const m of word.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
    const name = m[1]!;
    if (name === 'GITHUB_HEAD_REF' && scope.triggers.has('pull_request_target')) return { what: 'GITHUB_HEAD_REF', confidence: 'high' };
    for (let level = 0; level < scope.env.length; level++) {
      const entry = scope.env[level]!.find((e) => e.key === name);
      if (entry) {
        const hit = untrustedRefIn(entry.text, { ...scope, env: scope.env.slice(level + 1) });
        if (hit) return hit;
        break;
      }
    }
  }
  return undefined;
}

function wordRef(word: string, scope: RefScope): UntrustedRef | undefined {
  return untrustedRefIn(word, scope) ?? shellVarRef(word, scope);
}

/**
 * Reads a run: script in order: `cd` moves the current directory; `gh pr checkout`, `git fetch
 * .. pull/N/head` followed by a checkout, `git checkout <PR head>` and `git clone <fork>` put PR
 * code in a directory; commands from executionOf() run workspace code.
 */
export function scriptEvents(script: string, startDir: string, scope: RefScope, depth = 0): ScriptEvent[] {
  const events: ScriptEvent[] = [];
  let cwd = startDir;
  let pendingFetch: UntrustedRef | undefined;
  for (const cmd of shellCommands(script)) {
    const w = commandWords(cmd.words);
    if (w.length === 0) continue;
    const [tool, sub] = [w[0]!, w[1]];
    const inline = inlineShell(cmd);
    if (inline && depth < 3) {
      for (const e of scriptEvents(inline.script, cwd, scope, depth + 1)) {
        events.push(e.kind === 'exec' ? { ...e, exec: { ...e.exec, offset: cmd.start } } : { ...e, offset: cmd.start });
      }
      continue;
    }
    if (tool === 'cd' || tool === 'pushd') {
      const target = w.slice(1).find((a) => !a.startsWith('-'));
      if (target !== undefined) cwd = normalizeWorkspacePath(target, cwd);
      continue;
    }
    if ((tool === 'gh' || tool === 'hub') && sub === 'pr' && w[2] === 'checkout') {
      events.push({ kind: 'checkout-untrusted', path: cwd, what: `${tool} pr checkout`, offset: cmd.start, confidence: 'high' });
      continue;
    }
    if (tool === 'git') {
      const gitArgs = w.slice(1).filter((a, k, arr) => !(arr[k - 1] === '-C' || arr[k - 1] === '-c'));
      const dirOpt = optionValue(w.slice(1), ['-C']);
      const dir = dirOpt !== undefined ? normalizeWorkspacePath(dirOpt, cwd) : cwd;
      const gsub = gitArgs.find((a) => !a.startsWith('-'));
      const rest = gitArgs.slice(gitArgs.indexOf(gsub!) + 1);
      const refs = rest.map((a) => (PULL_REF_RE.test(` ${a}`) || /^(refs\/)?pull\//.test(a) ? ({ what: 'refs/pull/<number>', confidence: 'high' } as UntrustedRef) : wordRef(a, scope)));
      const hit = refs.find((r) => r !== undefined);
      if (gsub === 'fetch') {
        if (hit) pendingFetch = hit;
      } else if (gsub === 'pull' && hit) {
        events.push({ kind: 'checkout-untrusted', path: dir, what: `git pull ${hit.what}`, offset: cmd.start, confidence: hit.confidence });
      } else if (gsub && ['checkout', 'switch', 'reset', 'merge', 'rebase', 'cherry-pick'].includes(gsub)) {
        const via = hit ?? (pendingFetch && rest.some((a) => !a.startsWith('-')) ? pendingFetch : undefined);
        if (via) events.push({ kind: 'checkout-untrusted', path: dir, what: `git ${gsub} ${via.what}`, offset: cmd.start, confidence: via.confidence });
      } else if (gsub === 'worktree' && rest[0] === 'add' && (hit || pendingFetch)) {
        const target = rest.slice(1).find((a) => !a.startsWith('-'));
        events.push({ kind: 'checkout-untrusted', path: normalizeWorkspacePath(target, dir), what: `git worktree add ${(hit ?? pendingFetch)!.what}`, offset: cmd.start, confidence: 'medium' });
      } else if (gsub === 'clone' && hit) {
        const positional = rest.filter((a, k) => !a.startsWith('-') && !['-b', '--branch', '--depth', '-o', '--origin'].includes(rest[k - 1] ?? ''));
        const target = positional[1] ?? (positional[0] ?? '').replace(/\.git$/, '').replace(/^.*[/:]/, '');
        const path = /\$|\{/.test(target) || target === '' ? dir : normalizeWorkspacePath(target, dir);
        events.push({ kind: 'checkout-untrusted', path, what: `git clone ${hit.what}`, offset: cmd.start, confidence: hit.confidence });
      }
      continue;
    }
    const exec = executionOf(cmd, cwd);
    if (exec) events.push({ kind: 'exec', exec, cwd });
  }
  return events;
}

/** Actions (owner/repo[/path]) that run code from the workspace they are pointed at. */
export function actionExecution(step: Step, cwd: string): WorkspaceExecution | undefined {
  if (step.uses?.kind === 'local') {
    if (step.uses.self) return undefined; // the running commit's own code, whatever was checked out
    const p = normalizeWorkspacePath(step.uses.path);
    return p === OUTSIDE ? undefined : { what: `uses: ${step.uses.raw}`, targets: [p] };
  }
  const name = actionName(step);
  if (!name) return undefined;
  const truthy = (k: string): boolean => {
    const t = withText(step, k)?.trim();
    return t !== undefined && t !== '' && !/^(false|no|0|null)$/i.test(t);
  };
  const dir = (k: string): string => normalizeWorkspacePath(withText(step, k), '');
  switch (name) {
    case 'docker/build-push-action':
    case 'docker/bake-action': {
      const ctx = withText(step, name === 'docker/bake-action' ? 'source' : 'context');
      if (ctx === undefined || /\{\{\s*defaultContext\s*\}\}/.test(ctx) || ctx.includes('://')) return undefined; // git context: the base commit
      return { what: name, targets: [normalizeWorkspacePath(ctx, '')] };
    }
    case 'gradle/gradle-build-action':
      return withText(step, 'arguments') ? { what: name, targets: [dir('build-root-directory')] } : undefined;
    case 'pre-commit/action':
    case 'bahmutov/npm-install':
    case 'cypress-io/github-action':
    case 'borales/actions-yarn':
    case 'github/codeql-action/autobuild':
    case 'ramsey/composer-install':
      return { what: name, targets: [cwd] };
    case 'pnpm/action-setup':
      return truthy('run_install') ? { what: `${name} (run_install)`, targets: [cwd] } : undefined;
    case 'ruby/setup-ruby':
      return truthy('bundler-cache') ? { what: `${name} (bundler-cache)`, targets: [dir('working-directory')] } : undefined;
    case 'actions/github-script': {
      const script = withText(step, 'script') ?? '';
      return /\brequire\(\s*[`'"](?:\.{1,2}\/|\$\{\s*process\.env\.GITHUB_WORKSPACE)|\bimport\(\s*[`'"](?:\.{1,2}\/|\$\{\s*process\.env\.GITHUB_WORKSPACE)/.test(script)
        ? { what: 'actions/github-script require() of a workspace file', targets: [''] }
        : undefined;
    }
    default:
      return undefined;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Locations inside run: scripts                                                                */
/* ------------------------------------------------------------------------------------------ */

/**
 * File location of the line holding `offset` in a scalar's parsed value. Exact for literal block
 * scalars (`run: |`) and single-line plain or quoted scalars; other styles fall back to the scalar.
 */
export function scriptLocation(source: SourceText, scalar: Scalar, offset: number | undefined): Location {
  const value = scalar.value;
  if (offset === undefined || typeof value !== 'string' || !scalar.range) return nodeLocation(source, scalar);
  const [start, end] = scalar.range;
  const lineIdx = value.slice(0, offset).split('\n').length - 1;
  const lineStart = value.lastIndexOf('\n', offset - 1) + 1;
  const lineEndRaw = value.indexOf('\n', offset);
  const valueLine = value.slice(lineStart, lineEndRaw === -1 ? undefined : lineEndRaw);
  const col = offset - lineStart;
  const len = Math.max(1, valueLine.trimEnd().length - col);
  if (scalar.type === 'BLOCK_LITERAL') {
    const raw = source.text.slice(start, end);
    const rawLines = raw.split('\n');
    const content = rawLines.slice(1);
    const indent = Math.min(...content.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
    let pos = start + rawLines[0]!.length + 1;
    for (let k = 0; k < lineIdx && k < content.length; k++) pos += content[k]!.length + 1;
    const s = pos + (Number.isFinite(indent) ? indent : 0) + col;
    return locationOf(source, s, s + len);
  }
  if (!value.includes('\n') && (scalar.type === 'PLAIN' || scalar.type === 'QUOTE_SINGLE' || scalar.type === 'QUOTE_DOUBLE')) {
    const raw = source.text.slice(start, end);
    if (raw.includes('\n')) return nodeLocation(source, scalar);
    const s = start + rawOffset(raw, scalar.type, col);
    const e = start + rawOffset(raw, scalar.type, col + len);
    return locationOf(source, s, Math.max(s + 1, e));
  }
  return nodeLocation(source, scalar);
}

/** Offset in a one-line scalar's source of the value character at `valueOffset` (undoing quote escapes). */
function rawOffset(raw: string, type: Scalar['type'], valueOffset: number): number {
  if (type === 'PLAIN') return valueOffset;
  let i = 1;
  for (let v = 0; v < valueOffset && i < raw.length; v++) {
    if (type === 'QUOTE_SINGLE') i += raw[i] === "'" && raw[i + 1] === "'" ? 2 : 1;
    else if (raw[i] === '\\') {
      const kind = raw[i + 1];
      i += kind === 'x' ? 4 : kind === 'u' ? 6 : kind === 'U' ? 10 : 2;
    } else i++;
  }
  return i;
}

/* ------------------------------------------------------------------------------------------ */
/* Conditions that keep outsiders out                                                           */
/* ------------------------------------------------------------------------------------------ */

/**
 * How an `if:` keeps outsiders (fork PR authors, any commenter) away:
 * - `trusted`: cannot be true for an outsider's event (same-repo check, trusted author
 *   association of the PR author, merged PRs, an event name that is not the dangerous one);
 * - `maintainer`: true only after a maintainer acts (label, comment by a member, a specific
 *   actor). Weaker: the PR can change after the maintainer looked (TOCTOU), and `github.actor`
 *   can be confused (e.g. a bot acting on an attacker's PR);
 * - `none`: anyone can satisfy it.
 */
export type GateKind = 'none' | 'maintainer' | 'trusted';
export interface Gate {
  kind: GateKind;
  /** The condition that gates, for messages. */
  node?: Node;
}

const TRUSTED_ASSOCIATIONS = new Set(['owner', 'member', 'collaborator']);
const OUTSIDER_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'issue_comment', 'issues', 'discussion', 'discussion_comment', 'fork', 'watch', 'gollum']);

type Tri = boolean | undefined;
interface Atom {
  /** Value for an outsider's event with no maintainer involvement. */
  outsider: Tri;
  /** Value once a maintainer has acted (labels, approvals) for the same outsider's event. */
  approved: Tri;
}

const same = (v: Tri): Atom => ({ outsider: v, approved: v });

function pathOf(e: Expr): string | undefined {
  return contextPath(e)?.join('.');
}

function literalOf(e: Expr): string | number | boolean | null | undefined {
  if (e.type === 'literal') return e.value;
  const v = evaluate(e);
  return v === UNKNOWN ? undefined : v;
}

/** Literal strings of `fromJSON('["OWNER","MEMBER"]')`, `'OWNER,MEMBER'` (for contains()). */
function literalList(e: Expr): string[] | undefined {
  if (e.type === 'literal' && typeof e.value === 'string') return e.value.split(/[,\s]+/).filter(Boolean);
  if (e.type === 'call' && e.callee === 'fromjson' && e.args[0]?.type === 'literal' && typeof e.args[0].value === 'string') {
    try {
      const v: unknown = JSON.parse(e.args[0].value);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Equality atom `path == value` (or `value == path`), from the outsider's point of view. */
function equalityAtom(path: string, other: Expr, events: ReadonlySet<string>): Atom | undefined {
  const lit = literalOf(other);
  const otherPath = pathOf(other);
  if (/\.(head\.repo|head_repository)\.(full_name|owner\.login)$/.test(path)) {
    // A fork's full name/owner never equals the base repository or a fixed trusted name.
    if (lit !== undefined || otherPath === 'github.repository' || otherPath === 'github.repository_owner') return same(false);
  }
  if (/\.(head\.repo|head_repository)\.fork$/.test(path) && typeof lit === 'boolean') return same(lit === true);
  if (/^github\.event\.(pull_request|issue)\.(author_association|user\.login)$/.test(path) && typeof lit === 'string') {
    return path.endsWith('user.login') || TRUSTED_ASSOCIATIONS.has(lit.toLowerCase()) ? same(false) : undefined;
  }
  if (path === 'github.event.pull_request.merged' && typeof lit === 'boolean') return same(!lit);
  if (path === 'github.event.workflow_run.event' && typeof lit === 'string') return OUTSIDER_EVENTS.has(lit.toLowerCase()) ? undefined : same(false);
  if (path === 'github.event_name' && typeof lit === 'string') {
    if (!events.has(lit.toLowerCase())) return same(false);
    return events.size === 1 ? same(true) : undefined;
  }
  if (/^github\.event\.(comment|review)\.author_association$/.test(path) && typeof lit === 'string') {
    return TRUSTED_ASSOCIATIONS.has(lit.toLowerCase()) ? { outsider: false, approved: undefined } : undefined;
  }
  if (['github.actor', 'github.triggering_actor', 'github.event.sender.login', 'github.event.label.name', 'github.event.review.state'].includes(path) && lit !== undefined) {
    return { outsider: false, approved: undefined };
  }
  return undefined;
}

function atomOf(e: Expr, events: ReadonlySet<string>): Atom | undefined {
  if (e.type === 'binary' && (e.op === '==' || e.op === '!=')) {
    const l = pathOf(e.left);
    const r = pathOf(e.right);
    const a = (l && equalityAtom(l, e.right, events)) || (r && equalityAtom(r, e.left, events)) || undefined;
    if (!a) return undefined;
    return e.op === '==' ? a : { outsider: not(a.outsider), approved: not(a.approved) };
  }
  if (e.type === 'call' && e.callee === 'contains' && e.args.length === 2) {
    const [hay, needle] = e.args as [Expr, Expr];
    const hp = pathOf(hay);
    if (hp && /^github\.event\.(pull_request|issue)\.labels\.\*\.name$/.test(hp)) return { outsider: false, approved: undefined };
    const np = pathOf(needle);
    const list = literalList(hay);
    if (np && list && list.length > 0 && /author_association$/.test(np)) {
      if (!list.every((x) => TRUSTED_ASSOCIATIONS.has(x.toLowerCase()))) return undefined;
      return /^github\.event\.(pull_request|issue)\./.test(np) ? same(false) : { outsider: false, approved: undefined };
    }
    if (np && list && list.length > 0 && ['github.actor', 'github.triggering_actor', 'github.event.sender.login'].includes(np)) return { outsider: false, approved: undefined };
    if (np && list && list.length > 0 && np === 'github.event_name') {
      const hits = list.filter((x) => events.has(x.toLowerCase()));
      return hits.length === 0 ? same(false) : undefined;
    }
    return undefined;
  }
  const p = pathOf(e);
  if (p && /\.(head\.repo|head_repository)\.fork$/.test(p)) return same(true);
  if (p === 'github.event.pull_request.merged') return same(false);
  const lit = literalOf(e);
  if (lit !== undefined && e.type !== 'call') return same(lit !== false && lit !== null && lit !== '' && lit !== 0);
  return undefined;
}

function not(v: Tri): Tri {
  return v === undefined ? undefined : !v;
}

function evalGate(e: Expr, events: ReadonlySet<string>, which: keyof Atom): Tri {
  if (e.type === 'logical') {
    const l = evalGate(e.left, events, which);
    const r = evalGate(e.right, events, which);
    if (e.op === '&&') return l === false || r === false ? false : l === true && r === true ? true : undefined;
    return l === true || r === true ? true : l === false && r === false ? false : undefined;
  }
  if (e.type === 'unary') return not(evalGate(e.operand, events, which));
  return atomOf(e, events)?.[which];
}

/** Parses an `if:` value: bare expression, or a single `${{ }}` wrapping the whole value. */
export function conditionExpr(cond: Scalar | undefined): Expr | undefined {
  return conditionExprText(scalarText(cond));
}

/** Parses a condition or toggle given as text (see parseConditionText). */
export const conditionExprText = parseConditionText;

/** The gate an `if:` puts in front of outsiders' events (`events`: the dangerous triggers). */
export function conditionGate(cond: Scalar | undefined, events: ReadonlySet<string>): Gate {
  const e = conditionExpr(cond);
  if (!e) return { kind: 'none' };
  if (evalGate(e, events, 'approved') === false) return { kind: 'trusted', node: cond };
  if (evalGate(e, events, 'outsider') === false) return { kind: 'maintainer', node: cond };
  return { kind: 'none' };
}

const GATE_RANK: Record<GateKind, number> = { none: 0, maintainer: 1, trusted: 2 };

export function strongerGate(a: Gate, b: Gate): Gate {
  return GATE_RANK[b.kind] > GATE_RANK[a.kind] ? b : a;
}

function usesStatusEscape(cond: Scalar | undefined): boolean {
  const e = conditionExpr(cond);
  if (!e) return false;
  let found = false;
  const visit = (x: Expr): void => {
    if (x.type === 'call' && ['always', 'failure', 'cancelled'].includes(x.callee)) found = true;
    if (x.type === 'logical') {
      visit(x.left);
      visit(x.right);
    } else if (x.type === 'unary') visit(x.operand);
  };
  visit(e);
  return found;
}

/**
 * A job's gate: its own `if:` and, because a job whose needs were skipped is skipped too (unless
 * it uses always()/failure()/cancelled()), the gates of the jobs it needs, transitively.
 */
export function jobGate(workflow: Workflow, job: Job, events: ReadonlySet<string>, seen = new Set<string>()): Gate {
  // Memoised per workflow and event set: every job of a 3,000-job needs chain walked (and
  // re-parsed the conditions of) the whole chain above it, 350 s of CPU. A finished job's gate is
  // the same whoever asks; a gate cut short by a needs cycle (`seen`) is not stored.
  const memo = gateMemo(workflow, events);
  const known = memo.get(job);
  if (known) return known;
  let gate = conditionGate(job.if, events);
  if (seen.has(job.id)) return gate; // a needs cycle: cut short, not stored
  if (usesStatusEscape(job.if)) {
    memo.set(job, gate);
    return gate;
  }
  seen.add(job.id);
  let complete = true;
  for (const need of job.needs) {
    const dep = jobById(workflow, need);
    if (!dep) continue;
    gate = strongerGate(gate, jobGate(workflow, dep, events, seen));
    if (!memo.has(dep)) complete = false;
  }
  if (complete) memo.set(job, gate);
  return gate;
}

const JOB_GATES = new WeakMap<Workflow, Map<string, Map<Job, Gate>>>();

function gateMemo(workflow: Workflow, events: ReadonlySet<string>): Map<Job, Gate> {
  const key = [...events].sort().join(',');
  let byEvents = JOB_GATES.get(workflow);
  if (!byEvents) JOB_GATES.set(workflow, (byEvents = new Map()));
  let memo = byEvents.get(key);
  if (!memo) byEvents.set(key, (memo = new Map()));
  return memo;
}


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

/* ------------------------------------------------------------------------------------------ */
/* workflow_run: who can start the upstream run, and its artifacts                              */
/* ------------------------------------------------------------------------------------------ */

/**
 * Can an outsider cause the runs that trigger this `workflow_run` workflow? False only when every
 * workflow named in `workflows:` is in the model and none of them has a trigger an outsider can
 * cause (a fork PR, a comment...). Without the upstream files we cannot know: true.
 */
export function workflowRunReachableByOutsiders(models: { workflows: Workflow[] }, wf: Workflow, upstreamTriggers: (w: Workflow) => ReadonlySet<string>): boolean {
  const trig = wf.triggers.find((t) => t.name === 'workflow_run');
  if (!trig?.config) return true;
  const list = mapGet(trig.config, 'workflows');
  const names: string[] = [];
  if (isScalar(list)) names.push(String(list.value));
  else if (list && 'items' in list && Array.isArray((list as { items: unknown[] }).items)) {
    for (const item of (list as { items: unknown[] }).items) {
      const t = scalarText(item);
      if (t !== undefined) names.push(t);
    }
  }
  if (names.length === 0) return true;
  for (const name of names) {
    const matches = models.workflows.filter((w) => w.name === name || w.source.path.endsWith(`/${name}`));
    if (matches.length === 0) return true;
    for (const m of matches) for (const t of upstreamTriggers(m)) if (OUTSIDER_EVENTS.has(t) || t === 'workflow_call' || t === 'workflow_run') return true;
  }
  return false;
}

export interface ArtifactDownload {
  step: Step;
  /** Where to point: the `run-id`/`run_id` value, the run: script line, or the uses: reference. */
  node: Node | null;
  offset?: number;
  /** Workspace-relative directory the files land in ('' = workspace root, OUTSIDE = runner temp...). */
  path: string;
  /** The destination as written, for matching later reads of it. */
  pathText?: string;
  what: string;
  confidence: 'high' | 'medium';
  /**
   * Files land directly in `path` (one named artifact, or merged): they can overwrite tracked
   * files there. Otherwise each artifact gets its own subdirectory `path/<artifact name>/`.
   */
  direct: boolean;
}

function mentionsTriggeringRun(text: string | undefined, scope: RefScope, depth = 0): boolean {
  if (text === undefined || depth > 4) return false;
  if (/\bworkflow_run\.id\b|payload\.workflow_run\.id\b/.test(text)) return true;
  for (const t of findTemplates(text)) {
    if (!t.ast) continue;
    for (const { path: p } of valueAccesses(t.ast)) {
      if (p.join('.') === 'github.event.workflow_run.id' || p.join('.') === 'github.event.workflow_run.workflow_id') return true;
      if (p[0] === 'env' && p[1]) {
        const e = scope.env.flat().find((x) => x.key.toLowerCase() === p[1]);
        if (e && mentionsTriggeringRun(e.text, scope, depth + 1)) return true;
      }
    }
  }
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
    const e = scope.env.flat().find((x) => x.key === m[1]);
    if (e && mentionsTriggeringRun(e.text, scope, depth + 1)) return true;
  }
  return false;
}

/**
 * Downloads of artifacts from the run that triggered a `workflow_run` workflow: whatever the
 * (possibly fork) pull request's workflow uploaded. actions/download-artifact without `run-id`
 * reads the current run's artifacts and is not one.
 */
export function triggeringRunDownloads(step: Step, scope: RefScope, cwd: string): ArtifactDownload[] {
  const name = actionName(step);
  if (name === 'actions/download-artifact') {
    const runId = withEntry(step, 'run-id');
    if (!runId?.text) return [];
    const pathText = withText(step, 'path');
    const merge = /^true$/i.test(withText(step, 'merge-multiple')?.trim() ?? '');
    return [{
      step, node: runId.value, path: normalizeWorkspacePath(pathText), pathText, what: 'actions/download-artifact',
      confidence: mentionsTriggeringRun(runId.text, scope) ? 'high' : 'medium', direct: withEntry(step, 'name') !== undefined || merge,
    }];
  }
  if (name === 'dawidd6/action-download-artifact') {
    const runId = withEntry(step, 'run_id');
    const pathText = withText(step, 'path');
    return [{
      step, node: runId?.value ?? step.uses!.node, path: normalizeWorkspacePath(pathText), pathText, what: 'dawidd6/action-download-artifact',
      confidence: runId && mentionsTriggeringRun(runId.text, scope) ? 'high' : 'medium', direct: withEntry(step, 'name') !== undefined,
    }];
  }
  if (name === 'actions/github-script') {
    const script = withText(step, 'script') ?? '';
    if (!/\bdownloadArtifact\b/.test(script)) return [];
    const outside = /RUNNER_TEMP|runner\.temp|os\.tmpdir\(\)/.test(script);
    // The script writes a zip somewhere; it is the unzip that follows that places files.
    return [{ step, node: withEntry(step, 'script')?.value ?? null, path: outside ? OUTSIDE : '', what: 'actions/github-script downloadArtifact', confidence: /workflow_run/.test(script) ? 'high' : 'medium', direct: false }];
  }
  if (step.run && typeof step.run.value === 'string') {
    const out: ArtifactDownload[] = [];
    let dir = cwd;
    for (const cmd of shellCommands(step.run.value)) {
      const w = commandWords(cmd.words);
      if ((w[0] === 'cd' || w[0] === 'pushd') && w[1]) dir = normalizeWorkspacePath(w[1], dir);
      if (w[0] !== 'gh' || w[1] !== 'run' || w[2] !== 'download') continue;
      const args = w.slice(3);
      const pathText = optionValue(args, ['-D', '--dir']);
      const high = args.some((a) => mentionsTriggeringRun(a, scope));
      const named = optionValue(args, ['-n', '--name']) !== undefined;
      out.push({ step, node: step.run, offset: cmd.start, path: pathText !== undefined ? normalizeWorkspacePath(pathText, dir) : dir, pathText, what: 'gh run download', confidence: high ? 'high' : 'medium', direct: named });
    }
    return out;
  }
  return [];
}
