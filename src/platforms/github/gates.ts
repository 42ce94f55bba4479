import type { Node, Scalar } from 'yaml';
import { jobById } from './job-index.js';
import { contextPath, type Expr } from './expressions/ast.js';
import { evaluate, UNKNOWN } from './expressions/evaluate.js';
import { parseConditionText } from './expressions/extract.js';
import type { Job, Workflow } from './model.js';
import { scalarText } from './action-inputs.js';

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
export const OUTSIDER_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'issue_comment', 'issues', 'discussion', 'discussion_comment', 'fork', 'watch', 'gollum']);

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
export function literalList(e: Expr): string[] | undefined {
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
