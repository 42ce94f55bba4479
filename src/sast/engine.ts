/**
 * The taint engine: an abstract interpreter over the TypeScript AST.
 *
 * Every module's top level is evaluated once (imports evaluate the imported module first). A call
 * to a function of the project is analysed with its arguments abstracted into placeholders, so the
 * result is a summary (return value, sink hits and writes to arguments, all in terms of the
 * parameters) that is reused for every call with the same shape of arguments and instantiated
 * with the real arguments at each call site. Framework registrations (`app.get(path, handler)`)
 * queue the handler as an entry point, called with request/response API values once all modules
 * are loaded. Flow-sensitive within a function (branches are joined, guards refine), weak updates
 * on the heap, promises transparent.
 */
import ts from 'typescript';
import type { Confidence } from '../core/finding.js';
import type { LoadedProgram } from './program.js';
import { ALL_KINDS, bit, mask, type TaintRule } from './kinds.js';
import { regexGuardKinds, replaceCleans } from './guards.js';
import { rawOutputs, viewFiles, type RawOutput } from './templates.js';
import type { SourceText } from './tree.js';
import type { ApiModel, CallCtx, ModelTable, SinkOptions, SourceOptions } from './models/types.js';
import {
  addStep,
  concatSteps,
  deepTaints,
  EMPTY,
  freshId,
  isEmpty,
  join,
  joinAll,
  loggedAsText,
  mapTaints,
  newObj,
  sanitize,
  stepAll,
  withTaints,
  widenTaints,
  unionObjs,
  DEEP_SEG,
  MAX_TAINTS,
  MAX_UNION,
  writeProp,
  setProp,
  setElem,
  enterFrames,
  exitFrames,
  type ClassVal,
  type Env,
  type Fn,
  type Obj,
  type SourceOrigin,
  type Step,
  type Taint,
  type Value,
} from './values.js';

/** A sink reached by a placeholder taint: decided when the summary is instantiated. */
interface Pending {
  rule: TaintRule;
  node: ts.Node;
  label: string;
  taint: Taint;
  conf: Confidence;
  note?: string;
  accept?: (t: Taint) => boolean;
  tpl?: TemplateSink;
}

/** A raw output in a view template, the sink of a flow that leaves the code through res.render. */
export interface TemplateSink {
  file: string;
  output: RawOutput;
}

/** A flow proved into a template: like a TaintHit, located in the template file. */
export interface TemplateHit extends TaintHit {
  tpl: TemplateSink;
}

interface Write {
  frame: number;
  index: number;
  path: string;
  key: string | undefined;
  value: Value;
  /**
   * A write to a heap object the callee did not get through a parameter (one a closure captured:
   * `run((v) => { box.value = v; })`): replayed on that object itself, with the call's arguments.
   */
  obj?: Obj;
}

interface Summary {
  frame: number;
  ret: Value;
  pending: Pending[];
  writes: Write[];
}

interface Frame {
  id: number;
  env: Env;
  thisVal: Value;
  ret: Value;
  pending: Pending[];
  writes: Write[];
  dead: boolean;
  refine: Map<string, number>;
  sf: ts.SourceFile;
  /** Break/continue states of the loops we are in. */
  loopExits: Array<Array<State>>;
}

interface State {
  vars: Map<ts.Symbol, Value>;
  refine: Map<string, number>;
  dead: boolean;
}

interface ModuleState {
  sf: ts.SourceFile;
  env: Env;
  exportsObj: Obj;
  moduleObj: Obj;
  stars: ts.SourceFile[];
  done: boolean;
  esm: boolean;
}

/** A finding the engine proved: source → steps → sink. */
export interface TaintHit {
  rule: TaintRule;
  sink: ts.Node;
  sinkLabel: string;
  source: SourceOrigin;
  /** Newest first: the sink is first, the source last. */
  steps: Step;
  confidence: Confidence;
  note?: string;
}

export interface EngineConfig {
  models: ModelTable;
  /** Module specifier → API type of the module value. */
  modules: (specifier: string) => string | undefined;
  /** Types of library classes used in annotations (`Request` from express) → API type. */
  typeAnnotations: (module: string, name: string) => string | undefined;
  /** Hooks for framework conventions (Next.js files, NestJS controllers). */
  onModule?: (sf: ts.SourceFile, rel: string, exports: Value, e: EngineApi) => void;
  onClass?: (decl: ts.ClassLikeDeclaration, cls: ClassVal, e: EngineApi) => void;
  /** Heuristic entry points for functions nothing called (params named req/res). */
  onUncalled?: (decl: ts.SignatureDeclaration, e: EngineApi) => Value[] | undefined;
  /** Name-based fallback for calls whose callee is unknown (`db.query(...)` on an untyped `db`). */
  onUnknownCall?: (c: CallCtx, name: string, recvText: string) => Value | void;
  /** Sanitiser functions declared by the user (by callee text or function name). */
  userSanitizers?: Map<string, number>;
  /** View templates of the project (res.render looks its view up here). */
  templates?: readonly SourceText[];
  /** Member expressions configured as sources (`ctx.request.rawBody`), by their text. */
  memberSources?: Map<string, string>;
}

/** What framework hooks can do with the engine. */
export interface EngineApi {
  readonly checker: ts.TypeChecker;
  api(...types: string[]): Value;
  /** A handler to call once modules are loaded; `onReturn` sees what it returned (NestJS string bodies). */
  entry(fn: Value, args: readonly Value[], thisArg?: Value, onReturn?: (v: Value) => void): void;
  prop(v: Value, key: string): Value;
  readMember(instance: Value, member: ts.ClassElement): Value;
  sink(rule: TaintRule, v: Value, at: ts.Node, opts?: SinkOptions): void;
  instance(cls: ClassVal): Value;
  fnOf(decl: ts.SignatureDeclaration, sf: ts.SourceFile): Value;
  source(label: string, node: ts.Node, opts?: SourceOptions): Value;
  obj(props: Record<string, Value>, elem?: Value): Value;
  typeOfAnnotation(node: ts.TypeNode | undefined): Value;
  decoratorName(d: ts.Decorator): string | undefined;
  rel(sf: ts.SourceFile): string;
}

const MAX_DEPTH = 48;
const MAX_EV_DEPTH = 1000;
const MAX_CONTEXTS = 10;
const MAX_PATH = 4;
/**
 * Objects one instantiation of a summary may copy (those holding the call's placeholders). Each
 * copy recurses into its fields, so a context object passed down a recursive-descent builder was
 * copied hundreds of times per call (420,000 copies for 593 calls in a 640-line YAML model
 * builder, 30 s of CPU); past the bound the rest are flattened into taints.
 */
const MAX_COPIES = 64;
const PATH_RESOLVED = 1 << 30;

/** String and array methods without side effects: a chain of them with literal arguments is a refinable path. */
const PURE_CHAIN = new Set(['split', 'slice', 'substring', 'substr', 'at', 'charAt', 'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart', 'trimEnd', 'normalize']);
const NUMBER_PROPS = new Set(['length', 'size', 'byteLength']);
const PRESERVE_START = new Set(['trim', 'trimEnd', 'trimRight', 'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'normalize', 'padEnd', 'concat', 'toString', 'valueOf', 'toWellFormed']);
const STRING_PROPAGATE = new Set([...PRESERVE_START, 'trimStart', 'trimLeft', 'slice', 'substring', 'substr', 'padStart', 'charAt', 'at', 'repeat', 'replaceAll', 'replace', 'format', 'toJSON', 'join']);
const STRING_TO_ARRAY = new Set(['split', 'match', 'matchAll']);
const ARRAY_SAME = new Set(['filter', 'slice', 'splice', 'concat', 'reverse', 'sort', 'flat', 'toReversed', 'toSorted', 'toSpliced', 'fill', 'copyWithin', 'values', 'entries']);
const ARRAY_ELEM = new Set(['find', 'findLast', 'pop', 'shift', 'at']);
const PRIM_METHODS = new Set(['indexOf', 'lastIndexOf', 'includes', 'startsWith', 'endsWith', 'test', 'some', 'every', 'findIndex', 'findLastIndex', 'localeCompare', 'charCodeAt', 'codePointAt', 'search', 'has', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'getTime']);

export class Engine implements EngineApi {
  readonly checker: ts.TypeChecker;
  readonly hits = new Map<string, TaintHit>();
  readonly templateHits = new Map<string, TemplateHit>();
  private readonly implicitGlobals = new Map<string, Value>();
  private readonly rawOutputCache = new Map<string, RawOutput[]>();
  /** String literals that reach a credential parameter (hard-coded secrets). */
  readonly secretHits = new Map<ts.Node, { text: string; label: string }>();
  private readonly modules = new Map<ts.SourceFile, ModuleState>();
  private readonly summaries = new Map<string, Summary>();
  private readonly contexts = new Map<ts.Node, string[]>();
  private readonly inProgress = new Set<string>();
  private readonly fnCache = new Map<string, Fn>();
  private readonly classCache = new Map<string, ClassVal>();
  private readonly singletons = new Map<ClassVal, Obj>();
  private readonly nodeIds = new WeakMap<object, number>();
  private readonly analyzed = new Set<ts.Node>();
  private readonly entries: Array<{ fn: Value; args: readonly Value[]; thisArg?: Value; onReturn?: (v: Value) => void }> = [];
  private readonly flags = new Set<string>();
  private readonly storesWritten = new Map<string, SourceOrigin>();
  private readonly projectFiles: Set<ts.SourceFile>;
  private depth = 0;
  private evDepth = 0;
  /** Files with an expression nested deeper than the engine follows (reported as a note). */
  readonly tooDeep = new Set<ts.SourceFile>();
  private frame!: Frame;
  /** Work budget: a file's analysis stops (with a diagnostic) rather than hang on pathological code. */
  private work = 0;
  readonly workLimit: number;
  /**
   * CPU time (microseconds of this process's user time) after which the analysis stops. The work
   * count bounds steps, not their size: values that grow with every join can make one step slow,
   * and this repository's own src/sast ran out of memory inside the work limit. CPU time, not wall
   * time, so a loaded machine does not cut the analysis short.
   */
  private readonly cpuLimitMicros: number;
  budgetExceeded = false;

  constructor(
    readonly prog: LoadedProgram,
    private readonly cfg: EngineConfig,
    opts: { workLimit?: number; cpuLimitMs?: number } = {},
  ) {
    this.checker = prog.checker;
    this.projectFiles = new Set(prog.files);
    this.workLimit = opts.workLimit ?? 5_000_000 + 40 * prog.files.reduce((n, f) => n + f.text.length, 0);
    this.cpuLimitMicros = process.cpuUsage().user + (opts.cpuLimitMs ?? 20_000) * 1000;
  }

  // ---------------------------------------------------------------- driver

  run(): void {
    for (const sf of this.prog.files) {
      this.moduleState(sf);
      this.drainEntries();
    }
    this.drainEntries();
    // Functions nothing called: analyse them as roots so flows inside them (and framework
    // handlers wired up in ways we do not model) are still found.
    for (const sf of this.prog.files) {
      // An explicit stack: a chain of thousands of `+` is that deep as a tree.
      const stack: ts.Node[] = [sf];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (isFunctionLike(n) && n.body && !this.analyzed.has(n)) this.analyzeUncalled(n, sf);
        const kids: ts.Node[] = [];
        ts.forEachChild(n, (c) => void kids.push(c));
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
      }
      this.drainEntries();
    }
  }

  private analyzeUncalled(decl: ts.SignatureDeclaration, sf: ts.SourceFile): void {
    const args = this.cfg.onUncalled?.(decl, this) ?? decl.parameters.map((p) => this.typeOfAnnotation(p.type));
    const env = this.envForDecl(decl, sf);
    const fn = this.makeFn(decl, env);
    this.withRootFrame(sf, () => this.callFn(fn, args, this.ownInstance(decl), decl));
  }

  /**
   * `this` for a method nothing visible calls (an Angular lifecycle hook, a method a framework
   * invokes): the class's instance, so its fields (injected services, `inject(...)` initialisers)
   * are known. Only for methods of a named top-level class; anything else gets no `this`.
   */
  private ownInstance(decl: ts.SignatureDeclaration): Value {
    if (!(ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl))) return EMPTY;
    if (decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return EMPTY;
    const cls = decl.parent;
    if (!ts.isClassDeclaration(cls) || !cls.name || !isTopLevel(cls)) return EMPTY;
    const sym = this.symbolOf(cls.name);
    const v = sym ? this.readSymbol(sym, cls, undefined) : EMPTY;
    return v.classes?.length === 1 ? this.instance(v.classes[0]!) : EMPTY;
  }

  private drainEntries(): void {
    while (this.entries.length > 0) {
      const e = this.entries.shift()!;
      const sf = e.fn.fns?.[0]?.decl.getSourceFile() ?? this.prog.files[0]!;
      const ret = this.withRootFrame(sf, () => this.call(e.fn, e.args, e.thisArg, undefined, 'handler'));
      e.onReturn?.(ret);
    }
  }

  private withRootFrame<T>(sf: ts.SourceFile, f: () => T): T {
    const saved = this.frame;
    this.frame = this.newFrame(this.moduleState(sf).env, EMPTY, sf);
    try {
      return f();
    } finally {
      this.frame = saved;
    }
  }

  private newFrame(env: Env, thisVal: Value, sf: ts.SourceFile): Frame {
    return { id: freshId(), env, thisVal, ret: EMPTY, pending: [], writes: [], dead: false, refine: new Map(), sf, loopExits: [] };
  }

  /** The work budget for substitution, which can be slow without evaluating any expression. */
  spend(): boolean {
    return !this.budgetExceeded && this.tick();
  }

  private tick(): boolean {
    this.work++;
    // Reading the CPU clock costs a system call: every 1,024 steps is often enough.
    if (this.work > this.workLimit || ((this.work & 1023) === 0 && process.cpuUsage().user > this.cpuLimitMicros)) {
      this.budgetExceeded = true;
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- modules

  private moduleState(sf: ts.SourceFile): ModuleState {
    let m = this.modules.get(sf);
    if (m) return m;
    const env: Env = { id: freshId(), vars: new Map(), parent: undefined, file: sf };
    const exportsObj = newObj();
    const moduleObj = newObj(new Map([['exports', { objs: [exportsObj] }]]));
    m = { sf, env, exportsObj, moduleObj, stars: [], done: false, esm: false };
    this.modules.set(sf, m);
    const saved = this.frame;
    const savedDepth = this.depth;
    this.frame = this.newFrame(env, { objs: [exportsObj] }, sf);
    this.depth = 0;
    try {
      this.hoist(sf.statements, env);
      this.statements(sf.statements);
      this.collectEsmExports(m);
    } finally {
      this.frame = saved;
      this.depth = savedDepth;
      m.done = true;
    }
    this.cfg.onModule?.(sf, this.prog.relOf(sf), this.moduleValue(m), this);
    return m;
  }

  private moduleValue(m: ModuleState): Value {
    const exp = m.moduleObj.props.get('exports') ?? EMPTY;
    return exp;
  }

  private collectEsmExports(m: ModuleState): void {
    for (const st of m.sf.statements) {
      const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
      const exported = mods?.some((x) => x.kind === ts.SyntaxKind.ExportKeyword);
      const isDefault = mods?.some((x) => x.kind === ts.SyntaxKind.DefaultKeyword);
      if (exported) m.esm = true;
      if (exported && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st))) {
        const v = this.declValue(st, m.env);
        if (isDefault || !st.name) writeProp(m.exportsObj, 'default', v);
        if (st.name) writeProp(m.exportsObj, st.name.text, v);
      } else if (exported && ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) for (const name of bindingNames(d.name)) {
          const sym = this.checker.getSymbolAtLocation(name);
          if (sym) writeProp(m.exportsObj, name.text, m.env.vars.get(sym) ?? EMPTY);
        }
      } else if (ts.isExportDeclaration(st)) {
        m.esm = true;
        const from = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
        if (!st.exportClause) {
          const target = from ? this.prog.resolve(from, m.sf) : undefined;
          if (target) m.stars.push(target);
        } else if (ts.isNamedExports(st.exportClause)) {
          for (const el of st.exportClause.elements) {
            const local = (el.propertyName ?? el.name).text;
            let v: Value;
            if (from) v = this.readProp(this.importModule(from, m.sf), local, undefined);
            else {
              const sym = this.checker.getExportSpecifierLocalTargetSymbol(el);
              v = sym ? this.readSymbol(sym, el, m.env) : EMPTY;
            }
            writeProp(m.exportsObj, el.name.text, v);
          }
        } else if (ts.isNamespaceExport(st.exportClause) && from) {
          writeProp(m.exportsObj, st.exportClause.name.text, this.importModule(from, m.sf));
        }
      } else if (ts.isExportAssignment(st)) {
        m.esm = true;
        // Evaluated in order by statements(); value recorded there.
      }
    }
  }

  /** The value of `require(spec)` / `import * as x from spec` seen from `from`. */
  importModule(spec: string, from: ts.SourceFile): Value {
    const target = this.prog.resolve(spec, from);
    if (target && this.projectFiles.has(target)) {
      const m = this.moduleState(target);
      return this.moduleValue(m);
    }
    const type = this.cfg.modules(spec);
    return type ? { api: [type] } : { api: [`mod:${spec.replace(/^node:/, '')}`] };
  }

  private exportOf(m: ModuleState, name: string, seen = new Set<ModuleState>()): Value | undefined {
    const exp = this.moduleValue(m);
    for (const o of exp.objs ?? []) {
      const v = o.props.get(name);
      if (v) return v;
    }
    if (seen.has(m)) return undefined;
    seen.add(m);
    for (const s of m.stars) {
      const v = this.exportOf(this.moduleState(s), name, seen);
      if (v) return v;
    }
    return undefined;
  }

  private importBinding(decl: ts.Declaration): Value {
    const sf = decl.getSourceFile();
    let spec: string | undefined;
    let name: string | undefined; // undefined: the whole module
    if (ts.isImportSpecifier(decl)) {
      spec = moduleText(decl.parent.parent.parent.moduleSpecifier);
      name = (decl.propertyName ?? decl.name).text;
    } else if (ts.isImportClause(decl)) {
      spec = moduleText(decl.parent.moduleSpecifier);
      name = 'default';
    } else if (ts.isNamespaceImport(decl)) {
      spec = moduleText(decl.parent.parent.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(decl) && ts.isExternalModuleReference(decl.moduleReference)) {
      spec = moduleText(decl.moduleReference.expression);
    } else if (ts.isExportSpecifier(decl)) {
      const from = decl.parent.parent.moduleSpecifier;
      if (from) {
        spec = moduleText(from);
        name = (decl.propertyName ?? decl.name).text;
      } else {
        const sym = this.checker.getExportSpecifierLocalTargetSymbol(decl);
        return sym && !(sym.flags & ts.SymbolFlags.Alias && sym.declarations?.[0] === decl) ? this.readSymbol(sym, decl, this.moduleState(sf).env) : EMPTY;
      }
    }
    if (spec === undefined) return EMPTY;
    const target = this.prog.resolve(spec, sf);
    if (target && this.projectFiles.has(target)) {
      const m = this.moduleState(target);
      if (name === undefined) return this.moduleValue(m);
      const v = this.exportOf(m, name);
      // CommonJS module imported with a default import: the default is module.exports itself.
      if (v === undefined && name === 'default' && !m.esm) return this.moduleValue(m);
      return v ?? EMPTY;
    }
    const mod = this.importModule(spec, sf);
    return name === undefined || name === 'default' ? mod : this.readProp(mod, name, undefined);
  }

  // ---------------------------------------------------------------- symbols and variables

  private idOf(x: object): number {
    let id = this.nodeIds.get(x);
    if (id === undefined) this.nodeIds.set(x, (id = freshId()));
    return id;
  }

  private symbolOf(node: ts.Node): ts.Symbol | undefined {
    try {
      if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) return this.checker.getShorthandAssignmentValueSymbol(node.parent);
      return this.checker.getSymbolAtLocation(node);
    } catch {
      return undefined;
    }
  }

  /** The environment a declaration at this node lives in, when read from outside any running frame. */
  private envForDecl(decl: ts.Node, sf: ts.SourceFile): Env {
    // Functions nested in other functions get a fresh scope chained to the module (their
    // enclosing frame is not running); captured variables read as unknown.
    const m = this.moduleState(sf);
    return isTopLevel(decl) ? m.env : { id: freshId(), vars: new Map(), parent: m.env, file: sf };
  }

  private readSymbol(sym: ts.Symbol, at: ts.Node, env: Env | undefined): Value {
    for (let e = env; e; e = e.parent) {
      const v = e.vars.get(sym);
      if (v) return v;
    }
    const decl = sym.valueDeclaration ?? sym.declarations?.[0];
    if (!decl) return EMPTY;
    if (sym.flags & ts.SymbolFlags.Alias) return this.importBinding(decl);
    const sf = decl.getSourceFile();
    if (!this.projectFiles.has(sf)) return EMPTY;
    if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl)) {
      // Hoisted: a function declared in a scope we are in, or at a module's top level.
      const owner = env && this.envOwning(decl, env);
      return this.declValue(decl, owner ?? this.envForDecl(decl, sf));
    }
    if (isTopLevel(decl)) {
      const m = this.moduleState(sf);
      return m.env.vars.get(sym) ?? EMPTY;
    }
    void at;
    return EMPTY;
  }

  private envOwning(decl: ts.Node, env: Env): Env | undefined {
    const sf = decl.getSourceFile();
    for (let e: Env | undefined = env; e; e = e.parent) if (e.file === sf) return e;
    return undefined;
  }

  private declValue(decl: ts.FunctionDeclaration | ts.ClassDeclaration, env: Env): Value {
    if (ts.isFunctionDeclaration(decl)) return decl.body ? { fns: [this.makeFn(decl, env)] } : EMPTY;
    return { classes: [this.makeClass(decl, env)] };
  }

  private hoist(statements: readonly ts.Statement[], env: Env): void {
    for (const st of statements) {
      if (ts.isFunctionDeclaration(st) && st.name && st.body) {
        const sym = this.symbolOf(st.name);
        if (sym) env.vars.set(sym, { fns: [this.makeFn(st, env)] });
      }
    }
  }

  makeFn(decl: ts.SignatureDeclaration, env: Env | undefined, extra?: Partial<Fn>): Fn {
    const key = `${this.idOf(decl)}@${env?.id ?? 0}${extra?.lexicalThis ? `t${this.shape(extra.lexicalThis, 1)}` : ''}${extra?.home ? `h${extra.home.id}` : ''}`;
    let fn = this.fnCache.get(key);
    if (!fn) {
      fn = { id: freshId(), decl, env, ...extra };
      this.fnCache.set(key, fn);
    }
    return fn;
  }

  private makeClass(decl: ts.ClassLikeDeclaration, env: Env | undefined): ClassVal {
    const key = `${this.idOf(decl)}@${env?.id ?? 0}`;
    let c = this.classCache.get(key);
    if (!c) {
      c = { id: freshId(), decl, env };
      this.classCache.set(key, c);
      this.cfg.onClass?.(decl, c, this);
    }
    return c;
  }

  fnOf(decl: ts.SignatureDeclaration, sf: ts.SourceFile): Value {
    return { fns: [this.makeFn(decl, this.envForDecl(decl, sf))] };
  }

  rel(sf: ts.SourceFile): string {
    return this.prog.relOf(sf);
  }

  private refineKey(node: ts.Expression): string | undefined {
    if (ts.isIdentifier(node)) {
      const sym = this.symbolOf(node);
      return sym ? `v${this.idOf(sym)}` : undefined;
    }
    if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (ts.isPropertyAccessExpression(node)) {
      const base = this.refineKey(node.expression);
      return base && `${base}.${node.name.text}`;
    }
    if (ts.isElementAccessExpression(node) && (ts.isStringLiteralLike(node.argumentExpression) || ts.isNumericLiteral(node.argumentExpression))) {
      const base = this.refineKey(node.expression);
      return base && `${base}.${node.argumentExpression.text}`;
    }
    // A pure call chain with literal arguments (`ext.split('.').slice(-1)[0].toLowerCase()`) names
    // the same value each time it is written, so `LIST.includes(e) ? e : 'jpg'` refines `e`.
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && PURE_CHAIN.has(node.expression.name.text) && node.arguments.every(isLiteralArg)) {
      const base = this.refineKey(node.expression.expression);
      return base && `${base}.${node.expression.name.text}(${node.arguments.map((a) => a.getText()).join(',')})`;
    }
    if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node)) return this.refineKey(node.expression);
    return undefined;
  }

  private applyRefine(node: ts.Expression, v: Value): Value {
    if (this.frame.refine.size === 0 || !v.t?.length) return v;
    const key = this.refineKey(node);
    const m = key && this.frame.refine.get(key);
    return m ? sanitize(v, m, ALL_KINDS) : v;
  }

  // ---------------------------------------------------------------- state (branches, loops)

  private save(): State {
    return { vars: this.frame.env.vars, refine: this.frame.refine, dead: this.frame.dead };
  }

  private fork(s: State): void {
    this.frame.env.vars = new Map(s.vars);
    this.frame.refine = new Map(s.refine);
    this.frame.dead = s.dead;
  }

  private restore(s: State): void {
    this.frame.env.vars = s.vars;
    this.frame.refine = s.refine;
    this.frame.dead = s.dead;
  }

  private merge(states: State[]): State {
    const live = states.filter((s) => !s.dead);
    if (live.length === 0) return { ...states[0]!, dead: true };
    if (live.length === 1) return live[0]!;
    const vars = new Map(live[0]!.vars);
    for (const s of live.slice(1)) for (const [k, v] of s.vars) vars.set(k, join(vars.get(k), v));
    // A refinement holds after the merge only where every branch has it.
    const refine = new Map<string, number>();
    for (const [k, m] of live[0]!.refine) {
      let all = m;
      for (const s of live.slice(1)) all &= s.refine.get(k) ?? 0;
      if (all) refine.set(k, all);
    }
    return { vars, refine, dead: false };
  }

  /** Runs `f` in a copy of the current state; returns the state it ended in and restores. */
  private branch(from: State, f: () => void): State {
    this.fork(from);
    f();
    const out = this.save();
    this.restore(from);
    return out;
  }

  // ---------------------------------------------------------------- statements

  private statements(list: readonly ts.Statement[]): void {
    for (const st of list) {
      if (this.frame.dead) return;
      this.statement(st);
    }
  }

  private statement(st: ts.Statement): void {
    if (!this.tick()) {
      this.frame.dead = true;
      return;
    }
    switch (st.kind) {
      case ts.SyntaxKind.VariableStatement:
        for (const d of (st as ts.VariableStatement).declarationList.declarations) this.varDecl(d);
        return;
      case ts.SyntaxKind.ExpressionStatement:
        this.ev((st as ts.ExpressionStatement).expression);
        return;
      case ts.SyntaxKind.ReturnStatement: {
        const r = st as ts.ReturnStatement;
        if (r.expression) {
          const v = this.ev(r.expression);
          this.frame.ret = join(this.frame.ret, v);
        }
        this.frame.dead = true;
        return;
      }
      case ts.SyntaxKind.ThrowStatement:
        this.ev((st as ts.ThrowStatement).expression);
        this.frame.dead = true;
        return;
      case ts.SyntaxKind.Block:
        this.hoist((st as ts.Block).statements, this.frame.env);
        this.statements((st as ts.Block).statements);
        return;
      case ts.SyntaxKind.IfStatement:
        return this.ifStatement(st as ts.IfStatement);
      case ts.SyntaxKind.ForStatement: {
        const f = st as ts.ForStatement;
        if (f.initializer) {
          if (ts.isVariableDeclarationList(f.initializer)) for (const d of f.initializer.declarations) this.varDecl(d);
          else this.ev(f.initializer);
        }
        this.loop(() => {
          if (f.condition) this.ev(f.condition);
          if (f.condition) this.applyCondition(f.condition, true);
          this.statement(f.statement);
          if (f.incrementor) this.ev(f.incrementor);
        });
        return;
      }
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement: {
        const f = st as ts.ForOfStatement | ts.ForInStatement;
        const coll = this.ev(f.expression);
        const item = ts.isForOfStatement(f) ? this.elementsOf(coll) : this.keysOf(coll);
        this.loop(() => {
          this.bindForTarget(f.initializer, stepAll(item, f.initializer, ts.isForOfStatement(f) ? 'loop element' : 'loop key'));
          this.statement(f.statement);
        });
        return;
      }
      case ts.SyntaxKind.WhileStatement: {
        const w = st as ts.WhileStatement;
        this.loop(() => {
          this.ev(w.expression);
          this.applyCondition(w.expression, true);
          this.statement(w.statement);
        });
        return;
      }
      case ts.SyntaxKind.DoStatement: {
        const w = st as ts.DoStatement;
        this.loop(() => {
          this.statement(w.statement);
          this.ev(w.expression);
        }, true);
        return;
      }
      case ts.SyntaxKind.SwitchStatement:
        return this.switchStatement(st as ts.SwitchStatement);
      case ts.SyntaxKind.TryStatement:
        return this.tryStatement(st as ts.TryStatement);
      case ts.SyntaxKind.LabeledStatement:
        this.statement((st as ts.LabeledStatement).statement);
        return;
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement: {
        const exits = this.frame.loopExits[this.frame.loopExits.length - 1];
        exits?.push(this.save());
        this.frame.dead = true;
        return;
      }
      case ts.SyntaxKind.FunctionDeclaration:
        return; // hoisted
      case ts.SyntaxKind.ClassDeclaration: {
        const c = st as ts.ClassDeclaration;
        const cls = this.makeClass(c, this.frame.env);
        if (c.name) {
          const sym = this.symbolOf(c.name);
          if (sym) this.frame.env.vars.set(sym, { classes: [cls] });
        }
        this.staticInit(cls);
        return;
      }
      case ts.SyntaxKind.ExportAssignment: {
        const e = st as ts.ExportAssignment;
        const v = this.ev(e.expression);
        const m = this.modules.get(this.frame.sf);
        if (m && this.frame.env === m.env) {
          if (e.isExportEquals) setProp(m.moduleObj, 'exports', v);
          else writeProp(m.exportsObj, 'default', v);
        }
        return;
      }
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.ImportEqualsDeclaration:
      case ts.SyntaxKind.ExportDeclaration:
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.EmptyStatement:
      case ts.SyntaxKind.DebuggerStatement:
        return;
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
        return;
      default:
        ts.forEachChild(st, (c) => {
          if (ts.isExpression(c)) this.ev(c);
        });
    }
  }

  private varDecl(d: ts.VariableDeclaration): void {
    let v = d.initializer ? this.ev(d.initializer) : EMPTY;
    if (d.initializer && ts.isIdentifier(d.name)) v = stepAll(v, d.name, d.name.text);
    this.bind(d.name, v, d.initializer === undefined && !!d.type ? this.typeOfAnnotation(d.type) : undefined);
  }

  private ifStatement(st: ts.IfStatement): void {
    this.ev(st.expression);
    const before = this.save();
    const thenState = this.branch(before, () => {
      this.applyCondition(st.expression, true);
      this.statement(st.thenStatement);
    });
    const elseState = this.branch(before, () => {
      this.applyCondition(st.expression, false);
      if (st.elseStatement) this.statement(st.elseStatement);
    });
    this.restore(this.merge([thenState, elseState]));
  }

  private loop(body: () => void, atLeastOnce = false): void {
    const before = this.save();
    const exits: State[] = [];
    this.frame.loopExits.push(exits);
    let state = before;
    // Two rounds are enough for taint to reach a fixed point through one loop-carried variable chain
    // in practice; more rounds cost time on every loop for little gain.
    for (let i = 0; i < 2; i++) {
      const after = this.branch(state, body);
      state = this.merge([state, after, ...exits]);
    }
    this.frame.loopExits.pop();
    this.restore(atLeastOnce ? state : this.merge([before, state]));
    this.frame.dead = before.dead;
  }

  private switchStatement(st: ts.SwitchStatement): void {
    this.ev(st.expression);
    const before = this.save();
    const ends: State[] = [];
    const exits: State[] = [];
    this.frame.loopExits.push(exits);
    let fall: State | undefined;
    let hasDefault = false;
    for (const clause of st.caseBlock.clauses) {
      if (ts.isDefaultClause(clause)) hasDefault = true;
      else this.ev(clause.expression);
      const start = fall && !fall.dead ? this.merge([before, fall]) : before;
      const end = this.branch(start, () => {
        if (ts.isCaseClause(clause)) this.caseGuard(st.expression, clause.expression);
        this.statements(clause.statements);
      });
      fall = end;
    }
    if (fall) ends.push(fall);
    this.frame.loopExits.pop();
    if (!hasDefault) ends.push(before);
    this.restore(this.merge([...ends, ...exits]));
  }

  /** `switch (x) { case 'a': … }`: inside the case, x is one of the listed constants. */
  private caseGuard(subject: ts.Expression, label: ts.Expression): void {
    if (ts.isStringLiteralLike(label) || ts.isNumericLiteral(label)) this.refineNode(subject, ALL_KINDS);
  }

  private tryStatement(st: ts.TryStatement): void {
    const before = this.save();
    const afterTry = this.branch(before, () => this.statement(st.tryBlock));
    let end = afterTry;
    if (st.catchClause) {
      const c = st.catchClause;
      const start = this.merge([before, { ...afterTry, dead: false }]);
      const afterCatch = this.branch(start, () => {
        if (c.variableDeclaration) this.bind(c.variableDeclaration.name, EMPTY);
        this.statement(c.block);
      });
      end = this.merge([afterTry, afterCatch]);
    }
    this.restore(end);
    if (st.finallyBlock) {
      const dead = this.frame.dead;
      this.frame.dead = false;
      this.statement(st.finallyBlock);
      this.frame.dead = this.frame.dead || dead;
    }
  }

  private bindForTarget(init: ts.ForInitializer, v: Value): void {
    if (ts.isVariableDeclarationList(init)) {
      for (const d of init.declarations) this.bind(d.name, v);
    } else this.assignTo(init, v, init);
  }

  /** Binds a name or destructuring pattern. */
  private bind(name: ts.BindingName, v: Value, fallback?: Value): void {
    if (ts.isIdentifier(name)) {
      const sym = this.symbolOf(name);
      if (sym) {
        this.frame.env.vars.set(sym, fallback && isEmpty(v) ? fallback : v);
        this.unrefine(`v${this.idOf(sym)}`);
      }
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      const used: string[] = [];
      for (const el of name.elements) {
        if (el.dotDotDotToken) {
          // `const { a, ...rest } = obj`: rest holds the other fields.
          this.bind(el.name, this.restOf(v, used));
          continue;
        }
        const key = el.propertyName ? this.propName(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
        if (key !== undefined) used.push(key);
        let fv = key !== undefined ? this.readProp(v, key, el) : this.readAny(v);
        if (el.initializer) fv = join(fv, this.ev(el.initializer));
        if (ts.isIdentifier(el.name)) fv = stepAll(fv, el.name, el.name.text);
        this.bind(el.name, fv);
      }
      return;
    }
    let i = 0;
    for (const el of name.elements) {
      if (ts.isOmittedExpression(el)) {
        i++;
        continue;
      }
      let ev: Value = el.dotDotDotToken ? v : this.readProp(v, String(i), el);
      if (el.initializer) ev = join(ev, this.ev(el.initializer));
      this.bind(el.name, ev);
      i++;
    }
  }

  private restOf(v: Value, used: string[]): Value {
    const o = newObj();
    for (const src of v.objs ?? []) {
      for (const [k, pv] of src.props) if (!used.includes(k)) writeProp(o, k, pv);
      if (src.elem) writeProp(o, undefined, src.elem);
    }
    return { objs: [o], ...(v.t?.length && { t: v.t }) };
  }

  private unrefine(prefix: string): void {
    if (this.frame.refine.size === 0) return;
    for (const k of [...this.frame.refine.keys()]) if (k === prefix || k.startsWith(`${prefix}.`)) this.frame.refine.delete(k);
  }

  // ---------------------------------------------------------------- guards

  /** Narrows the current state assuming `cond` evaluated to `truth`. */
  private applyCondition(cond: ts.Expression, truth: boolean): void {
    cond = skipParens(cond);
    if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken) return this.applyCondition(cond.operand, !truth);
    if (ts.isBinaryExpression(cond)) {
      const op = cond.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        if (truth) {
          this.applyCondition(cond.left, true);
          this.applyCondition(cond.right, true);
        }
        return;
      }
      if (op === ts.SyntaxKind.BarBarToken) {
        if (!truth) {
          this.applyCondition(cond.left, false);
          this.applyCondition(cond.right, false);
        }
        return;
      }
      const eq = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
      const ne = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      if (eq || ne) {
        const positive = eq === truth;
        for (const [a, b] of [[cond.left, cond.right], [cond.right, cond.left]] as const) {
          const sa = skipParens(a);
          if (ts.isTypeOfExpression(sa) && ts.isStringLiteralLike(b)) {
            const t = b.text;
            if (positive && (t === 'number' || t === 'boolean' || t === 'bigint' || t === 'undefined')) this.refineNode(sa.expression, ALL_KINDS);
            if (positive && t === 'string') this.refineNode(sa.expression, mask(['nosql-injection', 'prototype-pollution']));
            if (!positive && t === 'object') this.refineNode(sa.expression, mask(['nosql-injection']));
            continue;
          }
          // x === 'constant': x is that constant in the positive branch.
          if (positive && isConstantExpr(b)) this.refineNode(sa, ALL_KINDS);
        }
        // arr.indexOf(x) !== -1
        const call = ts.isCallExpression(skipParens(cond.left)) ? (skipParens(cond.left) as ts.CallExpression) : undefined;
        if (call && isMinusOne(cond.right) && !positive) this.memberGuard(call, true);
        if (call && isMinusOne(cond.right) && positive) this.absenceGuard(call);
        return;
      }
      if ((op === ts.SyntaxKind.GreaterThanToken && isMinusOne(cond.right)) || (op === ts.SyntaxKind.GreaterThanEqualsToken && ts.isNumericLiteral(cond.right) && cond.right.text === '0')) {
        const call = skipParens(cond.left);
        if (ts.isCallExpression(call) && truth) this.memberGuard(call, true);
        return;
      }
      if (op === ts.SyntaxKind.InKeyword && truth) {
        this.refineNode(cond.left, ALL_KINDS);
      }
      return;
    }
    if (ts.isCallExpression(cond) && truth) this.memberGuard(cond, truth);
    if (ts.isCallExpression(cond) && !truth) this.absenceGuard(cond);
  }

  /**
   * `!name.includes('/')` (or `indexOf('/') === -1`): a value without a slash can neither be an
   * absolute path nor climb out with `../`, so it is clean for path traversal. (`..` alone is not
   * enough: an absolute path escapes `path.resolve(root, x)`.)
   */
  private absenceGuard(call: ts.CallExpression): void {
    const callee = skipParens(call.expression);
    const arg = call.arguments[0];
    if (!ts.isPropertyAccessExpression(callee) || !arg || !ts.isStringLiteralLike(arg)) return;
    if (callee.name.text !== 'includes' && callee.name.text !== 'indexOf') return;
    if (arg.text === '/') this.refineNode(skipParens(callee.expression), mask(['path-traversal']));
  }

  private memberGuard(call: ts.CallExpression, truth: boolean): void {
    if (!truth) return;
    const callee = skipParens(call.expression);
    const arg = call.arguments[0];
    if (!arg) return;
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      const recvNode = skipParens(callee.expression);
      if (name === 'includes' || name === 'has' || name === 'indexOf' || name === 'hasOwnProperty') {
        // An allow-list lookup: the receiver must be data we control, not the value itself.
        const recv = this.peek(recvNode);
        if (!recv.t?.length) this.refineNode(arg, ALL_KINDS);
        return;
      }
      if (name === 'test' && ts.isRegularExpressionLiteral(recvNode)) {
        const { source } = regexParts(recvNode.text);
        this.refineNode(arg, regexGuardKinds(source));
        return;
      }
      if (name === 'test' && ts.isIdentifier(recvNode)) {
        const src = this.constRegex(recvNode);
        if (src) this.refineNode(arg, regexGuardKinds(src));
        return;
      }
      if (name === 'startsWith') {
        // path.resolve(root, x).startsWith(root): containment check on a resolved path.
        const v = this.peek(recvNode);
        if (v.t?.some((t) => t.clean & PATH_RESOLVED)) this.refineNode(recvNode, mask(['path-traversal']));
        return;
      }
      if (name === 'isValid' || name === 'isValidObjectId' || /^is(?:Int|Numeric|Float|UUID|MongoId|Alphanumeric|Alpha|Hexadecimal|Boolean|Decimal|Port|Base64|Hash|Slug|ISO8601|Date|IP|FQDN|Email|URL|JWT|SemVer)$/.test(name)) {
        this.refineNode(arg, validatorKinds(name));
        return;
      }
    }
    if (ts.isIdentifier(callee)) {
      const name = callee.text;
      if (name === 'isFinite' || name === 'isValidObjectId' || /^is(?:Int|Numeric|UUID|MongoId|Alphanumeric|Safe\w*|Valid\w*|Allowed\w*)$/.test(name)) this.refineNode(arg, validatorKinds(name));
    }
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Number' && /^is(?:Integer|SafeInteger|Finite)$/.test(callee.name.text)) this.refineNode(arg, ALL_KINDS);
  }

  private refineNode(node: ts.Expression, kinds: number): void {
    if (!kinds) return;
    const key = this.refineKey(skipParens(node));
    if (!key) return;
    this.frame.refine.set(key, (this.frame.refine.get(key) ?? 0) | kinds);
  }

  /** Evaluates an expression without recording flows (guards look at receivers). */
  private peek(node: ts.Expression): Value {
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) return this.ev(node);
    if (ts.isArrayLiteralExpression(node)) return EMPTY;
    return EMPTY;
  }

  private constRegex(id: ts.Identifier): string | undefined {
    const sym = this.symbolOf(id);
    const decl = sym?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isRegularExpressionLiteral(decl.initializer)) return regexParts(decl.initializer.text).source;
    return undefined;
  }

  // ---------------------------------------------------------------- expressions

  ev(node: ts.Expression): Value {
    if (!this.tick()) return EMPTY;
    // Left-deep chains (`a + a + … + a`, thousands long) parse without recursion but would
    // overflow our stack: past this depth the rest of the expression is not followed.
    if (this.evDepth >= MAX_EV_DEPTH) {
      this.tooDeep.add(node.getSourceFile());
      return EMPTY;
    }
    this.evDepth++;
    try {
      return bounded(this.evInner(node));
    } finally {
      this.evDepth--;
    }
  }

  private evInner(node: ts.Expression): Value {
    switch (node.kind) {
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral: {
        const text = (node as ts.StringLiteral).text;
        return text.length >= 4 ? { str: text, lits: [{ text, node }] } : { str: text };
      }
      case ts.SyntaxKind.NumericLiteral:
      case ts.SyntaxKind.BigIntLiteral:
      case ts.SyntaxKind.TrueKeyword:
      case ts.SyntaxKind.FalseKeyword:
        return { prim: true };
      case ts.SyntaxKind.NullKeyword:
      case ts.SyntaxKind.RegularExpressionLiteral:
        return EMPTY;
      case ts.SyntaxKind.Identifier:
        return this.identifier(node as ts.Identifier);
      case ts.SyntaxKind.ThisKeyword:
        return this.frame.thisVal;
      case ts.SyntaxKind.SuperKeyword:
        return this.frame.thisVal;
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.AwaitExpression:
      case ts.SyntaxKind.PartiallyEmittedExpression:
        return this.ev((node as ts.ParenthesizedExpression).expression);
      case ts.SyntaxKind.YieldExpression: {
        const y = node as ts.YieldExpression;
        return y.expression ? this.ev(y.expression) : EMPTY;
      }
      case ts.SyntaxKind.TemplateExpression:
        return this.template(node as ts.TemplateExpression);
      case ts.SyntaxKind.BinaryExpression:
        return this.binary(node as ts.BinaryExpression);
      case ts.SyntaxKind.ConditionalExpression: {
        const c = node as ts.ConditionalExpression;
        this.ev(c.condition);
        const before = this.save();
        let a: Value = EMPTY;
        let b: Value = EMPTY;
        const s1 = this.branch(before, () => {
          this.applyCondition(c.condition, true);
          a = this.ev(c.whenTrue);
        });
        const s2 = this.branch(before, () => {
          this.applyCondition(c.condition, false);
          b = this.ev(c.whenFalse);
        });
        this.restore(this.merge([{ ...s1, refine: before.refine }, { ...s2, refine: before.refine }]));
        return join(a, b);
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const p = node as ts.PropertyAccessExpression;
        const obj = this.ev(p.expression);
        let v = this.readProp(obj, p.name.text, p);
        if (this.cfg.memberSources?.size) {
          const label = this.cfg.memberSources.get(p.getText(this.frame.sf).replace(/\s+|\?(?=\.)/g, ''));
          if (label) v = join(v, this.source(label, p, { category: 'custom', obj: true, deepObj: true }));
        }
        return this.applyRefine(p, v);
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const e = node as ts.ElementAccessExpression;
        const obj = this.ev(e.expression);
        const key = this.ev(e.argumentExpression);
        const name = constKey(e.argumentExpression) ?? key.str;
        const v = name !== undefined ? this.readProp(obj, name, e) : this.readAny(obj, e);
        return this.applyRefine(e, v);
      }
      case ts.SyntaxKind.CallExpression:
        return this.applyRefine(node as ts.CallExpression, this.callExpr(node as ts.CallExpression));
      case ts.SyntaxKind.NewExpression:
        return this.newExpr(node as ts.NewExpression);
      case ts.SyntaxKind.TaggedTemplateExpression:
        return this.taggedTemplate(node as ts.TaggedTemplateExpression);
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.objectLiteral(node as ts.ObjectLiteralExpression);
      case ts.SyntaxKind.ArrayLiteralExpression:
        return this.arrayLiteral(node as ts.ArrayLiteralExpression);
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression: {
        const f = node as ts.ArrowFunction | ts.FunctionExpression;
        const fn = this.makeFn(f, this.frame.env, ts.isArrowFunction(f) ? { lexicalThis: this.frame.thisVal } : undefined);
        return { fns: [fn] };
      }
      case ts.SyntaxKind.ClassExpression: {
        const cls = this.makeClass(node as ts.ClassExpression, this.frame.env);
        this.staticInit(cls);
        return { classes: [cls] };
      }
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression;
        const v = this.ev(u.operand);
        if (u.operator === ts.SyntaxKind.PlusPlusToken || u.operator === ts.SyntaxKind.MinusMinusToken) this.assignTo(u.operand, { prim: true }, u);
        void v;
        return { prim: true };
      }
      case ts.SyntaxKind.PostfixUnaryExpression: {
        const u = node as ts.PostfixUnaryExpression;
        this.assignTo(u.operand, { prim: true }, u);
        return { prim: true };
      }
      case ts.SyntaxKind.TypeOfExpression:
        this.ev((node as ts.TypeOfExpression).expression);
        return { prim: true };
      case ts.SyntaxKind.VoidExpression:
      case ts.SyntaxKind.DeleteExpression:
        this.ev((node as ts.VoidExpression).expression);
        return EMPTY;
      case ts.SyntaxKind.SpreadElement:
        return this.ev((node as ts.SpreadElement).expression);
      case ts.SyntaxKind.JsxElement:
      case ts.SyntaxKind.JsxSelfClosingElement:
      case ts.SyntaxKind.JsxFragment:
        this.jsx(node as ts.JsxElement);
        return EMPTY;
      case ts.SyntaxKind.JsxExpression: {
        const j = node as ts.JsxExpression;
        return j.expression ? this.ev(j.expression) : EMPTY;
      }
      default:
        ts.forEachChild(node, (c) => {
          if (ts.isExpression(c)) this.ev(c);
        });
        return EMPTY;
    }
  }

  private identifier(id: ts.Identifier): Value {
    const name = id.text;
    if (name === 'undefined') return EMPTY;
    const sym = this.symbolOf(id);
    if (sym) {
      const decl = sym.valueDeclaration ?? sym.declarations?.[0];
      // Symbols declared outside the project (none: no lib, no @types) or CommonJS specials.
      if (decl && this.projectFiles.has(decl.getSourceFile()) && !isCommonJsSpecial(decl, name)) {
        return this.applyRefine(id, this.readSymbol(sym, id, this.frame.env));
      }
    }
    const implicit = this.implicitGlobals.get(name);
    if (implicit) return implicit;
    return this.global(name, id);
  }

  private global(name: string, node: ts.Node): Value {
    const m = this.modules.get(this.frame.sf) ?? this.moduleState(node.getSourceFile());
    switch (name) {
      case 'module':
        return { objs: [m.moduleObj] };
      case 'exports':
        return m.moduleObj.props.get('exports') ?? EMPTY;
      case 'require':
        return { api: ['global.require'] };
      case 'arguments':
        return EMPTY;
      case 'globalThis':
      case 'window':
      case 'self':
        return { api: ['global.window'] };
      case '__dirname':
      case '__filename':
        return { str: name === '__dirname' ? '.' : this.prog.relOf(this.frame.sf) };
      default:
        return { api: [`global.${name}`] };
    }
  }

  private template(t: ts.TemplateExpression): Value {
    let acc: Value = { str: t.head.text };
    for (const span of t.templateSpans) {
      const v = this.ev(span.expression);
      acc = this.concat(acc, this.stringify(v));
      acc = this.concat(acc, { str: span.literal.text });
    }
    return acc;
  }

  /** What a value contributes when converted to a string: its taints and, for arrays, its elements'. */
  private stringify(v: Value): Value {
    const t = [...(v.t ?? [])];
    for (const o of v.objs ?? []) if (o.elem) t.push(...(o.elem.t ?? []));
    const out: Value = {};
    if (t.length) out.t = t.map((x) => (x.obj || x.whole ? { ...x, obj: false, whole: false } : x));
    if (v.str !== undefined) out.str = v.str;
    if (v.prim) out.prim = true;
    return out;
  }

  private concat(a: Value, b: Value): Value {
    const t: Taint[] = [];
    for (const x of a.t ?? []) t.push(x.obj || x.whole ? { ...x, obj: false, whole: false } : x);
    for (const x of b.t ?? []) {
      const pre = a.t?.length ? undefined : a.str !== undefined && x.pre !== undefined ? a.str + x.pre : undefined;
      t.push({ ...x, obj: false, whole: false, pre });
    }
    const out: Value = t.length ? { t } : {};
    if (a.str !== undefined && b.str !== undefined && a.str.length + b.str.length < 4096) out.str = a.str + b.str;
    else if (!t.length && (a.str !== undefined || b.str !== undefined)) out.str = undefined;
    return out;
  }

  private binary(b: ts.BinaryExpression): Value {
    const op = b.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken) {
      const v = this.ev(b.right);
      this.assignTo(b.left, v, b);
      return v;
    }
    if (op >= ts.SyntaxKind.FirstCompoundAssignment && op <= ts.SyntaxKind.LastCompoundAssignment) {
      const cur = this.ev(b.left);
      const r = this.ev(b.right);
      let v: Value;
      if (op === ts.SyntaxKind.PlusEqualsToken) v = this.concat(this.stringify(cur), this.stringify(r));
      else if (op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken) v = join(cur, r);
      else v = { prim: true };
      this.assignTo(b.left, v, b);
      return v;
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
      this.ev(b.left);
      const before = this.save();
      let r: Value = EMPTY;
      const s = this.branch(before, () => {
        this.applyCondition(b.left, true);
        r = this.ev(b.right);
      });
      this.restore({ ...this.merge([before, s]), refine: before.refine });
      return r;
    }
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      const l = this.ev(b.left);
      const before = this.save();
      let r: Value = EMPTY;
      const s = this.branch(before, () => {
        if (op === ts.SyntaxKind.BarBarToken) this.applyCondition(b.left, false);
        r = this.ev(b.right);
      });
      this.restore({ ...this.merge([before, s]), refine: before.refine });
      return join(l, r);
    }
    if (op === ts.SyntaxKind.CommaToken) {
      this.ev(b.left);
      return this.ev(b.right);
    }
    const l = this.ev(b.left);
    const r = this.ev(b.right);
    if (op === ts.SyntaxKind.PlusToken) {
      // Numbers added stay numbers; anything else concatenates.
      if (l.prim && r.prim) return { prim: true };
      return this.concat(this.stringify(l), this.stringify(r));
    }
    return { prim: true };
  }

  // ---------------------------------------------------------------- properties

  readProp(v: Value, key: string, node: ts.Node | undefined): Value {
    let out: Value = EMPTY;
    for (const o of v.objs ?? []) out = join(out, this.objProp(o, key, node));
    for (const c of v.classes ?? []) out = join(out, this.staticMember(c, key));
    for (const type of v.api ?? []) out = join(out, this.apiMember(type, key, node));
    if (v.t?.length) {
      const t: Taint[] = [];
      const numeric = /^\d+$/.test(key);
      for (const x of v.t) {
        if (NUMBER_PROPS.has(key)) continue;
        if (!x.obj && !numeric) continue; // a string's properties are methods and numbers
        if (x.o.kind === 'ph') {
          const path = x.o.path.split('.').length > MAX_PATH || x.o.path.endsWith(`.${DEEP_SEG}`) ? x.o.path : `${x.o.path}.${key}`;
          t.push({ ...x, o: { ...x.o, path }, pre: numeric ? undefined : x.pre });
        } else {
          // Reading a field straight off a source names the source by its path (`req.query.id`).
          const direct = x.step?.n === 1 && node && readsStraightOff(node, x.step.node) && !numeric && x.o.label.length < 60 && /^[\w.$]+$/.test(x.o.label);
          const o = direct ? { ...x.o, label: `${x.o.label}.${key}` } : x.o;
          // `const { id } = req.query`: the source step sits on the name, so binding it adds no second step there.
          const step = direct ? addStep(undefined, ts.isBindingElement(node!) && !node.propertyName ? node.name : node!, o.label) : x.step;
          t.push({ ...x, o, step, pre: numeric ? undefined : '', obj: x.o.deepObj && x.obj, whole: false });
        }
      }
      if (t.length) out = join(out, { t });
    }
    if (v.str !== undefined && key === 'length') out = join(out, { prim: true });
    return out;
  }

  /** A property read with an unknown key: any field. */
  private readAny(v: Value, node?: ts.Node): Value {
    let out: Value = EMPTY;
    for (const o of v.objs ?? []) {
      for (const p of o.props.values()) out = join(out, p);
      out = join(out, o.elem);
    }
    for (const type of v.api ?? []) out = join(out, this.apiMember(type, '*', node));
    if (v.t?.length) out = join(out, { t: v.t.map((x) => ({ ...x, pre: x.obj ? '' : undefined })) });
    return out;
  }

  private objProp(o: Obj, key: string, node: ts.Node | undefined): Value {
    const own = o.props.get(key);
    let out = own ?? EMPTY;
    if (!own && o.elem && /^\d+$/.test(key)) out = o.elem;
    else if (!own && o.elem && !o.cls) out = join(out, o.elem);
    if (!own && o.lazy) out = join(out, o.lazy(key));
    if (!own && o.cls) out = join(out, this.instanceMember(o, o.cls, key, node));
    return out;
  }

  private instanceMember(o: Obj, cls: ClassVal, key: string, node: ts.Node | undefined): Value {
    for (let c: ClassVal | undefined = cls, guard = 0; c && guard < 10; c = this.superClass(c), guard++) {
      for (const m of c.decl.members) {
        if (!m.name || this.propName(m.name) !== key || isStatic(m)) continue;
        if ((ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m)) && m.body) {
          const fn = this.makeFn(m, c.env, { home: c });
          if (ts.isGetAccessorDeclaration(m)) return this.callFn(fn, [], { objs: [o] }, node ?? m);
          return { fns: [fn] };
        }
      }
    }
    return EMPTY;
  }

  private staticMember(c: ClassVal, key: string): Value {
    for (let k: ClassVal | undefined = c, guard = 0; k && guard < 10; k = this.superClass(k), guard++) {
      const so = this.staticObj(k);
      const own = so.props.get(key);
      if (own) return own;
      for (const m of k.decl.members) {
        if (!m.name || this.propName(m.name) !== key || !isStatic(m)) continue;
        if (ts.isMethodDeclaration(m) && m.body) return { fns: [this.makeFn(m, k.env, { home: k })] };
      }
    }
    return EMPTY;
  }

  private readonly statics = new Map<ClassVal, Obj>();
  private staticObj(c: ClassVal): Obj {
    let o = this.statics.get(c);
    if (!o) this.statics.set(c, (o = newObj()));
    return o;
  }

  private staticInit(cls: ClassVal): void {
    const so = this.staticObj(cls);
    for (const m of cls.decl.members) {
      if (ts.isPropertyDeclaration(m) && isStatic(m) && m.initializer && m.name) {
        const key = this.propName(m.name);
        if (key !== undefined) writeProp(so, key, this.ev(m.initializer));
      }
    }
  }

  private superClass(c: ClassVal): ClassVal | undefined {
    const h = c.decl.heritageClauses?.find((x) => x.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!h) return undefined;
    const saved = this.frame;
    try {
      if (!saved) return undefined;
      const v = this.ev(h.expression);
      return v.classes?.[0];
    } catch {
      return undefined;
    }
  }

  private superApi(c: ClassVal): readonly string[] | undefined {
    const h = c.decl.heritageClauses?.find((x) => x.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!h) return undefined;
    return this.ev(h.expression).api;
  }

  private apiMember(type: string, key: string, node: ts.Node | undefined): Value {
    const model = this.model(type);
    const target = ownMember(model, key) ?? (key === '*' ? undefined : type.split('.').length < 7 ? `${type}.${key}` : undefined);
    if (!target) return EMPTY;
    return this.apiValue(target, node);
  }

  /** An API node; reading one that is a source yields its taint too. */
  private apiValue(type: string, node: ts.Node | undefined): Value {
    const model = this.model(type);
    const v: Value = { api: [type] };
    if (model?.source && node) return join(v, this.source(model.source.label, node, model.source));
    return v;
  }

  /** The model of an API type; `base#detail` types (a statement that remembers its table) use base's model. */
  private model(type: string): ApiModel | undefined {
    const models = this.cfg.models;
    if (Object.hasOwn(models, type)) return models[type];
    const i = type.indexOf('#');
    return i > 0 && Object.hasOwn(models, type.slice(0, i)) ? models[type.slice(0, i)] : undefined;
  }

  api(...types: string[]): Value {
    return { api: types };
  }

  source(label: string, node: ts.Node, opts: SourceOptions = {}): Value {
    let conf = opts.confidence ?? 'high';
    if (opts.category === 'stored') conf = 'low';
    const origin: SourceOrigin = { kind: 'source', label, category: opts.category ?? 'remote', confidence: conf, deepObj: opts.deepObj ?? opts.obj ?? false, ...(opts.store && { store: opts.store }) };
    let clean = 0;
    if (this.flags.has('nosql-sanitized') && (opts.category ?? 'remote') === 'remote') clean |= mask(['nosql-injection']);
    const t: Taint = { o: origin, clean, obj: opts.obj ?? false, pre: '', step: addStep(undefined, node, label), ...(opts.whole && { whole: true }) };
    return { t: [t] };
  }

  obj(props: Record<string, Value>, elem?: Value): Value {
    const o = newObj(new Map(Object.entries(props)));
    if (elem) setElem(o, elem);
    return { objs: [o] };
  }

  private propName(name: ts.PropertyName | ts.BindingName): string | undefined {
    if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name)) return constKey(name.expression);
    return undefined;
  }

  // ---------------------------------------------------------------- assignment

  private assignTo(target: ts.Expression, v: Value, at: ts.Node): void {
    target = skipParens(target);
    if (ts.isIdentifier(target)) {
      const sym = this.symbolOf(target);
      if (!sym) {
        // Sloppy-mode JS: assigning an undeclared name creates a global every module can read.
        this.implicitGlobals.set(target.text, join(this.implicitGlobals.get(target.text), stepAll(v, target, target.text)));
        return;
      }
      const stepped = stepAll(v, target, target.text);
      this.unrefine(`v${this.idOf(sym)}`);
      // The innermost scope that has the variable; if none is running, the variable's own scope.
      for (let e: Env | undefined = this.frame.env; e; e = e.parent) {
        if (e.vars.has(sym)) {
          // Writes from a closure to an outer scope are weak: the outer code may run before or after.
          e.vars.set(sym, e === this.frame.env ? stepped : join(e.vars.get(sym), stepped));
          return;
        }
      }
      const decl = sym.valueDeclaration;
      if (decl && isTopLevel(decl) && decl.getSourceFile() !== this.frame.sf) {
        const m = this.moduleState(decl.getSourceFile());
        m.env.vars.set(sym, join(m.env.vars.get(sym), stepped));
      } else this.frame.env.vars.set(sym, stepped);
      return;
    }
    if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
      const objNode = target.expression;
      const obj = this.ev(objNode);
      let key: string | undefined;
      let keyVal: Value = EMPTY;
      if (ts.isPropertyAccessExpression(target)) key = target.name.text;
      else {
        keyVal = this.ev(target.argumentExpression);
        key = constKey(target.argumentExpression) ?? keyVal.str;
      }
      const stepped = stepAll(v, target, target.getText(this.frame.sf).slice(0, 60));
      const symbolic = stepped.t?.some((t) => t.o.kind === 'ph') ?? false;
      for (const o of obj.objs ?? []) {
        writeProp(o, key, stepped);
        if (o.ph) this.frame.writes.push({ frame: o.ph.frame, index: o.ph.index, path: o.ph.path, key, value: stepped });
        else if (symbolic) this.frame.writes.push({ frame: 0, index: 0, path: '', key, value: stepped, obj: o });
      }
      for (const c of obj.classes ?? []) writeProp(this.staticObj(c), key, stepped);
      if (key !== undefined) for (const type of obj.api ?? []) this.apiAssign(type, key, stepped, target);
      if (key === undefined && keyVal.t?.length && ts.isElementAccessExpression(target)) this.protoPollution(target, obj, keyVal, v);
      if (key === 'innerHTML' || key === 'outerHTML' || key === 'srcdoc') {
        if (!obj.api?.length) this.sinkValue('xss', stepped, at, { label: key, note: 'assigned as HTML' });
      }
      void at;
      return;
    }
    if (ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target)) {
      this.destructureAssign(target, v);
    }
  }

  private destructureAssign(target: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression, v: Value): void {
    if (ts.isArrayLiteralExpression(target)) {
      target.elements.forEach((el, i) => {
        if (ts.isOmittedExpression(el)) return;
        if (ts.isSpreadElement(el)) this.assignTo(el.expression, v, el);
        else this.assignTo(ts.isBinaryExpression(el) ? el.left : el, this.readProp(v, String(i), el), el);
      });
      return;
    }
    for (const p of target.properties) {
      if (ts.isShorthandPropertyAssignment(p)) this.assignTo(p.name, this.readProp(v, p.name.text, p), p);
      else if (ts.isPropertyAssignment(p)) {
        const key = this.propName(p.name);
        this.assignTo(ts.isBinaryExpression(p.initializer) ? p.initializer.left : p.initializer, key !== undefined ? this.readProp(v, key, p) : this.readAny(v), p);
      } else if (ts.isSpreadAssignment(p)) this.assignTo(p.expression, v, p);
    }
  }

  private apiAssign(type: string, key: string, v: Value, node: ts.Node): void {
    const memberType = ownMember(this.model(type), key) ?? `${type}.${key}`;
    const model = this.model(memberType);
    model?.assign?.({ node, value: v, target: memberType, sink: (rule, val, at, opts) => this.sinkValue(rule, val, at ?? node, opts) });
  }

  /** `obj[a][b] = v` with attacker-chosen `a`: `__proto__` reaches Object.prototype. */
  private protoPollution(target: ts.ElementAccessExpression, _obj: Value, keyVal: Value, v: Value): void {
    const inner = skipParens(target.expression);
    if (!ts.isElementAccessExpression(inner)) return;
    const outerKey = this.peekValue(inner.argumentExpression);
    if (!outerKey.t?.length) return;
    void keyVal;
    const both = join(taintsOnlyOf(outerKey), EMPTY);
    if (!v.t?.length && !deepTaints(v).length) return;
    this.sinkValue('prototype-pollution', both, target, { label: `${target.getText(this.frame.sf).slice(0, 60)} = …`, note: 'an attacker-chosen key can be "__proto__"' });
  }

  private peekValue(node: ts.Expression): Value {
    return this.ev(node);
  }

  // ---------------------------------------------------------------- literals

  private objectLiteral(node: ts.ObjectLiteralExpression): Value {
    const o = newObj();
    let t: Taint[] | undefined;
    for (const p of node.properties) {
      if (ts.isPropertyAssignment(p)) {
        const key = this.propName(p.name);
        if (ts.isComputedPropertyName(p.name) && key === undefined) this.ev(p.name.expression);
        writeProp(o, key, this.ev(p.initializer));
      } else if (ts.isShorthandPropertyAssignment(p)) {
        writeProp(o, p.name.text, this.ev(p.name));
      } else if (ts.isSpreadAssignment(p)) {
        const s = this.ev(p.expression);
        for (const so of s.objs ?? []) {
          for (const [k, pv] of so.props) writeProp(o, k, pv);
          if (so.elem) writeProp(o, undefined, so.elem);
        }
        if (s.t?.length) (t ??= []).push(...s.t);
        for (const type of s.api ?? []) {
          const src = this.model(type)?.source;
          if (src) (t ??= []).push(...(this.source(src.label, p, src).t ?? []));
        }
      } else if ((ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p)) && p.body) {
        const key = this.propName(p.name);
        const fn = this.makeFn(p, this.frame.env);
        writeProp(o, key, ts.isGetAccessorDeclaration(p) ? EMPTY : { fns: [fn] });
      }
    }
    return { objs: [o], ...(t && { t: t.map((x) => ({ ...x, obj: true })) }) };
  }

  private arrayLiteral(node: ts.ArrayLiteralExpression): Value {
    const o = newObj();
    let t: Taint[] | undefined;
    node.elements.forEach((el, i) => {
      if (ts.isSpreadElement(el)) {
        const s = this.ev(el.expression);
        writeProp(o, undefined, this.elementsOf(s));
        if (s.t?.length) (t ??= []).push(...s.t);
      } else if (!ts.isOmittedExpression(el)) {
        const v = this.ev(el);
        if (i < 16) setProp(o, String(i), v);
        writeProp(o, undefined, v);
      }
    });
    return { objs: [o], ...(t && { t }) };
  }

  elementsOf(v: Value): Value {
    let out: Value = EMPTY;
    for (const o of v.objs ?? []) {
      out = join(out, o.elem);
      if (!o.elem) for (const p of o.props.values()) out = join(out, p);
    }
    if (v.t?.length) out = join(out, { t: v.t.map((x) => ({ ...x, pre: x.obj ? '' : undefined, obj: x.obj })) });
    for (const type of v.api ?? []) out = join(out, this.apiMember(type, '*', undefined));
    return out;
  }

  private keysOf(v: Value): Value {
    // The keys of attacker-supplied objects are attacker-chosen (`__proto__`).
    const t = deepTaints(v, 0);
    return t.length ? { t: t.map((x) => ({ ...x, obj: false, pre: '' })) } : EMPTY;
  }

  // ---------------------------------------------------------------- JSX

  private jsx(node: ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment): void {
    const opening = ts.isJsxElement(node) ? node.openingElement : ts.isJsxSelfClosingElement(node) ? node : undefined;
    if (opening) {
      const props = newObj();
      for (const attr of opening.attributes.properties) {
        if (ts.isJsxAttribute(attr)) {
          const name = ts.isIdentifier(attr.name) ? attr.name.text : attr.name.getText(this.frame.sf);
          const init = attr.initializer;
          const v = !init ? { prim: true } : ts.isStringLiteral(init) ? { str: init.text } : ts.isJsxExpression(init) && init.expression ? this.ev(init.expression) : EMPTY;
          writeProp(props, name, v);
          if (name === 'dangerouslySetInnerHTML') this.sinkValue('xss', this.readProp(v, '__html', attr), attr, { label: 'dangerouslySetInnerHTML', note: 'rendered as raw HTML' });
          if ((name === 'href' || name === 'src' || name === 'action' || name === 'formAction') && /^[a-z]/.test(tagName(opening))) {
            this.sinkValue('xss', v, attr, { label: `${name} attribute`, note: 'a javascript: URL runs script', confidence: 'medium', accept: (t) => t.pre === '' && !t.obj });
          }
        } else {
          const s = this.ev(attr.expression);
          for (const so of s.objs ?? []) for (const [k, pv] of so.props) writeProp(props, k, pv);
        }
      }
      const children = ts.isJsxElement(node) ? node.children : undefined;
      const kids: Value[] = [];
      for (const c of children ?? []) {
        if (ts.isJsxExpression(c) && c.expression) kids.push(this.ev(c.expression));
        else if (ts.isJsxElement(c) || ts.isJsxSelfClosingElement(c) || ts.isJsxFragment(c)) this.jsx(c);
      }
      if (kids.length) writeProp(props, 'children', joinAll(kids));
      // A component: call it with its props, so flows into child components are followed.
      const tag = opening.tagName;
      if (!/^[a-z]/.test(tagName(opening))) {
        const comp = this.ev(tag as ts.Expression);
        if (comp.fns?.length) this.call(comp, [{ objs: [props] }], undefined, opening, tagName(opening));
        for (const c of comp.classes ?? []) {
          const inst = this.construct(c, [{ objs: [props] }], opening);
          const render = this.readProp(inst, 'render', opening);
          if (render.fns?.length) this.call(render, [], inst, opening, 'render');
        }
      }
    } else {
      for (const c of (node as ts.JsxFragment).children) {
        if (ts.isJsxExpression(c) && c.expression) this.ev(c.expression);
        else if (ts.isJsxElement(c) || ts.isJsxSelfClosingElement(c) || ts.isJsxFragment(c)) this.jsx(c);
      }
    }
  }

  // ---------------------------------------------------------------- calls

  private calleeText(node: ts.Node): string {
    const t = node.getText(this.frame.sf).replace(/\s+/g, ' ');
    return t.length > 60 ? `${t.slice(0, 57)}...` : t;
  }

  private callExpr(node: ts.CallExpression): Value {
    const callee = skipParens(node.expression);
    // require('x') and import('x')
    if (callee.kind === ts.SyntaxKind.ImportKeyword) {
      const a = node.arguments[0];
      if (a && ts.isStringLiteralLike(a)) return this.importModule(a.text, this.frame.sf);
      if (a) this.sinkValue('code-injection', this.ev(a), a, { label: 'import()', note: 'loads a module chosen by the attacker' });
      return EMPTY;
    }
    if (callee.kind === ts.SyntaxKind.SuperKeyword) {
      this.superCall(node);
      return EMPTY;
    }
    let recv: Value | undefined;
    let fnVal: Value;
    let name: string;
    let recvNode: ts.Expression | undefined;
    if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
      recvNode = callee.expression;
      recv = this.ev(callee.expression);
      if (callee.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const home = this.currentHome();
        const sup = home && this.superClass(home);
        name = ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        fnVal = sup ? this.instanceMember(newObj(undefined, sup), sup, name, callee) : EMPTY;
        if (!sup && home) {
          const apis = this.superApi(home);
          if (apis) fnVal = this.readProp({ api: apis }, name, callee);
        }
      } else {
        name = ts.isPropertyAccessExpression(callee) ? callee.name.text : (constKey(callee.argumentExpression) ?? this.ev(callee.argumentExpression).str ?? '');
        fnVal = name ? this.readProp(recv, name, callee) : this.readAny(recv, callee);
      }
    } else {
      fnVal = this.ev(callee);
      name = ts.isIdentifier(callee) ? callee.text : '';
    }
    const args = this.evalArgs(node.arguments);
    const text = this.calleeText(callee);
    let out = this.call(fnVal, args, recv, node, text, node.arguments);
    if (recv && name) out = join(out, this.builtinMethod(recv, name, args, node, fnVal));
    const unknownCallee = !fnVal.fns?.length && !fnVal.api?.length && !fnVal.classes?.length;
    if (unknownCallee && !(recv && hasBuiltin(recv, name))) {
      const hook = this.cfg.onUnknownCall?.(this.ctx(node, args, node.arguments, recv, text), name, recvNode ? this.calleeText(recvNode) : '');
      if (hook) out = join(out, hook);
      // Callbacks handed to code we do not know still run: analyse them with unknown arguments.
      for (const a of args) if (a.fns?.length) this.call({ fns: a.fns }, [], undefined, node, 'callback');
    }
    const userClean = this.cfg.userSanitizers?.get(text) ?? (name ? this.cfg.userSanitizers?.get(name) : undefined);
    if (userClean !== undefined) out = sanitize(join(out, this.stringify(joinAll(args))), userClean, ALL_KINDS);
    return out;
  }

  private currentHome(): ClassVal | undefined {
    for (const o of this.frame.thisVal.objs ?? []) if (o.cls) return o.cls;
    return undefined;
  }

  private taggedTemplate(node: ts.TaggedTemplateExpression): Value {
    const tag = this.ev(node.tag);
    const parts: Value[] = [];
    const nodes: ts.Expression[] = [];
    if (ts.isTemplateExpression(node.template)) {
      for (const span of node.template.templateSpans) {
        parts.push(this.ev(span.expression));
        nodes.push(span.expression);
      }
    }
    let out: Value = EMPTY;
    const text = this.calleeText(node.tag);
    for (const type of tag.api ?? []) {
      const model = this.model(type);
      // Tagged templates of query builders (sql``, Prisma.sql``, $queryRaw``) pass values as parameters.
      const r = model?.tag?.(this.ctx(node, parts, nodes, undefined, text, type));
      if (r) out = join(out, r);
    }
    if (tag.fns?.length) out = join(out, this.call(tag, [{ objs: [newObj()] }, ...parts], undefined, node, text));
    return out;
  }

  private evalArgs(nodes: readonly ts.Expression[]): Value[] {
    const out: Value[] = [];
    for (const a of nodes) {
      if (ts.isSpreadElement(a)) {
        const s = this.ev(a.expression);
        out.push(this.elementsOf(s));
      } else out.push(this.ev(a));
    }
    return out;
  }

  private newExpr(node: ts.NewExpression): Value {
    const cv = this.ev(node.expression);
    const args = this.evalArgs(node.arguments ?? []);
    let out: Value = EMPTY;
    for (const c of cv.classes ?? []) out = join(out, this.construct(c, args, node));
    for (const type of cv.api ?? []) {
      const model = this.model(type);
      const text = this.calleeText(node.expression);
      const c = this.ctx(node, args, node.arguments ?? [], undefined, text, type);
      const r = model?.construct ? model.construct(c) : model?.call ? model.call(c) : type.startsWith('global.') ? this.intrinsic(type, args, node, undefined) : undefined;
      out = join(out, r ?? { api: [`${type}()`] });
    }
    // `new function () {}` / constructor functions
    for (const f of cv.fns ?? []) {
      const o = newObj();
      this.callFn(f, args, { objs: [o] }, node);
      out = join(out, { objs: [o] });
    }
    if (isEmpty(cv)) for (const a of args) if (a.fns?.length) this.call({ fns: a.fns }, [], undefined, node, 'callback');
    return out;
  }

  /** Creates an instance: field initialisers, then the constructor (which runs the parent's via super()). */
  construct(c: ClassVal, args: readonly Value[], node: ts.Node): Value {
    const o = newObj(undefined, c);
    this.initInstance(c, o, args, node);
    return { objs: [o] };
  }

  private initInstance(c: ClassVal, o: Obj, args: readonly Value[], node: ts.Node, depth = 0): void {
    const ctor = c.decl.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
    const thisVal: Value = { objs: [o] };
    if (!ctor) {
      // `class A extends A` (or a longer cycle) must not recurse forever: same bound as the member lookups.
      const sup = depth < 10 ? this.superClass(c) : undefined;
      if (sup) this.initInstance(sup, o, args, node, depth + 1);
      else {
        const apis = this.superApi(c);
        if (apis) for (const a of apis) setProp(o, '__api', { api: [`${a}()`] });
      }
      this.fieldInit(c, o);
      return;
    }
    // Field initialisers run after super(); a constructor without super() runs them first.
    if (!this.superClass(c)) this.fieldInit(c, o);
    this.callFn(this.makeFn(ctor, c.env, { home: c }), args, thisVal, node);
  }

  private fieldInit(c: ClassVal, o: Obj): void {
    const members = c.decl.members.filter((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && !isStatic(m) && !!m.name);
    if (members.length === 0) return;
    const saved = this.frame;
    this.frame = this.newFrame({ id: freshId(), vars: new Map(), parent: c.env, file: c.decl.getSourceFile() }, { objs: [o] }, c.decl.getSourceFile());
    try {
      for (const m of members) {
        const key = this.propName(m.name);
        if (key === undefined) continue;
        if (m.initializer) writeProp(o, key, this.ev(m.initializer));
        else if (m.type && !o.props.has(key)) {
          const t = this.typeOfAnnotation(m.type);
          if (!isEmpty(t)) writeProp(o, key, t);
        }
      }
    } finally {
      this.frame = saved;
    }
  }

  private superCall(node: ts.CallExpression): void {
    const args = this.evalArgs(node.arguments);
    const home = this.currentHome();
    if (!home) return;
    // The frame's `this` is a placeholder object for the instance; initialise it as the parent would.
    const sup = this.superClass(this.frameHome() ?? home);
    const o = this.frame.thisVal.objs?.[0];
    if (!o) return;
    if (sup) this.initInstance(sup, o, args, node);
    this.fieldInit(this.frameHome() ?? home, o);
  }

  private frameHome(): ClassVal | undefined {
    return this.currentFn?.home;
  }
  private currentFn: Fn | undefined;

  /** Calls whatever `fnVal` may be: project functions (summarised), API models, classes. */
  call(fnVal: Value, args: readonly Value[], recv: Value | undefined, node: ts.Node | undefined, text = '', argNodes: readonly ts.Expression[] = []): Value {
    let out: Value = EMPTY;
    for (const fn of fnVal.fns ?? []) {
      const thisVal = fn.boundThis ?? (ts.isArrowFunction(fn.decl) ? (fn.lexicalThis ?? EMPTY) : (recv ?? EMPTY));
      const a = fn.boundArgs ? [...fn.boundArgs, ...args] : args;
      out = join(out, this.callFn(fn, a, thisVal, node ?? fn.decl));
    }
    for (const type of fnVal.api ?? []) {
      const model = this.model(type);
      if (model?.call) {
        const r = model.call(this.ctx(node ?? this.frame.sf, args, argNodes, recv, text || type, type));
        if (r) out = join(out, r);
      } else if (type.startsWith('global.') || type.startsWith('mod:')) {
        out = join(out, this.intrinsic(type, args, node, recv));
      } else {
        out = join(out, { api: [`${type}()`] });
      }
    }
    for (const c of fnVal.classes ?? []) out = join(out, this.construct(c, args, node ?? c.decl));
    return out;
  }

  /** The summary machinery: abstract the arguments, reuse or compute the summary, instantiate it. */
  callFn(fn: Fn, args: readonly Value[], thisVal: Value, node: ts.Node): Value {
    const decl = fn.decl;
    const body = (decl as ts.FunctionLikeDeclaration).body;
    if (!body) return EMPTY;
    this.analyzed.add(decl);
    if (this.depth >= MAX_DEPTH || this.budgetExceeded) return EMPTY;
    const argShapes = args.map((a) => this.shape(a, 0));
    let key = `${fn.id}|${this.shape(thisVal, 0)}|${argShapes.join('|')}`;
    let summary = this.summaries.get(key);
    if (!summary) {
      if (this.inProgress.has(key)) return EMPTY; // recursion: the first round's result stands
      const seen = this.contexts.get(decl) ?? [];
      if (seen.length >= MAX_CONTEXTS) {
        // Too many shapes: reuse the first summary of this function rather than re-analyse forever.
        key = seen[0]!;
        summary = this.summaries.get(key);
        if (!summary) return EMPTY;
      } else {
        seen.push(key);
        this.contexts.set(decl, seen);
        summary = this.analyze(fn, args, thisVal, key);
      }
    }
    return this.instantiate(summary, args, thisVal, node, fn);
  }

  private analyze(fn: Fn, args: readonly Value[], thisVal: Value, key: string): Summary {
    const decl = fn.decl as ts.FunctionLikeDeclaration;
    const sf = decl.getSourceFile();
    const id = freshId();
    // The scope's id is the frame's, so closures created here can be recognised at instantiation.
    const env: Env = { id, vars: new Map(), parent: fn.env, file: sf };
    const saved = this.frame;
    const savedFn = this.currentFn;
    // This call's placeholders, and those of the scopes its closure captured, stay substitutable.
    const live = [id];
    for (let e = fn.env; e; e = e.parent) live.push(e.id);
    enterFrames(live);
    const thisAbs = ts.isArrowFunction(decl) ? thisVal : this.abstract(thisVal, id, -1, '', 0);
    this.frame = { ...this.newFrame(env, thisAbs, sf), id };
    this.currentFn = fn;
    this.inProgress.add(key);
    this.depth++;
    try {
      decl.parameters.forEach((p, i) => {
        let v: Value;
        if (p.dotDotDotToken) {
          const o = newObj();
          for (let j = i; j < args.length; j++) {
            const a = this.abstract(args[j]!, id, j, '', 0);
            setProp(o, String(j - i), a);
            writeProp(o, undefined, a);
          }
          v = { objs: [o] };
        } else {
          v = i < args.length ? this.abstract(args[i]!, id, i, '', 0) : EMPTY;
          if (isEmpty(v) || (!args[i]?.api?.length && !args[i]?.fns?.length && !args[i]?.objs?.length)) {
            // An annotation such as `req: Request` (express) types what the caller did not tell us.
            const typed = this.typeOfAnnotation(p.type);
            if (!isEmpty(typed)) v = join(v, typed);
          }
          if (p.initializer) v = join(v, this.ev(p.initializer));
        }
        const label = ts.isIdentifier(p.name) ? p.name.text : 'parameter';
        v = stepAll(v, p.name, `parameter ${label}`);
        this.bind(p.name, v);
        // constructor(private readonly repo: Repo): a parameter property is also a field.
        if (ts.isConstructorDeclaration(decl) && ts.canHaveModifiers(p) && (ts.getModifiers(p)?.length ?? 0) > 0 && ts.isIdentifier(p.name)) {
          for (const o of thisAbs.objs ?? []) {
            writeProp(o, p.name.text, v);
            if (o.ph) this.frame.writes.push({ frame: o.ph.frame, index: o.ph.index, path: o.ph.path, key: p.name.text, value: v });
          }
        }
      });
      if (ts.isBlock(decl.body!)) {
        this.hoist(decl.body.statements, env);
        this.statements(decl.body.statements);
      } else {
        this.frame.ret = this.ev(decl.body as ts.Expression);
      }
      const ret = this.frame.ret.t?.length ? stepAll(this.frame.ret, decl.name ?? decl, `return from ${fnName(decl)}`) : this.frame.ret;
      const summary: Summary = { frame: id, ret, pending: this.frame.pending, writes: mergeWrites(this.frame.writes) };
      this.summaries.set(key, summary);
      return summary;
    } finally {
      exitFrames(live);
      this.depth--;
      this.inProgress.delete(key);
      this.frame = saved;
      this.currentFn = savedFn;
    }
  }

  /** The structure of a value that decides how a callee behaves (API types, functions, objects), not its taint. */
  private shape(v: Value, depth: number): string {
    const parts: string[] = [];
    if (v.api?.length) parts.push(`a${[...v.api].sort().join(',')}`);
    if (v.fns?.length) parts.push(`f${v.fns.map((f) => f.id).join(',')}`);
    if (v.classes?.length) parts.push(`c${v.classes.map((c) => c.id).join(',')}`);
    if (v.objs?.length && depth < 2) {
      const keys = new Map<string, Value>();
      let cls = '';
      for (const o of v.objs) {
        if (o.cls) cls = String(o.cls.id);
        for (const [k, pv] of o.props) keys.set(k, join(keys.get(k), pv));
        if (o.elem) keys.set('[]', join(keys.get('[]'), o.elem));
      }
      const inner = [...keys.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, 24)
        .map(([k, pv]) => `${k}:${this.shape(pv, depth + 1)}`)
        .join(',');
      parts.push(`o${cls}{${inner}}`);
    } else if (v.objs?.length) parts.push('o');
    return parts.join(';');
  }

  /** The callee's view of an argument: same structure, taints replaced by placeholders. */
  private abstract(v: Value, frame: number, index: number, path: string, depth: number): Value {
    const ph: Taint = { o: { kind: 'ph', frame, index, path }, clean: 0, obj: true, pre: '', step: undefined };
    const out: Value = { t: [ph] };
    if (v.api?.length) out.api = v.api;
    if (v.fns?.length) out.fns = v.fns;
    if (v.classes?.length) out.classes = v.classes;
    if (v.prim && !v.t?.length && !v.objs?.length) return { prim: true, ...(v.api && { api: v.api }) };
    if (v.objs?.length) {
      if (depth < 2) {
        const o = newObj();
        o.ph = { frame, index, path };
        const keys = new Map<string, Value>();
        for (const src of v.objs) {
          if (src.cls && !o.cls) o.cls = src.cls;
          for (const [k, pv] of src.props) keys.set(k, join(keys.get(k), pv));
          if (src.elem) setElem(o, join(o.elem, this.abstract(src.elem, frame, index, `${path}.*`, depth + 1)));
        }
        for (const [k, pv] of keys) setProp(o, k, this.abstract(pv, frame, index, `${path}.${k}`, depth + 1));
        out.objs = [o];
      } else out.objs = v.objs;
    }
    return out;
  }

  /** Replaces the callee's placeholders by the caller's values. */
  private instantiate(s: Summary, args: readonly Value[], thisVal: Value, node: ts.Node, fn: Fn): Value {
    const actual = (i: number): Value => (i === -1 ? thisVal : (args[i] ?? EMPTY));
    const sub = new Substitution(this, s.frame, actual, node);
    for (const w of s.writes) {
      if (w.obj) {
        const v = sub.value(w.value);
        writeProp(w.obj, w.key, v);
        // Still symbolic in an outer call's parameters: that call replays it in turn.
        if (v.t?.some((t) => t.o.kind === 'ph')) this.frame.writes.push({ ...w, value: v });
        continue;
      }
      if (w.frame !== s.frame) {
        this.frame.writes.push({ ...w, value: sub.value(w.value) });
        continue;
      }
      const target = sub.objsAt(actual(w.index), w.path);
      const v = sub.value(w.value);
      for (const o of target) {
        writeProp(o, w.key, v);
        if (o.ph) this.frame.writes.push({ frame: o.ph.frame, index: o.ph.index, path: o.ph.path, key: w.key, value: v });
      }
    }
    for (const p of s.pending) {
      for (const t of sub.taint(p.taint)) this.hitTaint(p.rule, p.node, p.label, t, p.conf, p.note, p.accept, p.tpl);
    }
    let ret = sub.value(s.ret);
    for (const b of fn.bindings ?? []) {
      const inner = new Substitution(this, b.frame, (i) => (i === -1 ? EMPTY : (b.args[i] ?? EMPTY)), node);
      ret = inner.value(ret);
    }
    return ret;
  }

  /** Taints reachable from a value at a placeholder path (`.body.name`), for substitution. */
  taintsAt(v: Value, path: string): Taint[] {
    let cur = v;
    if (path) {
      for (const seg of path.split('.').slice(1)) {
        // A widened path (values.ts widenPaths): everything at or under this point.
        if (seg === DEEP_SEG) return deepTaints({ ...(cur.t && { t: cur.t }), ...(cur.objs && { objs: cur.objs }) }).map((t) => (t.obj ? t : { ...t, obj: true }));
        cur = seg === '*' ? this.elementsOfNoApi(cur) : this.readPropNoApi(cur, seg);
        if (isEmpty(cur)) return [];
      }
    }
    return [...(cur.t ?? [])];
  }

  private readPropNoApi(v: Value, key: string): Value {
    return this.readProp({ ...(v.t && { t: v.t }), ...(v.objs && { objs: v.objs }) }, key, undefined);
  }

  private elementsOfNoApi(v: Value): Value {
    return this.elementsOf({ ...(v.t && { t: v.t }), ...(v.objs && { objs: v.objs }) });
  }

  // ---------------------------------------------------------------- sinks and findings

  sinkValue(rule: TaintRule, v: Value, at: ts.Node, opts: SinkOptions = {}): void {
    const taints = opts.deep ? deepTaints(v) : (v.t ?? []);
    if (!taints.length) return;
    const label = opts.label ?? at.getText(at.getSourceFile()).slice(0, 40);
    for (const t of taints) this.hitTaint(rule, at, label, t, opts.confidence ?? 'high', opts.note, opts.accept);
  }

  private hitTaint(rule: TaintRule, node: ts.Node, label: string, t: Taint, conf: Confidence, note: string | undefined, accept: ((t: Taint) => boolean) | undefined, tpl?: TemplateSink): void {
    if (t.clean & bit(rule)) return;
    if (t.o.kind === 'ph') {
      if (this.frame.pending.length < 400) this.frame.pending.push({ rule, node, label, taint: t, conf, note, accept, ...(tpl && { tpl }) });
      return;
    }
    if (accept && !accept(t)) return;
    const origin = t.o;
    const confidence = minConfidence(conf, origin.confidence);
    const steps = addStep(t.step, node, `${label}`);
    if (tpl) {
      const key = `${rule}@${tpl.file}:${tpl.output.line}:${tpl.output.column}`;
      const prev = this.templateHits.get(key);
      if (prev && !better(confidence, steps, origin, prev)) return;
      this.templateHits.set(key, { rule, sink: node, sinkLabel: label, source: origin, steps, confidence, tpl, ...(note && { note }) });
      return;
    }
    const key = `${rule}@${node.getSourceFile().fileName}:${node.getStart()}`;
    const prev = this.hits.get(key);
    if (prev && !better(confidence, steps, origin, prev)) return;
    this.hits.set(key, { rule, sink: node, sinkLabel: label, source: origin, steps, confidence, ...(note && { note }) });
  }

  /** Second-order sources whose store was never written from request data are dropped at the end. */
  storedSourceIsLive(o: SourceOrigin): boolean {
    return o.category !== 'stored' || (o.store !== undefined && (this.storesWritten.has(o.store) || this.storesWritten.has('*')));
  }

  // ---------------------------------------------------------------- models

  ctx(node: ts.Node, args: readonly Value[], argNodes: readonly ts.Expression[], recv: Value | undefined, callee: string, type = ''): CallCtx {
    return {
      node,
      args,
      argNodes,
      recv,
      callee,
      type,
      arg: (i) => args[i] ?? EMPTY,
      str: (i) => args[i]?.str ?? (argNodes[i] && ts.isStringLiteralLike(argNodes[i]!) ? (argNodes[i] as ts.StringLiteral).text : undefined),
      prop: (v, key) => this.readProp(v, key, undefined),
      sink: (rule, v, at, opts) => this.sinkValue(rule, v, at ?? node, { label: callee, ...opts }),
      source: (label, opts) => this.source(label, node, opts),
      api: (...types) => ({ api: types }),
      call: (fn, a, thisArg) => this.call(fn, a, thisArg, node, 'callback'),
      entry: (fn, a, thisArg) => this.entry(fn, a, thisArg),
      propagate: (...vs) => {
        let out: Value = EMPTY;
        for (const v of vs) out = join(out, this.stringify(v));
        return out.t?.length ? { t: out.t } : EMPTY;
      },
      clean: (v, kinds) => sanitize(v, kinds, ALL_KINDS),
      storeWrite: (store, v) => {
        // The value's own taints unwidened too: a model may hand over a value it kept from an
        // earlier call (db.ts's writes without a column list), whose placeholders belong to a call
        // already summarised; widening drops those, but they still say "written from a parameter".
        for (const t of [...(v.t ?? []), ...deepTaints(v)]) {
          if (t.o.kind === 'source' && t.o.category !== 'stored' && !this.storesWritten.has(store)) this.storesWritten.set(store, t.o);
          // Written from a parameter: the store becomes live if any caller passes request data;
          // approximated as live (second-order findings are low confidence anyway).
          if (t.o.kind === 'ph' && !this.storesWritten.has(store)) this.storesWritten.set(store, { kind: 'source', label: 'request data', category: 'remote', confidence: 'low', deepObj: true });
        }
      },
      // Rows as a whole (an array of records) are a container: res.send() of it is JSON; their fields are not.
      storeRead: (store, label) => this.source(label, node, { category: 'stored', store, obj: true, whole: true }),
      hardcoded: (v, label) => {
        for (const l of v.lits ?? []) if (!this.secretHits.has(l.node)) this.secretHits.set(l.node, { text: l.text, label });
      },
      dependencyVersion: (pkg) => this.prog.dependencies.get(pkg),
      instanceOf: (i) => this.instanceOfClassRef(argNodes[i]),
      render: (view, locals) => this.renderTemplates(view, locals, node),
      flag: (name) => this.flags.has(name),
      setFlag: (name) => void this.flags.add(name),
    };
  }

  /** res.render(view, locals): each raw output of the view's template is an XSS sink for the local it prints. */
  private renderTemplates(view: string, locals: Value, node: ts.Node): void {
    for (const t of viewFiles(this.cfg.templates ?? [], view)) {
      let outputs = this.rawOutputCache.get(t.rel);
      if (!outputs) this.rawOutputCache.set(t.rel, (outputs = rawOutputs(t.rel, t.text)));
      for (const o of outputs) {
        let v = locals;
        for (const seg of o.path) v = this.readProp(v, seg, undefined);
        for (const taint of v.t ?? []) this.hitTaint('xss', node, `res.render('${view}')`, taint, 'high', `printed unescaped by ${o.text} in ${t.rel}`, (x) => !x.whole, { file: t.rel, output: o });
      }
    }
  }

  entry(fn: Value, args: readonly Value[], thisArg?: Value, onReturn?: (v: Value) => void): void {
    if (fn.fns?.length || fn.classes?.length) this.entries.push({ fn, args, thisArg, onReturn });
  }

  prop(v: Value, key: string): Value {
    return this.readProp(v, key, undefined);
  }

  readMember(instance: Value, member: ts.ClassElement): Value {
    const key = member.name ? this.propName(member.name) : undefined;
    return key === undefined ? EMPTY : this.readProp(instance, key, undefined);
  }

  sink(rule: TaintRule, v: Value, at: ts.Node, opts?: SinkOptions): void {
    this.sinkValue(rule, v, at, opts);
  }

  /** A singleton instance of a class (dependency injection: NestJS providers). */
  instance(cls: ClassVal): Value {
    let o = this.singletons.get(cls);
    if (o) return { objs: [o] };
    o = newObj(undefined, cls);
    this.singletons.set(cls, o);
    const ctor = cls.decl.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
    const args = ctor ? ctor.parameters.map((p) => this.typeOfAnnotation(p.type, p)) : [];
    this.withRootFrame(cls.decl.getSourceFile(), () => this.initInstance(cls, o!, args, cls.decl));
    return { objs: [o] };
  }

  /** What a type annotation tells about a value: a project class (instance), a modelled library type. */
  typeOfAnnotation(node: ts.TypeNode | undefined, param?: ts.ParameterDeclaration): Value {
    if (!node) return EMPTY;
    if (ts.isUnionTypeNode(node)) return joinAll(node.types.map((t) => this.typeOfAnnotation(t)));
    if (!ts.isTypeReferenceNode(node)) return EMPTY;
    const nameNode = ts.isIdentifier(node.typeName) ? node.typeName : node.typeName.right;
    const leftmost = ts.isIdentifier(node.typeName) ? node.typeName : leftmostIdent(node.typeName);
    return this.instanceOfNamed(leftmost, nameNode, node, param);
  }

  /**
   * A value of the class an expression names, for dependency injection by function
   * (`inject(ActivatedRoute)` in Angular): the same resolution as a type annotation.
   */
  instanceOfClassRef(e: ts.Expression | undefined): Value {
    if (!e) return EMPTY;
    if (ts.isIdentifier(e)) return this.instanceOfNamed(e, e, e);
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && ts.isIdentifier(e.name)) return this.instanceOfNamed(e.expression, e.name, e);
    return EMPTY;
  }

  private instanceOfNamed(leftmost: ts.Identifier, nameNode: ts.Identifier, node: ts.Node, param?: ts.ParameterDeclaration): Value {
    const sym = this.symbolOf(leftmost);
    const decl = sym?.declarations?.[0];
    if (decl && (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl))) {
      const spec = ts.isImportSpecifier(decl) ? moduleText(decl.parent.parent.parent.moduleSpecifier) : ts.isImportClause(decl) ? moduleText(decl.parent.moduleSpecifier) : moduleText(decl.parent.parent.moduleSpecifier);
      const imported = ts.isImportSpecifier(decl) ? (decl.propertyName ?? decl.name).text : ts.isNamespaceImport(decl) ? nameNode.text : 'default';
      if (spec) {
        const t = this.cfg.typeAnnotations(spec, imported);
        if (t) return { api: [t] };
        const target = this.prog.resolve(spec, decl.getSourceFile());
        if (target) {
          const v = this.exportOf(this.moduleState(target), imported);
          if (v?.classes?.length) return this.injectable(v.classes[0]!, param);
        }
      }
      return EMPTY;
    }
    if (decl && ts.isClassDeclaration(decl) && this.projectFiles.has(decl.getSourceFile())) {
      const v = this.readSymbol(sym!, node, undefined);
      if (v.classes?.length) return this.injectable(v.classes[0]!, param);
    }
    // Global DOM/fetch types used as annotations (Request in Next.js route handlers).
    const t = this.cfg.typeAnnotations('', nameNode.text);
    return t ? { api: [t] } : EMPTY;
  }

  private injectable(cls: ClassVal, param?: ts.ParameterDeclaration): Value {
    // Only constructor parameters are injected; a parameter typed with a class elsewhere is just a hint.
    if (param && ts.isConstructorDeclaration(param.parent)) return this.instance(cls);
    return this.instance(cls);
  }

  decoratorName(d: ts.Decorator): string | undefined {
    const e = d.expression;
    const callee = ts.isCallExpression(e) ? e.expression : e;
    return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  }

  // ---------------------------------------------------------------- built-ins

  private builtinMethod(recv: Value, name: string, args: readonly Value[], node: ts.CallExpression, fnVal: Value): Value {
    const hasTaint = !!recv.t?.length;
    const hasObjs = !!recv.objs?.length;
    if (fnVal.fns?.length && !hasTaint) return EMPTY;
    if (name === 'call' || name === 'apply' || name === 'bind') {
      if (!recv.fns?.length) return EMPTY;
      const thisArg = args[0] ?? EMPTY;
      if (name === 'bind') return { fns: recv.fns.map((f) => ({ ...f, id: freshId(), boundThis: thisArg, boundArgs: args.slice(1) })) };
      const rest = name === 'call' ? args.slice(1) : args[1] ? [this.elementsOf(args[1])] : [];
      let out: Value = EMPTY;
      for (const f of recv.fns) out = join(out, this.callFn(f, rest, thisArg, node));
      return out;
    }
    if (name === 'subscribe' || name === 'pipe') {
      // Observables (Angular route params, RxJS): the callback receives the stream's values.
      for (const a of args) if (a.fns?.length) this.call(a, [recv], undefined, node, name);
      return recv;
    }
    if (name === 'then' || name === 'catch' || name === 'finally') {
      // Promises are transparent: the callback receives the value itself.
      let out: Value = name === 'then' ? EMPTY : recv;
      const cb = args[0];
      if (cb?.fns?.length) out = join(out, this.call(cb, name === 'then' ? [recv] : [EMPTY], undefined, node, 'then'));
      if (args[1]?.fns?.length) this.call(args[1], [EMPTY], undefined, node, 'catch');
      return out;
    }
    if (hasObjs || (hasTaint && recv.t!.some((t) => t.obj))) {
      const elems = this.elementsOf(recv);
      switch (name) {
        case 'push':
        case 'unshift':
          for (const o of recv.objs ?? []) {
            for (const a of args) writeProp(o, undefined, a);
            if (o.ph) for (const a of args) this.frame.writes.push({ frame: o.ph.frame, index: o.ph.index, path: o.ph.path, key: undefined, value: a });
          }
          return { prim: true };
        case 'map':
        case 'flatMap': {
          const r = args[0]?.fns?.length ? this.call(args[0], [elems, { prim: true }, recv], undefined, node, name) : EMPTY;
          const o = newObj();
          setElem(o, name === 'flatMap' ? join(r, this.elementsOf(r)) : r);
          return { objs: [o] };
        }
        case 'forEach':
          if (args[0]?.fns?.length) this.call(args[0], [elems, { prim: true }, recv], undefined, node, name);
          return EMPTY;
        case 'reduce':
        case 'reduceRight': {
          const init = args[1] ?? EMPTY;
          if (!args[0]?.fns?.length) return init;
          const r1 = this.call(args[0], [init, elems, { prim: true }, recv], undefined, node, name);
          return join(init, join(r1, this.call(args[0], [join(init, r1), elems, { prim: true }, recv], undefined, node, name)));
        }
        case 'join': {
          const t = deepTaints(elems, 0).map((x) => ({ ...x, obj: false, pre: undefined as string | undefined }));
          return t.length ? { t } : EMPTY;
        }
        case 'get':
          return hasObjs ? this.readAny(recv) : EMPTY;
        case 'set':
          for (const o of recv.objs ?? []) writeProp(o, args[0]?.str, args[1] ?? EMPTY);
          return recv;
        case 'keys':
          return { objs: [Object.assign(newObj(), { elem: this.keysOf(recv) })] };
        default:
          if (ARRAY_SAME.has(name)) {
            if (args[0]?.fns?.length) this.call(args[0], [elems, { prim: true }, recv], undefined, node, name);
            const o = newObj();
            setElem(o, join(elems, name === 'concat' ? joinAll(args.map((a) => join(this.elementsOf(a), a))) : EMPTY));
            return { objs: [o], ...(recv.t && { t: recv.t }) };
          }
          if (ARRAY_ELEM.has(name)) {
            if (args[0]?.fns?.length) this.call(args[0], [elems, { prim: true }, recv], undefined, node, name);
            return elems;
          }
      }
    }
    if (!hasTaint) return EMPTY;
    if (PRIM_METHODS.has(name)) return { prim: true };
    if (name === 'replace' || name === 'replaceAll') {
      const pat = node.arguments[0];
      let kinds = 0;
      if (pat && ts.isRegularExpressionLiteral(pat)) {
        const { source, flags } = regexParts(pat.text);
        const rep = node.arguments[1];
        const repText = rep && ts.isStringLiteralLike(rep) ? rep.text : undefined;
        kinds = replaceCleans(source, name === 'replaceAll' ? `${flags}g` : flags, rep && (ts.isArrowFunction(rep) || ts.isFunctionExpression(rep) || ts.isIdentifier(rep)) ? '&' : repText);
      }
      const v = mapTaints(recv, (t) => ({ ...t, obj: false }));
      const withRep = join(v, this.stringify(args[1] ?? EMPTY));
      return kinds ? sanitize(withRep, kinds, ALL_KINDS) : withRep;
    }
    if (STRING_PROPAGATE.has(name)) {
      const keepStart = PRESERVE_START.has(name) || ((name === 'slice' || name === 'substring' || name === 'substr') && args[0]?.prim && node.arguments[0]?.getText() === '0');
      const base = mapTaints(recv, (t) => ({ ...t, obj: false, pre: keepStart ? t.pre : undefined }));
      return name === 'concat' ? joinAll([base, ...args.map((a) => this.stringify(a))]) : base;
    }
    if (STRING_TO_ARRAY.has(name)) {
      const o = newObj();
      setElem(o, mapTaints(recv, (t) => ({ ...t, obj: false, pre: undefined })));
      setProp(o, '0', mapTaints(recv, (t) => ({ ...t, obj: false })));
      return { objs: [o] };
    }
    // Unknown method of a tainted object (a parsed body's own function? a library result?):
    // not propagated, as CodeQL does not; the object's fields still are, through readProp.
    return EMPTY;
  }

  /** Global functions and objects of JavaScript (no lib.d.ts is loaded, so they arrive by name). */
  private intrinsic(type: string, args: readonly Value[], node: ts.Node | undefined, recv: Value | undefined): Value {
    const a0 = args[0] ?? EMPTY;
    const str = (v: Value): Value => this.stringify(v);
    switch (type) {
      case 'global.require': {
        const n = node && ts.isCallExpression(node) ? node.arguments[0] : undefined;
        if (n && ts.isStringLiteralLike(n)) return this.importModule(n.text, this.frame.sf);
        const lit = n && a0.str;
        if (lit) return this.importModule(lit, this.frame.sf);
        if (n) this.sinkValue('code-injection', a0, n, { label: 'require()', note: 'loads and runs a module chosen by the attacker' });
        return EMPTY;
      }
      case 'global.parseInt':
      case 'global.parseFloat':
      case 'global.Number':
      case 'global.Boolean':
      case 'global.isNaN':
      case 'global.isFinite':
      case 'global.Math.floor':
      case 'global.Math.round':
      case 'global.Math.abs':
      case 'global.Math.min':
      case 'global.Math.max':
      case 'global.Date':
      case 'global.Date.parse':
      case 'global.Number.parseInt':
      case 'global.Number.parseFloat':
        return { prim: true };
      case 'global.String':
        return str(a0);
      case 'global.encodeURIComponent':
      case 'global.escape':
        return sanitize(str(a0), mask(['xss', 'path-traversal', 'ssrf', 'open-redirect', 'log-injection', 'nosql-injection', 'server-side-template-injection']), ALL_KINDS);
      case 'global.encodeURI':
        return sanitize(str(a0), mask(['xss', 'log-injection', 'nosql-injection']), ALL_KINDS);
      case 'global.decodeURIComponent':
      case 'global.decodeURI':
      case 'global.unescape':
      case 'global.atob':
      case 'global.btoa':
        return mapTaints(str(a0), (t) => ({ ...t, clean: t.clean & ~mask(['xss', 'path-traversal', 'ssrf', 'open-redirect', 'log-injection']) }));
      case 'global.JSON.parse':
        return mapTaints(str(a0), (t) => ({ ...t, obj: true, pre: '' }));
      case 'global.JSON.stringify': {
        const t = deepTaints(a0).map((x) => ({ ...x, obj: false, pre: undefined as string | undefined, clean: x.clean | mask(['log-injection', 'nosql-injection']) }));
        return t.length ? { t } : EMPTY;
      }
      case 'global.Object.assign': {
        const target = a0;
        for (const src of args.slice(1)) {
          for (const o of target.objs ?? []) {
            for (const so of src.objs ?? []) for (const [k, pv] of so.props) writeProp(o, k, pv);
            if (src.t?.length) writeProp(o, undefined, { t: src.t });
            if (o.ph) this.frame.writes.push({ frame: o.ph.frame, index: o.ph.index, path: o.ph.path, key: undefined, value: src });
          }
        }
        const extra = joinAll(args.slice(1).map((s) => (s.t?.length ? { t: s.t } : EMPTY)));
        return join(target, extra);
      }
      case 'global.Object.keys':
        return { objs: [Object.assign(newObj(), { elem: this.keysOf(a0) })] };
      case 'global.Object.values':
        return { objs: [Object.assign(newObj(), { elem: this.readAny(a0) })] };
      case 'global.Object.entries': {
        const pair = newObj();
        setProp(pair, '0', this.keysOf(a0));
        setProp(pair, '1', this.readAny(a0));
        setElem(pair, join(this.keysOf(a0), this.readAny(a0)));
        return { objs: [Object.assign(newObj(), { elem: { objs: [pair] } })] };
      }
      case 'global.Object.fromEntries': {
        const o = newObj();
        setElem(o, this.readProp(this.elementsOf(a0), '1', undefined));
        return { objs: [o], ...(this.keysOf(a0).t && {}) };
      }
      case 'global.Object.freeze':
      case 'global.Object.seal':
      case 'global.Promise.resolve':
      case 'global.structuredClone':
      case 'global.Object.create':
        return type === 'global.Object.create' && node && ts.isCallExpression(node) && node.arguments[0]?.kind === ts.SyntaxKind.NullKeyword ? { objs: [newObj()] } : a0;
      case 'global.Promise.all':
      case 'global.Promise.allSettled':
      case 'global.Promise.race':
      case 'global.Promise.any':
      case 'global.Array.from':
      case 'global.Array.of': {
        const o = newObj();
        setElem(o, type === 'global.Array.of' ? joinAll(args) : this.elementsOf(a0));
        if (type === 'global.Array.from' && args[1]?.fns?.length) setElem(o, this.call(args[1], [o.elem ?? EMPTY], undefined, node, 'map'));
        for (const src of a0.objs ?? []) for (const [k, v] of src.props) if (/^\d+$/.test(k)) setProp(o, k, v);
        return { objs: [o] };
      }
      case 'global.Promise': {
        // new Promise((resolve, reject) => …): what resolve receives is the promise's value.
        const cell = newObj();
        if (a0.fns?.length) this.call(a0, [this.resolver(cell), EMPTY], undefined, node, 'executor');
        return cell.elem ?? EMPTY;
      }
      case 'global.Buffer.from':
      case 'global.Buffer.concat':
        return str(type === 'global.Buffer.concat' ? this.elementsOf(a0) : a0);
      case 'global.URL':
      case 'global.URLSearchParams': {
        const base = args[1];
        let t = str(a0);
        if (type === 'global.URL' && base?.str !== undefined && node && ts.isNewExpression(node)) {
          // new URL(path, base): a relative path cannot change the origin unless it starts with // or a scheme.
          t = mapTaints(t, (x) => ({ ...x, pre: x.pre === '' ? '' : x.pre }));
        }
        const o = newObj();
        setElem(o, t);
        const v: Value = { objs: [o], api: [type === 'global.URL' ? 'url.URL' : 'url.URLSearchParams'], ...(t.t && { t: t.t.map((x) => ({ ...x, obj: false })) }) };
        return v;
      }
      case 'global.setTimeout':
      case 'global.setInterval':
      case 'global.setImmediate':
      case 'global.queueMicrotask':
      case 'global.process.nextTick':
        if (a0.fns?.length) this.call(a0, args.slice(2), undefined, node, 'timer');
        else if (node && ts.isCallExpression(node) && node.arguments[0] && type !== 'global.setImmediate') this.sinkValue('code-injection', str(a0), node.arguments[0], { label: type.slice(7), note: 'a string argument is evaluated as code' });
        return EMPTY;
      case 'global.eval':
      case 'global.execScript':
        if (node && ts.isCallExpression(node) && node.arguments[0]) this.sinkValue('code-injection', str(a0), node.arguments[0], { label: 'eval' });
        return EMPTY;
      case 'global.Function':
        if (node && (ts.isCallExpression(node) || ts.isNewExpression(node))) {
          const argsN = node.arguments ?? [];
          const bodyNode = argsN[argsN.length - 1];
          if (bodyNode) this.sinkValue('code-injection', str(joinAll(args)), bodyNode, { label: 'Function()', note: 'the string becomes a function body' });
        }
        return EMPTY;
      case 'global.RegExp':
        if (node && (ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.[0]) this.sinkValue('regex-injection', str(a0), node.arguments[0], { label: 'RegExp()', note: 'a crafted pattern can take exponential time (ReDoS)' });
        return EMPTY;
      default:
        if (type.startsWith('global.console.')) {
          const method = type.slice('global.console.'.length);
          if (['log', 'info', 'warn', 'error', 'debug', 'trace'].includes(method) && node && ts.isCallExpression(node)) {
            node.arguments.forEach((an, i) => this.sinkValue('log-injection', args[i] ?? EMPTY, an, { label: `console.${method}`, confidence: 'medium', accept: loggedAsText, note: 'CR/LF in the value forge log entries' }));
          }
          return EMPTY;
        }
        void recv;
        return EMPTY;
    }
  }

  /** `resolve` of `new Promise(executor)`: an API node whose calls store their argument in `cell`. */
  private resolver(cell: Obj): Value {
    const type = `global.__resolve#${cell.id}`;
    this.cfg.models[type] ??= {
      call: (c) => {
        setElem(cell, join(cell.elem, c.arg(0)));
      },
    };
    return { api: [type] };
  }
}

/** Replaces the placeholders of one summarised call by the caller's actual values. */
class Substitution {
  private readonly objMemo = new Map<Obj, Obj[]>();
  /** Objects copied so far by this instantiation (bounded by MAX_COPIES). */
  private copies = 0;
  private readonly atMemo = new Map<string, Taint[]>();

  constructor(
    private readonly engine: Engine,
    private readonly frame: number,
    private readonly actual: (i: number) => Value,
    private readonly at: ts.Node,
  ) {}

  taint(t: Taint): Taint[] {
    const o = t.o;
    if (o.kind !== 'ph' || o.frame !== this.frame) return [t];
    const out: Taint[] = [];
    // One substitution reads the same parameter path for many taints (every field of a copied object).
    const mk = `${o.index}${o.path}`;
    let at = this.atMemo.get(mk);
    if (!at) this.atMemo.set(mk, (at = this.engine.taintsAt(this.actual(o.index), o.path)));
    for (const a of at) {
      out.push({
        o: a.o,
        clean: a.clean | t.clean,
        obj: a.obj && t.obj,
        ...(a.whole && t.whole !== false && t.step === undefined && { whole: true }),
        pre: t.pre === undefined || a.pre === undefined ? undefined : t.pre + a.pre,
        step: concatSteps(a.step, t.step),
        // originKey's memo of the caller's taint, reused when what it was built from is unchanged (values.ts checks).
        ...(a.keyCache && { keyCache: a.keyCache }),
      });
    }
    return out;
  }

  value(v: Value, depth = 0): Value {
    if (v === EMPTY) return v;
    if (!this.engine.spend()) return EMPTY;
    let out: Value = v;
    // Every placeholder taint becomes all the taints the caller has at that path, and every
    // placeholder object all the caller's objects there: without deduplication and widening a
    // value grows by that factor with each summary instantiated (hundreds of taints after a few
    // levels of calls on this repository's own engine), and every later join and read pays for it.
    let t: Taint[] | undefined;
    if (v.t?.length) {
      t = [];
      for (const x of v.t) t.push(...this.taint(x));
    }
    if (v.objs?.length && depth < 4) {
      const objs: Obj[] = [];
      let flat: Taint[] | undefined;
      for (const o of v.objs) {
        const copied = this.obj(o, depth);
        if (copied) objs.push(...copied);
        else (flat ??= []).push(...this.flatten(o));
      }
      const u = unionObjs(objs);
      out = { ...out, objs: u.objs };
      if (u.spill.length || flat) t = [...(t ?? v.t ?? []), ...u.spill, ...(flat ?? [])];
    }
    if (t) out = withTaints(out, widenTaints(t));
    if (v.fns?.length) {
      out = { ...out, fns: v.fns.map((f) => (this.mentionsFrame(f) ? { ...f, id: freshId(), bindings: [...(f.bindings ?? []), { frame: this.frame, args: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => this.actual(i)) }] } : f)) };
    }
    return out;
  }

  private mentionsFrame(f: Fn): boolean {
    // A closure created inside the summarised call: its captured placeholders need this call's arguments.
    for (let e = f.env; e; e = e.parent) if (e.id === this.frame) return true;
    return false;
  }

  /**
   * The caller's objects for a callee's object: the caller's own at a placeholder, the same object
   * when it holds none of this call's placeholders, else a copy with them replaced. Undefined past
   * MAX_COPIES copies in one instantiation: the caller must flatten the object into taints.
   */
  private obj(o: Obj, depth: number): Obj[] | undefined {
    if (o.ph && o.ph.frame === this.frame) return this.objsAt(this.actual(o.ph.index), o.ph.path);
    const memo = this.objMemo.get(o);
    if (memo) return memo;
    if (!this.mentions(o, 0)) {
      const same = [o];
      this.objMemo.set(o, same);
      return same;
    }
    if (++this.copies > MAX_COPIES) return undefined;
    const copy = newObj(undefined, o.cls);
    this.objMemo.set(o, [copy]);
    for (const [k, pv] of o.props) setProp(copy, k, this.value(pv, depth + 1));
    if (o.elem) setElem(copy, this.value(o.elem, depth + 1));
    return [copy];
  }

  /**
   * An object past the copy bound, as taints: every taint under it with this call's placeholders
   * replaced, marked as possibly an object so a field read from the value still carries them. Its
   * shape (which field holds what, functions stored in it) is lost, as when unionObjs spills.
   */
  private flatten(o: Obj): Taint[] {
    const out: Taint[] = [];
    for (const t of deepTaints({ objs: [o] })) for (const x of this.taint(t)) out.push(x.obj ? x : { ...x, obj: true });
    return out;
  }

  /**
   * Whether an object holds this call's placeholders within 3 levels, memoised per instantiation:
   * objects share their fields' objects, and the walk was repeated for every object of every
   * substituted value (8% of `sast .` on this repository). Found from some level means found from
   * any level above it; not found from some level means not found from any level below it.
   */
  private readonly mentionMemo = new Map<Obj, { depth: number; found: boolean }>();

  private mentions(o: Obj, depth: number): boolean {
    if (depth > 3) return false;
    const m = this.mentionMemo.get(o);
    if (m && (m.found ? m.depth >= depth : m.depth <= depth)) return m.found;
    const check = (v: Value | undefined): boolean =>
      !!v && (!!v.t?.some((t) => t.o.kind === 'ph' && t.o.frame === this.frame) || !!v.objs?.some((x) => x.ph?.frame === this.frame || this.mentions(x, depth + 1)));
    let found = check(o.elem);
    for (const pv of o.props.values()) {
      if (found) break;
      found = check(pv);
    }
    this.mentionMemo.set(o, { depth, found });
    return found;
  }

  objsAt(v: Value, path: string): Obj[] {
    let cur = v;
    if (path) for (const seg of path.split('.').slice(1)) cur = seg === '*' ? this.engine.elementsOf(cur) : this.engine.readProp({ ...(cur.objs && { objs: cur.objs }) }, seg, undefined);
    return [...(cur.objs ?? [])];
  }
}

// ---------------------------------------------------------------- helpers

/**
 * One write per target field, values joined. Writes through a parameter are replayed at every
 * call and, for an outer frame's object, handed up again: a builder that updates the same field of
 * its context in every helper collected thousands of copies of the same write, replayed at each
 * instantiation (weak updates join anyway, so merging them changes nothing).
 */
function mergeWrites(writes: Write[]): Write[] {
  if (writes.length < 2) return writes;
  const byTarget = new Map<string, Write>();
  for (const w of writes) {
    const k = `${w.obj ? `o${w.obj.id}` : `${w.frame}:${w.index}${w.path}`}|${w.key === undefined ? '\u0000' : w.key}`;
    const prev = byTarget.get(k);
    byTarget.set(k, prev ? { ...prev, value: join(prev.value, w.value) } : w);
  }
  return byTarget.size === writes.length ? writes : [...byTarget.values()];
}

function isFunctionLike(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);
}

function isLiteralArg(a: ts.Expression): boolean {
  return ts.isStringLiteralLike(a) || ts.isNumericLiteral(a) || (ts.isPrefixUnaryExpression(a) && a.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(a.operand));
}

function isTopLevel(decl: ts.Node): boolean {
  let n: ts.Node | undefined = decl.parent;
  while (n && !ts.isSourceFile(n)) {
    if (isFunctionLike(n) || ts.isClassLike(n)) return false;
    n = n.parent;
  }
  return true;
}

function isStatic(m: ts.ClassElement): boolean {
  return !!(ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword));
}

function isCommonJsSpecial(decl: ts.Declaration, name: string): boolean {
  // In JS files the binder invents symbols for `module.exports` patterns, and for globals that a
  // script assigns properties to (`document.body.x = …` makes `document` a project "declaration"
  // visible to every script): only real declarations are the project's; the rest are globals.
  void name;
  return !(
    ts.isVariableDeclaration(decl) ||
    ts.isParameter(decl) ||
    ts.isFunctionDeclaration(decl) ||
    ts.isClassDeclaration(decl) ||
    ts.isFunctionExpression(decl) ||
    ts.isClassExpression(decl) ||
    ts.isBindingElement(decl) ||
    ts.isImportClause(decl) ||
    ts.isImportSpecifier(decl) ||
    ts.isNamespaceImport(decl) ||
    ts.isImportEqualsDeclaration(decl) ||
    ts.isExportSpecifier(decl) ||
    ts.isEnumDeclaration(decl) ||
    ts.isModuleDeclaration(decl) ||
    ts.isTypeParameterDeclaration(decl) ||
    ts.isShorthandPropertyAssignment(decl)
  );
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

function constKey(e: ts.Expression): string | undefined {
  e = skipParens(e);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return e.text;
  return undefined;
}

function isConstantExpr(e: ts.Expression): boolean {
  e = skipParens(e);
  return ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || (ts.isIdentifier(e) && /^[A-Z][A-Z0-9_]*$/.test(e.text)) || (ts.isPropertyAccessExpression(e) && /^[A-Z]/.test(e.name.text));
}

function isMinusOne(e: ts.Expression): boolean {
  e = skipParens(e);
  return ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand) && e.operand.text === '1';
}

function moduleText(e: ts.Expression): string | undefined {
  return ts.isStringLiteralLike(e) ? e.text : undefined;
}

function bindingNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

function leftmostIdent(q: ts.QualifiedName): ts.Identifier {
  let n: ts.EntityName = q;
  while (ts.isQualifiedName(n)) n = n.left;
  return n;
}

function tagName(o: ts.JsxOpeningElement | ts.JsxSelfClosingElement): string {
  return o.tagName.getText();
}

function regexParts(text: string): { source: string; flags: string } {
  const i = text.lastIndexOf('/');
  return { source: text.slice(1, i), flags: text.slice(i + 1) };
}

export function fnName(decl: ts.SignatureDeclaration): string {
  if (decl.name && (ts.isIdentifier(decl.name) || ts.isStringLiteral(decl.name) || ts.isPrivateIdentifier(decl.name))) return decl.name.text;
  const p = decl.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) return p.name.text;
  return 'anonymous function';
}

/**
 * `node` reads a field straight off `from`: `from.key`, `from[key]`, or `const { key } = from`
 * (so a destructured request field is named `req.query.key` like a member read).
 */
function readsStraightOff(node: ts.Node, from: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return node.expression === from;
  if (!ts.isBindingElement(node) || node.dotDotDotToken || !ts.isObjectBindingPattern(node.parent)) return false;
  const decl = node.parent.parent;
  return ts.isVariableDeclaration(decl) && decl.initializer !== undefined && skipOuter(decl.initializer) === from;
}

function skipOuter(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

/** A model's member by name; own members only, so `toString` or `constructor` never finds Object.prototype's. */
function ownMember(model: ApiModel | undefined, key: string): string | undefined {
  const members = model?.members;
  return members && Object.hasOwn(members, key) ? members[key] : undefined;
}

function hasBuiltin(recv: Value, name: string): boolean {
  return (!!recv.t?.length || !!recv.objs?.length || !!recv.fns?.length) && (STRING_PROPAGATE.has(name) || STRING_TO_ARRAY.has(name) || ARRAY_SAME.has(name) || ARRAY_ELEM.has(name) || PRIM_METHODS.has(name) || ['map', 'forEach', 'reduce', 'push', 'then', 'catch', 'call', 'apply', 'bind', 'join', 'flatMap'].includes(name));
}

/**
 * Every expression's value widened to the bounds join keeps: string concatenation, spreads,
 * stringification and library models build taint lists by appending, and a list that is never
 * joined would otherwise carry every duplicate into the next call's summary.
 */
function bounded(v: Value): Value {
  const objsOver = (v.objs?.length ?? 0) > MAX_UNION;
  if ((v.t?.length ?? 0) <= MAX_TAINTS && !objsOver) return v;
  let t = v.t ?? [];
  let out = v;
  if (objsOver) {
    const u = unionObjs(v.objs!);
    out = { ...out, objs: u.objs };
    t = [...t, ...u.spill];
  }
  return withTaints(out, widenTaints(t));
}

function taintsOnlyOf(v: Value): Value {
  return v.t?.length ? { t: v.t } : EMPTY;
}

function validatorKinds(name: string): number {
  if (/^is(?:Email|URL|FQDN|Date|ISO8601|JWT|SemVer|Base64)$/.test(name)) return mask(['nosql-injection', 'prototype-pollution']);
  return ALL_KINDS;
}

const CONF_RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

function minConfidence(a: Confidence, b: Confidence): Confidence {
  return CONF_RANK[a] <= CONF_RANK[b] ? a : b;
}

function better(conf: Confidence, steps: Step, origin: SourceOrigin, prev: TaintHit): boolean {
  if (CONF_RANK[conf] !== CONF_RANK[prev.confidence]) return CONF_RANK[conf] > CONF_RANK[prev.confidence];
  if (origin.category !== prev.source.category) return origin.category !== 'stored';
  return steps.n < prev.steps.n;
}
