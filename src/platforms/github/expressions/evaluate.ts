import { contextPath, type Expr } from './ast.js';

/** Marker for "not known statically". */
export const UNKNOWN = Symbol('unknown');
export type Value = string | number | boolean | null | typeof UNKNOWN;

/** GitHub's truthiness: false, 0, -0, NaN, '' and null are falsy. */
export function truthy(v: Exclude<Value, typeof UNKNOWN>): boolean {
  return !(v === false || v === null || v === '' || v === 0 || (typeof v === 'number' && Number.isNaN(v)));
}

function toNumber(v: Exclude<Value, typeof UNKNOWN>): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  const t = v.trim();
  if (t === '') return 0;
  const n = Number(t);
  return Number.isNaN(n) ? NaN : n;
}

function looseEquals(a: Exclude<Value, typeof UNKNOWN>, b: Exclude<Value, typeof UNKNOWN>): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b) return a === b;
  return toNumber(a) === toNumber(b);
}

/**
 * What is known about contexts in one scenario, e.g. "this run is a tag push": exact values
 * (`github.event_name` → `push`) and known prefixes (`github.ref` starts with `refs/tags/`).
 * Paths are lower-case dotted context paths.
 */
export interface ContextFacts {
  values?: ReadonlyMap<string, string | number | boolean | null>;
  prefixes?: ReadonlyMap<string, string>;
}

function knownPrefix(e: Expr, facts: ContextFacts | undefined): string | undefined {
  if (!facts?.prefixes) return undefined;
  const path = contextPath(e);
  return path ? facts.prefixes.get(path.join('.'))?.toLowerCase() : undefined;
}

/** `x == 'lit'` where only a prefix of x is known: false when the literal cannot have that prefix. */
function prefixEquals(l: Expr, r: Expr, facts: ContextFacts | undefined): false | undefined {
  for (const [a, b] of [[l, r], [r, l]] as const) {
    const prefix = knownPrefix(a, facts);
    if (prefix === undefined) continue;
    const v = evaluate(b, facts);
    if (typeof v === 'string' && !v.toLowerCase().startsWith(prefix)) return false;
  }
  return undefined;
}

/**
 * Constant folding: evaluates what can be known without a run (literals, operators and pure
 * functions over literals). Contexts are UNKNOWN unless `facts` knows them; status functions are UNKNOWN.
 */
export function evaluate(e: Expr, facts?: ContextFacts): Value {
  switch (e.type) {
    case 'literal':
      return e.value;
    case 'ident':
    case 'member':
    case 'index': {
      const path = facts?.values ? contextPath(e) : undefined;
      const v = path ? facts!.values!.get(path.join('.')) : undefined;
      return v === undefined ? UNKNOWN : v;
    }
    case 'unary': {
      const t = truthiness(e.operand, facts);
      return t === UNKNOWN ? UNKNOWN : !t;
    }
    case 'logical': {
      // Value semantics: `a && b` is a when a is falsy, else b; `a || b` is a when a is truthy, else
      // b. With a unknown the value is unknown even when its truthiness is not (see truthiness()).
      const l = evaluate(e.left, facts);
      if (l === UNKNOWN) return UNKNOWN;
      if (e.op === '&&') return truthy(l) ? evaluate(e.right, facts) : l;
      return truthy(l) ? l : evaluate(e.right, facts);
    }
    case 'binary': {
      if (e.op === '==' || e.op === '!=') {
        const known = prefixEquals(e.left, e.right, facts);
        if (known === false) return e.op === '!=';
      }
      const l = evaluate(e.left, facts);
      const r = evaluate(e.right, facts);
      if (l === UNKNOWN || r === UNKNOWN) return UNKNOWN;
      switch (e.op) {
        case '==':
          return looseEquals(l, r);
        case '!=':
          return !looseEquals(l, r);
        default: {
          // Two strings are ordered like GitHub's runner orders them (ordinal, ignoring case:
          // both sides upper-cased, as .NET's OrdinalIgnoreCase does); anything else is compared
          // as numbers, where NaN makes every comparison false.
          const strings = typeof l === 'string' && typeof r === 'string';
          const a = strings ? l.toUpperCase() : toNumber(l);
          const b = strings ? r.toUpperCase() : toNumber(r);
          if (e.op === '<') return a < b;
          if (e.op === '<=') return a <= b;
          if (e.op === '>') return a > b;
          return a >= b;
        }
      }
    }
    case 'call': {
      const prefix = e.callee === 'startswith' && e.args[0] ? knownPrefix(e.args[0], facts) : undefined;
      if (prefix !== undefined) {
        const lit = e.args[1] ? evaluate(e.args[1], facts) : UNKNOWN;
        if (typeof lit === 'string') {
          const l = lit.toLowerCase();
          if (prefix.startsWith(l)) return true;
          if (!l.startsWith(prefix)) return false;
        }
      }
      return evaluateCall(e.callee, e.args.map((a) => evaluate(a, facts)));
    }
    default:
      return UNKNOWN;
  }
}

/**
 * Truthiness of an expression as a condition: like evaluate() followed by truthy(), but `x || true`
 * is known true and `x && false` known false even though their values are not.
 */
export function truthiness(e: Expr, facts?: ContextFacts): boolean | typeof UNKNOWN {
  if (e.type === 'logical') {
    const l = truthiness(e.left, facts);
    if (e.op === '&&' && l === false) return false;
    if (e.op === '||' && l === true) return true;
    const r = truthiness(e.right, facts);
    if (l !== UNKNOWN) return r;
    if (e.op === '&&') return r === false ? false : UNKNOWN;
    return r === true ? true : UNKNOWN;
  }
  if (e.type === 'unary') {
    const t = truthiness(e.operand, facts);
    return t === UNKNOWN ? UNKNOWN : !t;
  }
  const v = evaluate(e, facts);
  return v === UNKNOWN ? UNKNOWN : truthy(v);
}

function evaluateCall(name: string, args: Value[]): Value {
  if (args.some((a) => a === UNKNOWN)) return UNKNOWN;
  const a = args as Array<Exclude<Value, typeof UNKNOWN>>;
  const str = (v: Exclude<Value, typeof UNKNOWN> | undefined): string => (v === null || v === undefined ? '' : String(v));
  switch (name) {
    case 'contains':
      return str(a[0]).toLowerCase().includes(str(a[1]).toLowerCase());
    case 'startswith':
      return str(a[0]).toLowerCase().startsWith(str(a[1]).toLowerCase());
    case 'endswith':
      return str(a[0]).toLowerCase().endsWith(str(a[1]).toLowerCase());
    case 'format':
      return str(a[0]).replace(/\{(\d+)\}/g, (_, i: string) => str(a[Number(i) + 1]));
    default:
      return UNKNOWN;
  }
}
