import type { Job, MapVal, Pipeline, Val } from './model.js';
import { flatScalars, get, listOf, str } from './parse.js';

/*
 * When does a job run? GitLab decides per pipeline from `workflow:rules`, then the job's `rules:`
 * (first match wins, `when: never` excludes) or `only:`/`except:` (default: `only: [branches,
 * tags]`, which keeps a job out of merge request pipelines). Rules are evaluated here against a
 * few abstract situations with three-valued logic: a condition the situation cannot decide
 * (a user variable, `changes:`, a literal branch name compared with the default branch) is
 * "unknown", and an unknown rule that would run the job counts as "may run".
 */

export type Situation = 'merge_request' | 'branch' | 'default_branch' | 'tag';

export const SITUATIONS: readonly Situation[] = ['merge_request', 'branch', 'default_branch', 'tag'];

export const SITUATION_TEXT: Record<Situation, string> = {
  merge_request: 'merge request pipelines (from forks too)',
  branch: 'pushes to unprotected branches',
  default_branch: 'pushes to the default branch',
  tag: 'tag pipelines',
};

type Tri = 'true' | 'false' | 'unknown';

/** A variable's value in a situation: unset, a literal, or a symbolic name. */
type Value =
  | { kind: 'unset' }
  | { kind: 'lit'; value: string }
  /** `fresh`: a name chosen by whoever pushes, different from every literal the config compares with. */
  | { kind: 'sym'; id: string; fresh: boolean };

const lit = (value: string): Value => ({ kind: 'lit', value });
const sym = (id: string, fresh = false): Value => ({ kind: 'sym', id, fresh });
const UNSET: Value = { kind: 'unset' };

function situationVars(s: Situation, source: string): Map<string, Value> {
  const v = new Map<string, Value>();
  v.set('CI_DEFAULT_BRANCH', sym('DEFAULT'));
  v.set('CI_PIPELINE_SOURCE', lit(source));
  v.set('CI_COMMIT_SHA', sym('SHA'));
  v.set('CI_PROJECT_ID', sym('PROJECT'));
  v.set('CI_PROJECT_PATH', sym('PROJECT_PATH'));
  switch (s) {
    case 'merge_request':
      if (source !== 'parent_pipeline') v.set('CI_PIPELINE_SOURCE', lit('merge_request_event'));
      for (const k of ['ID', 'IID', 'TITLE', 'PROJECT_ID', 'PROJECT_PATH', 'REF_PATH', 'EVENT_TYPE', 'DIFF_BASE_SHA']) v.set(`CI_MERGE_REQUEST_${k}`, sym(`MR_${k}`));
      // The situation is a merge request from a fork: its source project is not this project.
      v.set('CI_MERGE_REQUEST_SOURCE_PROJECT_ID', sym('FORK_ID', true));
      v.set('CI_MERGE_REQUEST_SOURCE_PROJECT_PATH', sym('FORK_PATH', true));
      v.set('CI_MERGE_REQUEST_PROJECT_ID', sym('PROJECT'));
      v.set('CI_MERGE_REQUEST_PROJECT_PATH', sym('PROJECT_PATH'));
      v.set('CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', sym('MR_SOURCE', true));
      v.set('CI_MERGE_REQUEST_TARGET_BRANCH_NAME', sym('MR_TARGET'));
      v.set('CI_COMMIT_REF_NAME', sym('MR_SOURCE', true));
      v.set('CI_COMMIT_REF_SLUG', sym('MR_SOURCE_SLUG', true));
      v.set('CI_COMMIT_BRANCH', UNSET);
      v.set('CI_COMMIT_TAG', UNSET);
      v.set('CI_COMMIT_REF_PROTECTED', lit('false'));
      v.set('CI_EXTERNAL_PULL_REQUEST_IID', UNSET);
      break;
    case 'branch':
      v.set('CI_COMMIT_BRANCH', sym('FEATURE', true));
      v.set('CI_COMMIT_REF_NAME', sym('FEATURE', true));
      v.set('CI_COMMIT_REF_SLUG', sym('FEATURE_SLUG', true));
      v.set('CI_COMMIT_TAG', UNSET);
      v.set('CI_COMMIT_REF_PROTECTED', lit('false'));
      break;
    case 'default_branch':
      v.set('CI_COMMIT_BRANCH', sym('DEFAULT'));
      v.set('CI_COMMIT_REF_NAME', sym('DEFAULT'));
      v.set('CI_COMMIT_TAG', UNSET);
      v.set('CI_COMMIT_REF_PROTECTED', lit('true'));
      break;
    case 'tag':
      v.set('CI_COMMIT_TAG', sym('TAG'));
      v.set('CI_COMMIT_REF_NAME', sym('TAG'));
      v.set('CI_COMMIT_BRANCH', UNSET);
      break;
  }
  return v;
}

function lookup(vars: Map<string, Value>, s: Situation, name: string): Value | undefined {
  const v = vars.get(name);
  if (v) return v;
  // Outside merge request pipelines every CI_MERGE_REQUEST_* variable is unset.
  if (s !== 'merge_request' && name.startsWith('CI_MERGE_REQUEST_')) return UNSET;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Expressions: `$VAR`, "string", 'string', /regex/, null, ==, !=, =~, !~, &&, ||, ( )

type Operand = Value | { kind: 're'; re: RegExp | undefined } | { kind: 'null' };

type Tok = { t: 'var' | 'str' | 're' | 'null' | 'op' | '(' | ')'; v: string };

function tokenize(text: string): Tok[] | undefined {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/.exec(rest))) out.push({ t: 'var', v: m[1]! });
    else if ((m = /^"((?:[^"\\]|\\.)*)"|^'((?:[^'\\]|\\.)*)'/.exec(rest))) out.push({ t: 'str', v: m[1] ?? m[2] ?? '' });
    else if ((m = /^\/((?:[^/\\]|\\.)*)\/([a-z]*)/.exec(rest)) && (out.length === 0 || out[out.length - 1]!.t === 'op')) out.push({ t: 're', v: `${m[1]}\u0000${m[2]}` });
    else if ((m = /^(==|!=|=~|!~|&&|\|\|)/.exec(rest))) out.push({ t: 'op', v: m[1]! });
    else if ((m = /^null\b/.exec(rest))) out.push({ t: 'null', v: 'null' });
    else if (c === '(' || c === ')') {
      out.push({ t: c, v: c });
      m = /^./.exec(rest);
    } else return undefined;
    i += m![0].length;
  }
  return out;
}

export function evalCondition(text: string, s: Situation, source = 'push'): Tri {
  const toks = tokenize(text);
  if (!toks) return 'unknown';
  const vars = situationVars(s, source);
  let pos = 0;
  const operand = (): Operand | undefined => {
    const tk = toks[pos++];
    if (!tk) return undefined;
    if (tk.t === 'var') return lookup(vars, s, tk.v) ?? sym(`?${tk.v}`);
    if (tk.t === 'str') return lit(tk.v);
    if (tk.t === 'null') return { kind: 'null' };
    if (tk.t === 're') {
      const [body, flags] = tk.v.split('\u0000') as [string, string];
      try {
        return { kind: 're', re: new RegExp(body, flags.replace(/[^imsu]/g, '')) };
      } catch {
        return { kind: 're', re: undefined };
      }
    }
    return undefined;
  };
  const primary = (): Tri => {
    if (toks[pos]?.t === '(') {
      pos++;
      const r = or();
      if (toks[pos]?.t === ')') pos++;
      return r;
    }
    const left = operand();
    const op = toks[pos];
    if (op?.t === 'op' && ['==', '!=', '=~', '!~'].includes(op.v)) {
      pos++;
      const right = operand();
      return compare(left, op.v, right);
    }
    return truthy(left);
  };
  const and = (): Tri => {
    let r = primary();
    while (toks[pos]?.t === 'op' && toks[pos]!.v === '&&') {
      pos++;
      r = triAnd(r, primary());
    }
    return r;
  };
  const or = (): Tri => {
    let r = and();
    while (toks[pos]?.t === 'op' && toks[pos]!.v === '||') {
      pos++;
      r = triOr(r, and());
    }
    return r;
  };
  const r = or();
  return pos === toks.length ? r : 'unknown';
}

function isUnknownVar(v: Value): boolean {
  return v.kind === 'sym' && v.id.startsWith('?');
}

function truthy(x: Operand | undefined): Tri {
  if (!x) return 'unknown';
  if (x.kind === 'unset') return 'false';
  if (x.kind === 'lit') return x.value !== '' ? 'true' : 'false';
  if (x.kind === 'sym') return isUnknownVar(x) ? 'unknown' : 'true';
  return 'unknown';
}

function compare(left: Operand | undefined, op: string, right: Operand | undefined): Tri {
  if (!left || !right) return 'unknown';
  const neg = (t: Tri): Tri => (t === 'unknown' ? t : t === 'true' ? 'false' : 'true');
  if (op === '=~' || op === '!~') {
    if (right.kind !== 're' || left.kind === 're' || left.kind === 'null') return 'unknown';
    let t: Tri;
    if (left.kind === 'unset') t = 'false';
    else if (left.kind === 'lit') t = right.re ? (right.re.test(left.value) ? 'true' : 'false') : 'unknown';
    else t = left.fresh ? 'false' : 'unknown'; // a freely named branch is assumed not to match a protected-branch pattern
    return op === '=~' ? t : neg(t);
  }
  const eq = equal(left, right);
  return op === '==' ? eq : neg(eq);
}

function equal(x: Operand, y: Operand): Tri {
  if (x.kind === 're' || y.kind === 're') return 'unknown';
  if ((x.kind === 'sym' && isUnknownVar(x)) || (y.kind === 'sym' && isUnknownVar(y))) return 'unknown';
  if (x.kind === 'null' || y.kind === 'null') {
    const other = x.kind === 'null' ? y : x;
    return other.kind === 'null' || other.kind === 'unset' ? 'true' : 'false';
  }
  if (x.kind === 'unset' || y.kind === 'unset') return x.kind === y.kind ? 'true' : 'false';
  if (x.kind === 'lit' && y.kind === 'lit') return x.value === y.value ? 'true' : 'false';
  if (x.kind === 'sym' && y.kind === 'sym') return x.id === y.id ? 'true' : x.fresh || y.fresh ? 'false' : 'unknown';
  const s = x.kind === 'sym' ? x : y.kind === 'sym' ? y : undefined;
  return s?.fresh ? 'false' : 'unknown';
}

function triAnd(a: Tri, b: Tri): Tri {
  if (a === 'false' || b === 'false') return 'false';
  if (a === 'true' && b === 'true') return 'true';
  return 'unknown';
}

function triOr(a: Tri, b: Tri): Tri {
  if (a === 'true' || b === 'true') return 'true';
  if (a === 'false' && b === 'false') return 'false';
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// rules:, only:/except:, workflow:rules

export interface RunVerdict {
  runs: boolean;
  /** The rule (or only: entry) that lets the job run, for related locations. */
  because?: Val;
}

function ruleMaps(rules: Val | undefined): MapVal[] {
  const out: MapVal[] = [];
  const walk = (v: Val, depth: number): void => {
    if (depth > 10) return;
    if (v.kind === 'map') out.push(v);
    else if (v.kind === 'seq') for (const i of v.items) walk(i, depth + 1);
  };
  if (rules) walk(rules, 0);
  return out;
}

/** First-match evaluation of a `rules:` list: may some rule that does not say `never` apply? */
export function evalRules(rules: Val, s: Situation, source: string): RunVerdict {
  for (const r of ruleMaps(rules)) {
    let cond: Tri = 'true';
    const ifText = str(get(r, 'if'));
    if (get(r, 'if')) cond = ifText === undefined ? 'unknown' : evalCondition(ifText, s, source);
    if (get(r, 'changes') || get(r, 'exists')) cond = triAnd(cond, 'unknown');
    const never = str(get(r, 'when')) === 'never';
    if (cond === 'false') continue;
    if (never) {
      if (cond === 'true') return { runs: false };
      continue;
    }
    return { runs: true, because: r };
  }
  return { runs: false };
}

const REF_KEYWORDS: Record<string, readonly Situation[]> = {
  branches: ['branch', 'default_branch'],
  tags: ['tag'],
  merge_requests: ['merge_request'],
  pushes: ['branch', 'default_branch', 'tag'],
};

function refMatches(ref: string, s: Situation, source: string): Tri {
  const kw = REF_KEYWORDS[ref];
  if (kw) return kw.includes(s) ? 'true' : 'false';
  if (['schedules', 'web', 'api', 'triggers', 'external', 'external_pull_requests', 'chat', 'merge_train'].includes(ref)) return 'false';
  if (ref === 'pipelines') return source === 'parent_pipeline' ? 'true' : 'false';
  if (s === 'merge_request' || s === 'branch') return 'false'; // a freely named ref does not match a written name or pattern
  const re = /^\/(.*)\/([a-z]*)$/.exec(ref);
  if (re) return 'unknown';
  return 'unknown'; // the default branch or a tag may carry this name
}

function evalRefs(v: Val | undefined, s: Situation, source: string): { tri: Tri; because?: Val } {
  if (!v) return { tri: 'false' };
  const refsList = v.kind === 'map' ? get(v, 'refs') : v;
  let tri: Tri = refsList ? 'false' : 'true';
  let because: Val | undefined;
  for (const r of flatScalars(refsList)) {
    const m = refMatches(String(r.value), s, source);
    if (m !== 'false' && !because) because = r;
    tri = triOr(tri, m);
  }
  if (v.kind === 'map') {
    const vars = flatScalars(get(v, 'variables'));
    if (vars.length > 0) {
      let any: Tri = 'false';
      for (const e of vars) any = triOr(any, evalCondition(String(e.value), s, source));
      tri = triAnd(tri, any);
    }
    if (get(v, 'changes') || get(v, 'kubernetes')) tri = triAnd(tri, 'unknown');
  }
  return { tri, ...(because ? { because } : {}) };
}

export function evalOnlyExcept(only: Val | undefined, except: Val | undefined, s: Situation, source: string): RunVerdict {
  const o = only ? evalRefs(only, s, source) : { tri: (s === 'merge_request' && source !== 'parent_pipeline' ? 'false' : 'true') as Tri };
  const e = except ? evalRefs(except, s, source).tri : 'false';
  const res = triAnd(o.tri, e === 'true' ? 'false' : e === 'false' ? 'true' : 'unknown');
  return res === 'false' ? { runs: false } : { runs: true, ...('because' in o && o.because ? { because: o.because } : {}) };
}

function pipelineSource(p: Pipeline): string {
  return p.kind === 'child' ? 'parent_pipeline' : 'push';
}

/** Does the pipeline get created at all in this situation (`workflow:rules`)? */
export function workflowAllows(p: Pipeline, s: Situation): boolean {
  if (!p.workflowRules) return true;
  return evalRules(p.workflowRules, s, pipelineSource(p)).runs;
}

const cache = new WeakMap<Job, Map<Situation, RunVerdict>>();

/** May this job run in this situation? Child pipeline jobs run where their trigger job runs. */
export function jobRuns(job: Job, s: Situation): RunVerdict {
  let per = cache.get(job);
  if (!per) {
    per = new Map();
    cache.set(job, per);
  }
  const hit = per.get(s);
  if (hit) return hit;
  per.set(s, { runs: false }); // guards against a child pipeline triggering itself
  const v = computeRuns(job, s);
  per.set(s, v);
  return v;
}

function computeRuns(job: Job, s: Situation): RunVerdict {
  const p = job.pipeline;
  if (job.hidden) return { runs: false };
  if (p.parentJob && !jobRuns(p.parentJob, s).runs) return { runs: false };
  if (!workflowAllows(p, s)) return { runs: false };
  const source = pipelineSource(p);
  if (job.rules) return evalRules(job.rules, s, source);
  if (job.when === 'never') return { runs: false };
  return evalOnlyExcept(job.only, job.except, s, source);
}

/** Situations a job may run in. */
export function runSituations(job: Job): Situation[] {
  return SITUATIONS.filter((s) => jobRuns(job, s).runs);
}

export { listOf };
