import { isScalar, type Node, type Scalar } from 'yaml';
import type { RelatedLocation } from '../../core/finding.js';
import { nodeLocation, type SourceText } from '../../yaml/load.js';
import { contextPath, type Expr } from './expressions/ast.js';
import { findTemplates } from './expressions/extract.js';
import { truthiness } from './expressions/evaluate.js';
import { attackerFieldsAt } from './contexts.js';
import type { Action, Entry, GithubModel, Job, Step, Workflow } from './model.js';
import { callersOfAction, callersOfWorkflow } from './callers.js';
import { jobById } from './job-index.js';

/** Where an expression is evaluated: decides what `env.*`, `inputs.*`, `steps.*` mean. */
export interface Scope {
  model: GithubModel;
  source: SourceText;
  workflow?: Workflow;
  action?: Action;
  job?: Job;
  /** Steps before and including the sink (for `steps.X.outputs`). */
  step?: Step;
  steps?: Step[];
  /** Triggers that can start this code (for actions: union over known callers). */
  triggers: ReadonlySet<string>;
  /** Env entries visible at this point, innermost first (step, job, workflow). */
  env: Entry[][];
}

export interface TaintOrigin {
  /** Context path of the attacker-controlled value, e.g. `github.event.issue.title`. */
  path: string;
  strength: 'high' | 'medium' | 'low';
  /** Triggers that populate it. */
  via: string[];
  /** Hops from the sink back to the source (env definitions, input call sites...). */
  chain: RelatedLocation[];
}

const MAX_HOPS = 12;

/** Function calls whose result cannot carry attacker text. */
export const SAFE_CALLS: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith', 'success', 'always', 'failure', 'cancelled', 'hashfiles']);

/**
 * Attacker-controlled values that can reach the string result of `e`. Booleans, comparisons
 * and hashes cannot carry text, so they stop taint; `a || b` can yield either side, `a && b`
 * yields `b` (or a falsy `a`, which carries nothing).
 */
export function taintOfExpr(e: Expr, scope: Scope, hops = 0, serialised = false): TaintOrigin[] {
  if (hops > MAX_HOPS) return [];
  switch (e.type) {
    case 'literal':
    case 'unary':
    case 'binary':
      return [];
    case 'logical': {
      // A left side known to be truthy (`'none' || x`) decides `||`; one known falsy decides `&&`.
      const left = truthiness(e.left);
      if (e.op === '||') return left === true ? taintOfExpr(e.left, scope, hops) : [...taintOfExpr(e.left, scope, hops), ...taintOfExpr(e.right, scope, hops)];
      return left === false ? [] : taintOfExpr(e.right, scope, hops);
    }
    case 'call': {
      if (SAFE_CALLS.has(e.callee)) return [];
      if (e.callee === 'fromjson' && e.args[0]?.type === 'literal') return [];
      if (e.callee === 'case') return e.args.filter((_, i) => i % 2 === 1 || i === e.args.length - 1).flatMap((a) => taintOfExpr(a, scope, hops));
      // format, join, tojson, fromjson and unknown functions pass their arguments through.
      // toJSON() and join() write out the members of an object or array they are given; an
      // object expanded bare becomes the text "Object" (an array "Array"), which carries nothing.
      const whole = e.callee === 'tojson' || e.callee === 'join';
      return e.args.flatMap((a, i) => taintOfExpr(a, scope, hops, whole && i === 0));
    }
    default: {
      const path = contextPath(e);
      if (!path) {
        // Dynamic index like github.event[inputs.key]: the object may hold anything under it.
        // A property of a computed object (`fromJSON(github.event.issue.body).cmd`) carries its text.
        if (e.type === 'index' || e.type === 'member' || e.type === 'star') return taintOfExpr(e.object, scope, hops);
        return [];
      }
      return taintOfPath(path, scope, hops, serialised);
    }
  }
}

/** Taint of every `${{ }}` in a string value, in the given scope. */
export function taintOfText(text: string, scope: Scope, hops = 0): TaintOrigin[] {
  const out: TaintOrigin[] = [];
  for (const t of findTemplates(text)) if (t.ast) out.push(...taintOfExpr(t.ast, scope, hops));
  return out;
}

function hop(scope: Scope, node: Node | null | undefined, message: string): RelatedLocation {
  return { ...nodeLocation(scope.source, node), message };
}

function prepend(origins: TaintOrigin[], rel: RelatedLocation): TaintOrigin[] {
  return origins.map((o) => ({ ...o, chain: [rel, ...o.chain] }));
}

function taintOfPath(path: string[], scope: Scope, hops: number, serialised = false): TaintOrigin[] {
  const [root, a, b, c] = path;
  switch (root) {
    case 'github':
      return attackerFieldsAt(path, scope.triggers).map((m) => ({ path: m.field.pattern, strength: m.field.strength, via: m.via, chain: [] }));
    case 'env':
      if (a && a !== '*') return taintOfEnv(a, scope, hops);
      // `toJSON(env)` (or `join(env.*)`) writes out every variable in view: tainted if any one is.
      return serialised && path.length <= 2 ? visibleEnvNames(scope).flatMap((n) => taintOfEnv(n, scope, hops)) : [];
    case 'inputs':
      if (a && a !== '*') return taintOfInput(a, scope, hops);
      // `toJSON(inputs)` likewise carries every input.
      return serialised && path.length <= 2 ? inputNames(scope).flatMap((n) => taintOfInput(n, scope, hops)) : [];
    case 'steps':
      return a && b === 'outputs' && c ? taintOfStepOutput(a, c, scope, hops) : [];
    case 'needs':
      return a && b === 'outputs' && c ? taintOfJobOutput(a, c, scope, hops) : [];
    case 'matrix':
      return a ? taintOfMatrix(scope, hops) : [];
    default:
      // secrets, vars, runner, job, strategy: not attacker text.
      return [];
  }
}

/** Names (lower-case) of the env variables visible in a scope, each once. */
function visibleEnvNames(scope: Scope): string[] {
  return [...new Set(scope.env.flatMap((level) => level.map((e) => e.key.toLowerCase())))];
}

/** Names (lower-case) of the inputs of the scope's composite action or workflow. */
function inputNames(scope: Scope): string[] {
  const inputs = scope.action ? scope.action.inputs : scope.workflow?.inputs ?? [];
  return [...new Set(inputs.map((i) => i.name.toLowerCase()))];
}

function taintOfEnv(name: string, scope: Scope, hops: number): TaintOrigin[] {
  for (let level = 0; level < scope.env.length; level++) {
    const entry = scope.env[level]!.find((e) => e.key.toLowerCase() === name);
    if (!entry) continue;
    if (entry.text === undefined) return [];
    // An env value is evaluated in the scope of its own level: a job env cannot see step env.
    const outer: Scope = { ...scope, env: scope.env.slice(level + 1) };
    return prepend(taintOfText(entry.text, outer, hops + 1), hop(scope, entry.value, `env ${entry.key} is set from attacker-controlled data here`));
  }
  return [];
}

function taintOfInput(name: string, scope: Scope, hops: number): TaintOrigin[] {
  if (scope.action) return taintOfActionInput(name, scope.action, scope, hops);
  const wf = scope.workflow;
  if (!wf) return [];
  const input = wf.inputs.find((i) => i.name.toLowerCase() === name);
  if (!input || input.type === 'boolean' || input.type === 'number' || input.type === 'choice' || input.type === 'environment') return [];
  if (input.via === 'workflow_dispatch' && !wf.triggerNames.has('workflow_call')) return []; // only people with write access dispatch
  // A caller that leaves the input out gets its `default:`, evaluated with that caller's github
  // context (the called workflow's `github.event` is the caller's event).
  const fallback = input.default && isScalar(input.default) && typeof input.default.value === 'string' ? input.default.value : undefined;
  const callers = callersOfWorkflow(scope.model, wf.repoPath);
  if (callers.length === 0) {
    if (fallback === undefined) return [];
    const own: Scope = { model: scope.model, source: wf.source, workflow: wf, triggers: wf.triggerNames, env: [] };
    return prepend(taintOfText(fallback, own, hops + 1), hop(scope, input.default, `input "${input.name}" defaults to attacker-controlled data here`));
  }
  const out: TaintOrigin[] = [];
  for (const caller of callers) {
    const entry = caller.job.with.find((w) => w.key.toLowerCase() === name);
    const text = entry ? entry.text : fallback;
    if (!text) continue;
    const callerScope: Scope = {
      model: scope.model,
      source: caller.workflow.source,
      workflow: caller.workflow,
      job: caller.job,
      triggers: caller.workflow.triggerNames,
      env: [caller.job.env, caller.workflow.env],
    };
    const at = entry
      ? hop(callerScope, entry.value, `input "${input.name}" is passed attacker-controlled data by ${caller.workflow.source.path}`)
      : hop(scope, input.default, `input "${input.name}" defaults to attacker-controlled data here, and ${caller.workflow.source.path} leaves it out`);
    out.push(...prepend(taintOfText(text, callerScope, hops + 1), at));
  }
  return out;
}

function taintOfActionInput(name: string, action: Action, scope: Scope, hops: number): TaintOrigin[] {
  const input = action.inputs.find((i) => i.name.toLowerCase() === name);
  if (!input) return [];
  const out: TaintOrigin[] = [];
  for (const caller of callersOfAction(scope.model, action.dir)) {
    const entry = caller.step.with.find((w) => w.key.toLowerCase() === name);
    const text = entry?.text ?? input.default;
    if (!text) continue;
    const callerScope: Scope = {
      model: scope.model,
      source: caller.source,
      workflow: caller.workflow,
      action: caller.action,
      job: caller.job,
      step: caller.step,
      steps: caller.steps,
      triggers: caller.triggers,
      env: caller.env,
    };
    // A default is evaluated for this caller, but it is written in the action: point there (the
    // caller's file has no line for it).
    const at = entry?.text
      ? hop(callerScope, entry.value, `input "${input.name}" of ${action.dir || '.'} is given attacker-controlled data here`)
      : hop(scope, input.node, `input "${input.name}" of ${action.dir || '.'} defaults to attacker-controlled data here`);
    out.push(...prepend(taintOfText(text, callerScope, hops + 1), at));
  }
  return out;
}

/** `echo "name=${{ x }}" >> "$GITHUB_OUTPUT"` in an earlier run step of the same job. */
function taintOfStepOutput(stepId: string, output: string, scope: Scope, hops: number): TaintOrigin[] {
  const step = (scope.steps ?? []).find((s) => s.id?.toLowerCase() === stepId);
  if (!step?.run || typeof step.run.value !== 'string') return [];
  const script = step.run.value;
  const out: TaintOrigin[] = [];
  const stepScope: Scope = { ...scope, step, env: [step.env, ...scope.env.slice(scope.step ? 1 : 0)] };
  for (const line of script.split('\n')) {
    if (!/GITHUB_OUTPUT/.test(line)) continue;
    const m = new RegExp(`(?:^|[\\s"'])${escapeRe(output)}=(.*)$`, 'i').exec(line);
    if (!m) continue;
    const value = m[1]!;
    const origins = [...taintOfText(value, stepScope, hops + 1), ...shellVarTaint(value, stepScope, hops + 1)];
    out.push(...prepend(origins, hop(scope, step.run as Scalar, `step "${step.label}" writes output ${output} from attacker-controlled data`)));
  }
  return out;
}

/** `$VAR` / `${VAR}` reads of env vars whose values are attacker-controlled. */
export function shellVarTaint(text: string, scope: Scope, hops: number): TaintOrigin[] {
  const out: TaintOrigin[] = [];
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
    const name = m[1]!;
    const ctx = RUNNER_ENV_CONTEXTS[name];
    // Default runner variables mirror contexts: $GITHUB_HEAD_REF is github.head_ref.
    if (ctx && !scope.env.some((level) => level.some((e) => e.key === name))) out.push(...taintOfPath(ctx, scope, hops));
    else out.push(...taintOfEnv(name.toLowerCase(), scope, hops));
  }
  return out;
}

const RUNNER_ENV_CONTEXTS: Record<string, string[]> = {
  GITHUB_HEAD_REF: ['github', 'head_ref'],
};

function taintOfJobOutput(jobId: string, output: string, scope: Scope, hops: number): TaintOrigin[] {
  const wf = scope.workflow;
  const job = wf ? jobById(wf, jobId, true) : undefined;
  if (!wf || !job) return [];
  const entry = job.outputs.find((o) => o.key.toLowerCase() === output);
  if (!entry?.text) return [];
  const jobScope: Scope = { model: scope.model, source: wf.source, workflow: wf, job, steps: job.steps, triggers: scope.triggers, env: [job.env, wf.env] };
  return prepend(taintOfText(entry.text, jobScope, hops + 1), hop(scope, entry.value, `job "${job.id}" output ${entry.key} carries attacker-controlled data`));
}

/** Static matrix values are safe; a matrix built from an expression carries that expression's taint. */
function taintOfMatrix(scope: Scope, hops: number): TaintOrigin[] {
  const matrix = scope.job?.matrix;
  if (!matrix) return [];
  const out: TaintOrigin[] = [];
  const visit = (n: unknown, depth: number): void => {
    if (!n || depth > 8) return;
    const node = n as { value?: unknown; items?: unknown[]; key?: unknown };
    if (typeof node.value === 'string' && node.value.includes('${{')) {
      out.push(...prepend(taintOfText(node.value, scope, hops + 1), hop(scope, n as Node, 'the matrix is built from attacker-controlled data here')));
    } else if (node.value && typeof node.value === 'object') visit(node.value, depth + 1);
    if (Array.isArray(node.items)) for (const i of node.items) visit(i, depth + 1);
  };
  visit(matrix, 0);
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
