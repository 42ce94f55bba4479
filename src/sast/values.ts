/**
 * The abstract values the taint engine computes. A Value over-approximates what an expression can
 * evaluate to: which taints it carries (from which source, sanitised for which kinds), which heap
 * objects it may point to (field-sensitive), which functions, classes and library API nodes it may
 * be. Values are immutable; heap objects (Obj) are the only mutable part, so aliasing works.
 */
import type * as ts from 'typescript';
import type { Confidence } from '../core/finding.js';

/** One step of a flow, newest first (a persistent list, so sharing prefixes is free). */
export interface Step {
  node: ts.Node;
  msg: string;
  prev: Step | undefined;
  n: number;
}

export type SourceCategory = 'remote' | 'client' | 'stored' | 'environment' | 'argv' | 'custom';

export interface SourceOrigin {
  kind: 'source';
  /** What the user reads in a message: `req.query`, `location.hash`. */
  label: string;
  category: SourceCategory;
  confidence: Confidence;
  /** For second-order sources: the store (table, collection, URL) the value was read back from. */
  store?: string;
  /** Fields of the source may themselves be objects (parsed bodies), not only strings (headers, params). */
  deepObj: boolean;
}

/** A parameter of the function being summarised, at an access path (`.body.name`). */
export interface PlaceholderOrigin {
  kind: 'ph';
  frame: number;
  index: number;
  path: string;
}

export type Origin = SourceOrigin | PlaceholderOrigin;

export interface Taint {
  o: Origin;
  /** Bitmask of kinds this value has been sanitised for (kinds.ts). */
  clean: number;
  /** May be an object or array, not only a string (matters for NoSQL operator injection). */
  obj: boolean;
  /** The whole request container (`req.query`): res.send sends it as JSON, not HTML. */
  whole?: boolean;
  /** Constant text known to precede the tainted part ('' = the value starts with it); undefined when unknown. */
  pre: string | undefined;
  step: Step | undefined;
}

/**
 * A logged value that can be text: a request field (`req.body.user`, usually a string) can carry
 * CR/LF; a whole container (`req.body`) is printed as an object, with its strings escaped.
 */
export const loggedAsText = (t: Taint): boolean => !t.whole;

export interface Env {
  id: number;
  vars: Map<ts.Symbol, Value>;
  parent: Env | undefined;
  /** The module this scope belongs to (for reading module-level declarations). */
  file: ts.SourceFile;
}

export interface Fn {
  id: number;
  decl: ts.SignatureDeclaration;
  env: Env | undefined;
  boundThis?: Value;
  boundArgs?: readonly Value[];
  /** `this` of an arrow function is its creator's. */
  lexicalThis?: Value;
  /** The class a method belongs to, for `super` and DI. */
  home?: ClassVal;
  /** A closure returned from a summarised call keeps how to instantiate that call's placeholders. */
  bindings?: readonly Binding[];
}

export interface Binding {
  frame: number;
  args: readonly Value[];
}

export interface ClassVal {
  id: number;
  decl: ts.ClassLikeDeclaration;
  env: Env | undefined;
}

export interface Obj {
  id: number;
  props: Map<string, Value>;
  /** Any other key: array elements, computed keys. */
  elem: Value | undefined;
  cls?: ClassVal;
  /** This object stands for a parameter of a summarised call: writes to it are replayed on the real one. */
  ph?: { frame: number; index: number; path: string };
  /** Values for keys never written (a placeholder object's unread fields). */
  lazy?: (key: string) => Value;
}

export interface Value {
  t?: readonly Taint[];
  objs?: readonly Obj[];
  fns?: readonly Fn[];
  classes?: readonly ClassVal[];
  /** Library API nodes (models/types.ts), e.g. `express.res`. */
  api?: readonly string[];
  /** The constant string this value is known to be. */
  str?: string;
  /** Known to be a number or boolean: cannot carry an injection. */
  prim?: boolean;
  /** String literals this value may be (for hard-coded secrets: `process.env.KEY || 'dev-key'`). */
  lits?: readonly Lit[];
}

export interface Lit {
  text: string;
  node: ts.Node;
}

export const EMPTY: Value = Object.freeze({}) as Value;

const MAX_TAINTS = 12;
const MAX_UNION = 16;
export const MAX_STEPS = 40;

let nextId = 1;
export function freshId(): number {
  return nextId++;
}

export function isEmpty(v: Value): boolean {
  return !v.t?.length && !v.objs?.length && !v.fns?.length && !v.classes?.length && !v.api?.length && v.str === undefined && !v.lits?.length;
}

export function strValue(s: string): Value {
  return { str: s };
}

export function taintKey(t: Taint): string {
  const o = t.o;
  const base = o.kind === 'ph' ? `p${o.frame}:${o.index}${o.path}` : `s${o.label}|${o.category}|${o.store ?? ''}|${o.confidence}|${stepAnchor(t.step)}`;
  return `${base}|${t.clean}|${t.obj ? 1 : 0}|${t.pre ?? '\u0000'}`;
}

/** Source taints are told apart by where they were read (the oldest step). */
function stepAnchor(s: Step | undefined): string {
  let first = s;
  while (first?.prev) first = first.prev;
  return first ? `${first.node.getSourceFile().fileName}:${first.node.pos}` : '';
}

function unionBy<T>(a: readonly T[] | undefined, b: readonly T[] | undefined, key: (x: T) => unknown, cap: number): readonly T[] | undefined {
  if (!a?.length) return b;
  if (!b?.length) return a;
  const seen = new Set(a.map(key));
  let out: T[] | undefined;
  for (const x of b) {
    const k = key(x);
    if (seen.has(k)) continue;
    seen.add(k);
    (out ??= [...a]).push(x);
    if (out.length >= cap) break;
  }
  return out ?? a;
}

export function join(a: Value | undefined, b: Value | undefined): Value {
  if (!a || a === EMPTY) return b ?? EMPTY;
  if (!b || b === EMPTY || a === b) return a;
  const out: Value = {
    t: unionBy(a.t, b.t, taintKey, MAX_TAINTS),
    objs: unionBy(a.objs, b.objs, (o) => o.id, MAX_UNION),
    fns: unionBy(a.fns, b.fns, (f) => f.id, MAX_UNION),
    classes: unionBy(a.classes, b.classes, (c) => c.id, MAX_UNION),
    api: unionBy(a.api, b.api, (x) => x, MAX_UNION),
    lits: unionBy(a.lits, b.lits, (l) => l.node, 4),
  };
  if (a.str !== undefined && a.str === b.str) out.str = a.str;
  if (a.prim && b.prim) out.prim = true;
  return compact(out);
}

export function joinAll(values: readonly (Value | undefined)[]): Value {
  let v: Value = EMPTY;
  for (const x of values) v = join(v, x);
  return v;
}

function compact(v: Value): Value {
  const out: Value = {};
  if (v.t?.length) out.t = v.t;
  if (v.objs?.length) out.objs = v.objs;
  if (v.fns?.length) out.fns = v.fns;
  if (v.classes?.length) out.classes = v.classes;
  if (v.api?.length) out.api = v.api;
  if (v.str !== undefined) out.str = v.str;
  if (v.prim) out.prim = true;
  if (v.lits?.length) out.lits = v.lits;
  return out;
}

export function withTaints(v: Value, t: readonly Taint[] | undefined): Value {
  return compact({ ...v, t });
}

export function taintsOnly(v: Value): Value {
  return v.t?.length ? { t: v.t } : EMPTY;
}

export function mapTaints(v: Value, f: (t: Taint) => Taint | undefined): Value {
  if (!v.t?.length) return v;
  const t: Taint[] = [];
  for (const x of v.t) {
    const y = f(x);
    if (y) t.push(y);
  }
  return withTaints(v, t);
}

export function addStep(step: Step | undefined, node: ts.Node, msg: string): Step {
  if (step && step.n >= MAX_STEPS) return step;
  // The same node twice in a row says nothing new (a variable read back where it was written).
  if (step && step.node === node) return step;
  return { node, msg, prev: step, n: (step?.n ?? 0) + 1 };
}

export function stepAll(v: Value, node: ts.Node, msg: string): Value {
  return mapTaints(v, (t) => ({ ...t, step: addStep(t.step, node, msg) }));
}

/** Appends `inner` (newest first, rooted at a parameter) after `outer`. */
export function concatSteps(outer: Step | undefined, inner: Step | undefined): Step | undefined {
  if (!inner) return outer;
  const list: Step[] = [];
  for (let s: Step | undefined = inner; s; s = s.prev) list.push(s);
  let out = outer;
  for (let i = list.length - 1; i >= 0; i--) out = addStep(out, list[i]!.node, list[i]!.msg);
  return out;
}

/** Removes kinds from every taint (a sanitiser); taints clean for every kind disappear. */
export function sanitize(v: Value, kinds: number, all: number): Value {
  return mapTaints(v, (t) => {
    const clean = t.clean | kinds;
    return (clean & all) === all ? undefined : { ...t, clean };
  });
}

/** The taints of a value and, shallowly, of its objects' fields (what string conversion of the whole may include). */
export function deepTaints(v: Value, depth = 3, seen = new Set<number>()): Taint[] {
  const out: Taint[] = [...(v.t ?? [])];
  if (depth > 0) {
    for (const o of v.objs ?? []) {
      if (seen.has(o.id)) continue;
      seen.add(o.id);
      for (const p of o.props.values()) out.push(...deepTaints(p, depth - 1, seen));
      if (o.elem) out.push(...deepTaints(o.elem, depth - 1, seen));
    }
  }
  return out;
}

export function newObj(props?: Map<string, Value>, cls?: ClassVal): Obj {
  return { id: freshId(), props: props ?? new Map(), elem: undefined, ...(cls && { cls }) };
}

export function objValue(o: Obj): Value {
  return { objs: [o] };
}

export function writeProp(o: Obj, key: string | undefined, v: Value): void {
  if (key === undefined) o.elem = join(o.elem, v);
  // Weak update: an object value may stand for several runtime objects.
  else o.props.set(key, join(o.props.get(key), v));
}
