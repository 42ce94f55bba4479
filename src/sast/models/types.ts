/**
 * The contract between the taint engine and the library models. A model describes an API node
 * type (`express.res`, `pg.client`, `child_process.exec`): what reading its members yields, what
 * calling or constructing it does (sinks, sources, sanitisers, callbacks), what assigning to it
 * does (`el.innerHTML = x`). Types are plain strings so models stay data-like and cheap to add.
 */
import type * as ts from 'typescript';
import type { Confidence } from '../../core/finding.js';
import type { TaintRule } from '../kinds.js';
import type { SourceCategory, Taint, Value } from '../values.js';

export interface SinkOptions {
  /** What the sink is called in messages, e.g. `db.query`. Defaults to the callee text. */
  label?: string;
  confidence?: Confidence;
  /** Extra condition on each taint (URL prefix for SSRF, object shape for NoSQL). */
  accept?: (t: Taint) => boolean;
  /** A word on why this is dangerous, appended to the message. */
  note?: string;
  /** Include the taints of the value's fields (query objects, option objects). Default: the value's own taints. */
  deep?: boolean;
}

export interface SourceOptions {
  category?: SourceCategory;
  confidence?: Confidence;
  /** The value is an object (a parsed body), so it can smuggle NoSQL operators. */
  obj?: boolean;
  /** Fields of the value may be objects too (parsed JSON bodies); default: same as `obj`. */
  deepObj?: boolean;
  /** The value is the whole container (`req.query`), sent as JSON rather than HTML by res.send. */
  whole?: boolean;
  store?: string;
}

/** What a call model sees and can do. The engine implements it. */
export interface CallCtx {
  readonly node: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression | ts.Node;
  readonly args: readonly Value[];
  readonly argNodes: readonly (ts.Expression | undefined)[];
  /** The receiver for a method call (`db` in `db.query(x)`). */
  readonly recv: Value | undefined;
  /** Callee text as written (`db.query`), for messages. */
  readonly callee: string;
  /** The API type being called (with any `#suffix` a model attached, e.g. `sqlite.stmt#sql:users`). */
  readonly type: string;
  arg(i: number): Value;
  /** Constant string of an argument, if known. */
  str(i: number): string | undefined;
  /** A field of an argument (options objects). */
  prop(v: Value, key: string): Value;
  sink(rule: TaintRule, v: Value, at: ts.Node | undefined, opts?: SinkOptions): void;
  source(label: string, opts?: SourceOptions): Value;
  api(...types: string[]): Value;
  /** Calls every function the value may be, now, with these arguments; returns what they return. */
  call(fn: Value, args: readonly Value[], thisArg?: Value): Value;
  /** Registers a framework entry point (a route handler): called with these arguments once modules are loaded. */
  entry(fn: Value, args: readonly Value[], thisArg?: Value): void;
  /** Taints of the values, as a plain string value (propagation through a library call). */
  propagate(...vs: Value[]): Value;
  /** Same value with some kinds sanitised. */
  clean(v: Value, kinds: number): Value;
  /** Records that request data was written to a store (second-order flows). */
  storeWrite(store: string, v: Value): void;
  /** A value read back from a store: a second-order source if the store was ever written from request data. */
  storeRead(store: string, label: string): Value;
  /** A credential parameter: string literals reaching it are hard-coded secrets. */
  hardcoded(v: Value, label: string): void;
  /** Package version range from the scanned project's package.json, if declared. */
  dependencyVersion(pkg: string): string | undefined;
  /** An instance of the class argument i names (`inject(ActivatedRoute)`), resolved like a type annotation. */
  instanceOf(i: number): Value;
  /** Renders a view template with these locals: its raw outputs become XSS sinks. */
  render(view: string, locals: Value): void;
  /** Reads a configurable flag set by another call (`app.use(mongoSanitize())`). */
  flag(name: string): boolean;
  setFlag(name: string): void;
}

export interface AssignCtx {
  readonly node: ts.Node;
  readonly value: Value;
  readonly target: string;
  sink(rule: TaintRule, v: Value, at: ts.Node | undefined, opts?: SinkOptions): void;
}

export interface ApiModel {
  /** Member name → API type. Members not listed get the synthetic type `TYPE.name`. */
  members?: Record<string, string>;
  /** Reading a value of this type yields this source. */
  source?: { label: string } & SourceOptions;
  call?: (c: CallCtx) => Value | void;
  construct?: (c: CallCtx) => Value | void;
  /** Assignment to a member of this type (`ctx.body = x`, `location.href = x`). */
  assign?: (c: AssignCtx) => void;
  /** Used as a tagged template (`sql\`...\``). */
  tag?: (c: CallCtx) => Value | void;
}

export type ModelTable = Record<string, ApiModel>;
