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
  /** The oldest step (where the flow starts), kept so that telling taints apart does not walk the list. */
  root: Step | undefined;
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
  /** originKey's memo (values.ts); checked against the fields it was built from before use. */
  keyCache?: { o: Origin; obj: boolean; pre: string | undefined; root: ts.Node | undefined; key: string; id: number; gen: number };
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
  /** Bumped by every write to this object (setProp, setElem): deep-taint memos check it. */
  ver?: number;
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

/**
 * Widening bounds. Past MAX_TAINTS distinct taints a value's source taints are merged into coarser
 * ones (see widenTaints); past MAX_UNION heap objects the extra objects are collapsed into taints of
 * the value itself (see join). Both keep every taint (sound) and lose precision (which read, which
 * field), so a value can no longer grow with every join or every instantiated summary.
 */
export const MAX_TAINTS = 12;
export const MAX_UNION = 16;
/** Last resort after widening: distinct (category, confidence, shape) groups of source taints. */
const MAX_SOURCE_GROUPS = 24;
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
  return `${originKey(t)}|${t.clean}`;
}

/**
 * What tells two taints apart once their sanitisation is ignored: the origin (a placeholder's
 * parameter and path; a source's label and where it was read) and the two facts sinks decide on
 * (may be an object; the constant text before it). Taints with the same origin key are merged.
 */
function originKey(t: Taint): string {
  return originCache(t).key;
}

/**
 * originKey as a small number (equal keys, equal numbers): what the first pass of widenTaints
 * compares. Placeholder keys name a frame, so a run makes millions of distinct keys: the table
 * starts again past MAX_ORIGIN_IDS entries (keys seen since keep their numbers; an older number is
 * looked up again on use), so it does not keep every key of the run alive.
 */
function originId(t: Taint): number {
  const c = originCache(t);
  if (c.gen !== originGen) {
    c.id = internOrigin(c.key);
    c.gen = originGen;
  }
  return c.id;
}

const MAX_ORIGIN_IDS = 100_000;
let originIds = new Map<string, number>();
let originGen = 0;
let nextOriginId = 1;

function internOrigin(key: string): number {
  let id = originIds.get(key);
  if (id !== undefined) return id;
  if (originIds.size >= MAX_ORIGIN_IDS) {
    originIds = new Map();
    originGen++;
  }
  originIds.set(key, (id = nextOriginId++));
  return id;
}

function originCache(t: Taint): NonNullable<Taint['keyCache']> {
  // The same taints are widened again at every join: keep the key on the taint, with what it was
  // built from, so a copy made by spreading (`{ ...t, clean }`) reuses it unless one of those changed.
  // The key reads the oldest step's node only (stepAnchor), and a placeholder's not even that, so a
  // rebuilt step list with the same first node keeps it. The number is taken when first asked for
  // (originId): mergeBy by key strings (long lists, substituted taints) needs none.
  const c = t.keyCache;
  const root = t.step?.root?.node;
  if (c && c.o === t.o && c.obj === t.obj && c.pre === t.pre && (c.root === root || t.o.kind === 'ph')) return c;
  return (t.keyCache = { o: t.o, obj: t.obj, pre: t.pre, root, key: buildOriginKey(t), id: 0, gen: -1 });
}

function buildOriginKey(t: Taint): string {
  const o = t.o;
  const base = o.kind === 'ph' ? `p${o.frame}:${o.index}${o.path}` : `s${o.label}|${o.category}|${o.store ?? ''}|${o.confidence}|${stepAnchor(t.step)}`;
  return `${base}|${t.obj ? 1 : 0}|${t.pre ?? '\u0000'}`;
}

/** Source taints are told apart by where they were read (the oldest step). */
const anchors = new WeakMap<ts.Node, string>();
function stepAnchor(s: Step | undefined): string {
  const first = s?.root;
  if (!first) return '';
  let a = anchors.get(first.node);
  if (a === undefined) anchors.set(first.node, (a = `${first.node.getSourceFile().fileName}:${first.node.pos}`));
  return a;
}

/**
 * Frames whose placeholders can still be substituted: the calls being analysed and the scopes
 * their closures captured (a closure's summary is instantiated with its creator's arguments). A
 * placeholder of any other frame reached a value through a shared heap object after its call was
 * summarised; no substitution will ever replace it (pending sinks that hold one are dropped at the
 * root), so it can never become a finding. Such dangling placeholders are dropped when a list of
 * taints is widened: left alone they piled up in shared objects (dozens of finished frames per value
 * when analysing an interpreter such as this engine) and every join paid for them.
 */
const liveFrames = new Map<number, number>();

export function enterFrames(ids: readonly number[]): void {
  for (const id of ids) liveFrames.set(id, (liveFrames.get(id) ?? 0) + 1);
}

export function exitFrames(ids: readonly number[]): void {
  for (const id of ids) {
    const n = liveFrames.get(id) ?? 0;
    if (n <= 1) liveFrames.delete(id);
    else liveFrames.set(id, n - 1);
  }
}

function isDead(t: Taint): boolean {
  return t.o.kind === 'ph' && !liveFrames.has(t.o.frame);
}

/**
 * Two taints of one origin as one, over-approximating both: sanitised only for what both are
 * sanitised for, a whole request container only if both are, the shorter path kept for the report.
 */
function mergeTaint(a: Taint, b: Taint): Taint {
  const clean = a.clean & b.clean;
  const whole = a.whole && b.whole;
  const step = (b.step?.n ?? 0) < (a.step?.n ?? 0) ? b.step : a.step;
  if (clean === a.clean && !!whole === !!a.whole && step === a.step) return a;
  const out: Taint = { ...a, clean, step };
  if (whole) out.whole = true;
  else delete out.whole;
  return out;
}

function mergeBy(list: readonly Taint[], key: (t: Taint) => string, origin?: (t: Taint) => Origin): Taint[] {
  const groups = new Map<string, Taint>();
  for (const t of list) {
    if (isDead(t)) continue;
    const k = key(t);
    const prev = groups.get(k);
    groups.set(k, prev ? mergeTaint(prev, t) : origin ? { ...t, o: origin(t) } : t);
  }
  return [...groups.values()];
}

/**
 * mergeBy(list, originKey) without a map of strings: the lists widened at every join are short
 * (two widened lists of at most a few dozen taints), so comparing interned origin numbers in a
 * scan is cheaper than hashing. Same groups in the same order, so the same result.
 */
const SCAN_LIMIT = 64;
const scanIds: number[] = [];
function mergeByOrigin(list: readonly Taint[]): Taint[] {
  if (list.length > SCAN_LIMIT) return mergeBy(list, originKey);
  const gen = originGen;
  const out: Taint[] = [];
  let n = 0;
  for (const t of list) {
    if (isDead(t)) continue;
    const id = originId(t);
    let i = 0;
    while (i < n && scanIds[i] !== id) i++;
    if (i < n) out[i] = mergeTaint(out[i]!, t);
    else {
      scanIds[n++] = id;
      out.push(t);
    }
  }
  // The table started again during the scan: numbers from before and after do not compare.
  return gen === originGen ? out : mergeBy(list, originKey);
}

/**
 * The taints of a value, deduplicated and widened to a bounded number. Dropping taints past a cap
 * (what this did before) lost flows; instead, past MAX_TAINTS, source taints are merged first
 * regardless of where they were read (one label, the first read site named), then regardless of
 * label (one representative per category, confidence and shape, its label saying it stands for
 * several). Sanitisation merges as the intersection, so a merged taint is never cleaner than any of
 * its parts. Placeholder taints are never merged across paths (each names a different argument
 * field the caller substitutes); their number is bounded by the parameters and MAX_PATH.
 */
export function widenTaints(list: readonly Taint[]): readonly Taint[] {
  if (list.length === 0) return list;
  if (list.length === 1) return isDead(list[0]!) ? [] : list;
  let out = mergeByOrigin(list);
  if (out.length <= MAX_TAINTS) return out.length === list.length ? list : out;
  out = widenPaths(out, false);
  if (out.length <= MAX_TAINTS) return out;
  if (out.length > MAX_PH_TAINTS && out.filter((t) => t.o.kind === 'ph').length > MAX_PH_TAINTS) out = widenPaths(out, true);
  const shape = (t: Taint): string => `${t.obj ? 1 : 0}|${t.pre ?? '\u0000'}`;
  const srcKey1 = (t: Taint): string => (t.o.kind === 'ph' ? originKey(t) : `s${t.o.label}|${t.o.category}|${t.o.store ?? ''}|${t.o.confidence}|${shape(t)}`);
  out = mergeBy(out, srcKey1);
  if (out.length <= MAX_TAINTS) return out;
  const srcKey2 = (t: Taint): string => (t.o.kind === 'ph' ? originKey(t) : `s${t.o.category}|${t.o.confidence}|${shape(t)}`);
  const groups = new Map<string, { labels: Set<string>; deep: boolean }>();
  for (const t of out) {
    if (t.o.kind !== 'source') continue;
    const g = groups.get(srcKey2(t)) ?? { labels: new Set<string>(), deep: false };
    g.labels.add(t.o.label);
    g.deep ||= t.o.deepObj;
    groups.set(srcKey2(t), g);
  }
  out = mergeBy(out, srcKey2, (t) => {
    if (t.o.kind !== 'source') return t.o;
    const g = groups.get(srcKey2(t))!;
    if (g.labels.size < 2) return t.o;
    const { store: _store, ...rest } = t.o;
    return { ...rest, label: t.o.label.endsWith(OR_ANOTHER) ? t.o.label : `${t.o.label}${OR_ANOTHER}`, deepObj: g.deep };
  });
  // Still too many only with many distinct constant prefixes: keep the groups sinks care most about
  // (an unknown or empty prefix is what open-redirect/ssrf/xss accept) and fold the rest together.
  const src = out.filter((t) => t.o.kind === 'source');
  if (src.length <= MAX_SOURCE_GROUPS) return out;
  const ph = out.filter((t) => t.o.kind === 'ph');
  const keep = src.slice(0, MAX_SOURCE_GROUPS - 1);
  const rest = src.slice(MAX_SOURCE_GROUPS - 1).map((t) => ({ ...t, pre: '' as string | undefined, obj: true }));
  return [...ph, ...keep, ...mergeBy(rest, srcKey2)];
}

const OR_ANOTHER = ' (or another source)';

/** A placeholder path ending in this segment stands for every taint at or under the path before it. */
export const DEEP_SEG = '**';
/** Distinct access paths kept per parameter (and constant prefix) before they are folded into one deep path. */
const MAX_PH_PATHS = 4;
/**
 * Placeholder taints kept in one value before those of each parameter are folded into one,
 * regardless of constant prefix (many distinct prefixes kept values of hundreds of thousands).
 */
const MAX_PH_TAINTS = 48;

/**
 * Placeholder taints name a parameter and an access path (`.body.name`); a summary that reads many
 * fields of a parameter (this engine reading `v.t`, `v.objs`, `o.elem.t`, … of its own values) had
 * thousands of them, every one substituted separately at every call. Past MAX_PH_PATHS paths of one
 * parameter they are folded into their longest common prefix followed by `**`, which substitution
 * reads as every taint at or under that prefix: more than each path had, never less.
 */
function widenPaths(list: readonly Taint[], anyPrefix: boolean): Taint[] {
  const groups = new Map<string, Taint[]>();
  const out: Taint[] = [];
  for (const t of list) {
    if (t.o.kind !== 'ph') {
      out.push(t);
      continue;
    }
    const k = anyPrefix ? `${t.o.frame}:${t.o.index}` : `${t.o.frame}:${t.o.index}|${t.pre ?? '\u0000'}`;
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  for (const g of groups.values()) {
    if (g.length <= (anyPrefix ? 1 : MAX_PH_PATHS)) {
      for (const t of g) out.push(t);
      continue;
    }
    const paths = g.map((t) => (t.o as PlaceholderOrigin).path.split('.').slice(1));
    let common = paths[0]!.filter((s) => s !== DEEP_SEG);
    for (const p of paths) {
      let i = 0;
      while (i < common.length && i < p.length && common[i] === p[i]) i++;
      common = common.slice(0, i);
    }
    const first = g[0]!;
    const o = first.o as PlaceholderOrigin;
    let merged: Taint = { ...first, o: { ...o, path: [''].concat(common, DEEP_SEG).join('.') }, obj: g.some((t) => t.obj) };
    // Folded regardless of their constant prefixes: the prefix is no longer known.
    if (anyPrefix && g.some((t) => t.pre !== first.pre)) merged = { ...merged, pre: undefined };
    for (const t of g.slice(1)) merged = mergeTaint(merged, t);
    out.push(merged);
  }
  return out;
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

function unionTaints(a: readonly Taint[] | undefined, b: readonly Taint[] | undefined): readonly Taint[] | undefined {
  if (!a?.length) return b;
  if (!b?.length) return a;
  return widenTaints([...a, ...b]);
}

/**
 * Heap objects of a value, deduplicated; past MAX_UNION the extra objects are collapsed into
 * taints: every taint reachable from their fields becomes a taint of the value itself, marked as
 * possibly an object so that any field read from the value still carries it ("tainted if any part
 * is"). Their shape (which field holds what, functions stored in them) is lost.
 */
export function unionObjs(list: readonly Obj[]): { objs: readonly Obj[]; spill: Taint[] } {
  const seen = new Set<number>();
  const objs: Obj[] = [];
  const spilled: Obj[] = [];
  for (const o of list) {
    if (seen.has(o.id)) continue;
    seen.add(o.id);
    (objs.length < MAX_UNION ? objs : spilled).push(o);
  }
  if (!spilled.length) return { objs: objs.length === list.length ? list : objs, spill: [] };
  const spill = deepTaints({ objs: spilled }).map((t) => (t.obj ? t : { ...t, obj: true }));
  return { objs, spill };
}

export function join(a: Value | undefined, b: Value | undefined): Value {
  if (!a || a === EMPTY) return b ?? EMPTY;
  if (!b || b === EMPTY || a === b) return a;
  let t = unionTaints(a.t, b.t);
  let objs: readonly Obj[] | undefined = a.objs?.length ? a.objs : b.objs;
  if (a.objs?.length && b.objs?.length) {
    const u = unionObjs([...a.objs, ...b.objs]);
    objs = u.objs;
    if (u.spill.length) t = widenTaints([...(t ?? []), ...u.spill]);
  }
  const out: Value = {
    t,
    objs,
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
  const out: Step = { node, msg, prev: step, n: (step?.n ?? 0) + 1, root: undefined };
  out.root = step ? step.root : out;
  return out;
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

/**
 * The taints of a value and, shallowly, of its objects' fields (what string conversion of the whole
 * may include), deduplicated and widened: up to 16 objects of 3 levels of fields hold thousands of
 * taints, most of them the same few, and the result becomes a value's own taints.
 */
export function deepTaints(v: Value, depth = 3): Taint[] {
  const out: Taint[] = [];
  collectDeep(v, depth, out);
  return [...widenTaints(out)];
}

function collectDeep(v: Value, depth: number, out: Taint[]): void {
  if (v.t) for (const t of v.t) out.push(t);
  if (depth <= 0 || !v.objs) return;
  for (const o of v.objs) {
    const d = objDeep(o, depth);
    for (const t of d) out.push(t);
  }
}

/**
 * Bumped by every write to a heap object (and the object's own `ver` with it). The deep taints of
 * an object are memoised: joining values of many objects spills the extra ones (unionObjs) again
 * and again, and reading a field of 16 objects joins 16 values that share most of their objects,
 * so without the memo the same object graphs were collected and widened millions of times (most of
 * `sast .` on this repository). A memo is valid while no heap write happened since, or, after
 * writes elsewhere, while the versions of the objects it was built from add up to the same sum:
 * versions only grow and a changed shape means a write to the object holding it, so an equal sum
 * means nothing under it changed. Checking walks the objects but builds and widens no lists.
 */
let heapEpoch = 0;

interface DeepEntry {
  epoch: number;
  versions: number;
  taints: readonly Taint[];
}
const deepMemo = new WeakMap<Obj, (DeepEntry | undefined)[]>();

/** The sum of the versions of an object and the objects under it that objDeep(o, depth) reads. */
function deepVersion(o: Obj, depth: number): number {
  let sum = o.ver ?? 0;
  if (depth <= 1) return sum;
  for (const p of o.props.values()) if (p.objs) for (const c of p.objs) sum += deepVersion(c, depth - 1);
  if (o.elem?.objs) for (const c of o.elem.objs) sum += deepVersion(c, depth - 1);
  return sum;
}

/** The taints of an object's fields down to `depth` levels, widened. */
function objDeep(o: Obj, depth: number): readonly Taint[] {
  let byDepth = deepMemo.get(o);
  const hit = byDepth?.[depth];
  if (hit?.epoch === heapEpoch) return hit.taints;
  const versions = deepVersion(o, depth);
  if (hit?.versions === versions) {
    hit.epoch = heapEpoch;
    return hit.taints;
  }
  const out: Taint[] = [];
  for (const p of o.props.values()) collectDeep(p, depth - 1, out);
  if (o.elem) collectDeep(o.elem, depth - 1, out);
  const taints = widenTaints(out);
  if (!byDepth) deepMemo.set(o, (byDepth = []));
  byDepth[depth] = { epoch: heapEpoch, versions, taints };
  return taints;
}

/** Sets a field of a heap object (every write goes through here or setElem, so memos see it). */
export function setProp(o: Obj, key: string, v: Value): void {
  heapEpoch++;
  o.ver = (o.ver ?? 0) + 1;
  o.props.set(key, v);
}

/** Sets the "any other key" value of a heap object (array elements, computed keys). */
export function setElem(o: Obj, v: Value | undefined): void {
  heapEpoch++;
  o.ver = (o.ver ?? 0) + 1;
  o.elem = v;
}

export function newObj(props?: Map<string, Value>, cls?: ClassVal): Obj {
  return { id: freshId(), props: props ?? new Map(), elem: undefined, ...(cls && { cls }) };
}

export function objValue(o: Obj): Value {
  return { objs: [o] };
}

export function writeProp(o: Obj, key: string | undefined, v: Value): void {
  if (key === undefined) setElem(o, join(o.elem, v));
  // Weak update: an object value may stand for several runtime objects.
  else setProp(o, key, join(o.props.get(key), v));
}
