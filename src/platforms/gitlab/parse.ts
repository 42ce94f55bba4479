import { isMap, isScalar, isSeq, type Node, type Scalar, type Tags } from 'yaml';
import type { Diagnostic, Location } from '../../core/finding.js';
import type { CiFile, RepoReader } from '../../audit/platform.js';
import { loadYaml, locationOf, makeSource, nodeLocation } from '../../yaml/load.js';
import { YamlView } from '../../yaml/nodes.js';
import type {
  CacheSpec, Environment, GitlabFile, GitlabModel, GitlabProblem, ImageRef, Include, Job, MapEntry, MapVal, Origin, Pipeline, ScalarVal, ScriptLine, SeqVal, Spec, SpecInput, Val, Variable,
} from './model.js';

/** GitLab's own limits (gitlab.com defaults), which also bound a hostile repository. */
export const GITLAB_LIMITS = {
  /** Includes per pipeline (`ci_max_includes`). */
  maxIncludes: 150,
  /** Nesting of includes within includes. */
  maxIncludeDepth: 100,
  /** `extends:` inheritance depth. */
  maxExtendsDepth: 11,
  /** `!reference` nesting. */
  maxReferenceDepth: 10,
  /** Child pipeline nesting (`trigger: include:` within a child). */
  maxChildDepth: 2,
  /** Values built per audit (aliases are expanded when building merged jobs). */
  maxValues: 1_000_000,
};

/** Top-level keys that are not jobs. */
export const RESERVED_KEYS = new Set(['image', 'services', 'stages', 'types', 'before_script', 'after_script', 'variables', 'cache', 'include', 'default', 'workflow', 'spec']);

/** Keys a job inherits from `default:` (and legacy top-level keys). */
const DEFAULTABLE = ['after_script', 'artifacts', 'before_script', 'cache', 'hooks', 'id_tokens', 'image', 'interruptible', 'retry', 'services', 'tags', 'timeout'];
const LEGACY_GLOBALS = ['image', 'services', 'cache', 'before_script', 'after_script'];

/** `!reference [job, key]` stays a sequence node tagged `!reference`; the model resolves it. */
export const GITLAB_TAGS: Tags = [{ tag: '!reference', collection: 'seq', resolve: (seq: unknown) => seq } as unknown as Tags[number]];

class BudgetExceeded extends Error {}

interface Ctx {
  read: RepoReader;
  files: Map<string, GitlabFile>;
  /** Per-file converted top-level value (null: not a usable map). */
  converted: Map<GitlabFile, MapVal | null>;
  problems: GitlabProblem[];
  notes: Diagnostic[];
  values: number;
  reported: Set<string>;
}

export interface BuildResult {
  model: GitlabModel;
  problems: GitlabProblem[];
  /** Not errors in the file: includes that cannot be followed offline, and the like. */
  notes: Diagnostic[];
}

/** Parses entry files (and what they include, through `read`) into pipelines. Never throws on bad input. */
export function buildGitlabModel(entries: CiFile[], read: RepoReader): BuildResult {
  const ctx: Ctx = { read, files: new Map(), converted: new Map(), problems: [], notes: [], values: 0, reported: new Set() };
  const pipelines: Pipeline[] = [];
  for (const entry of entries) {
    const file = loadFile(ctx, entry);
    buildPipeline(ctx, file, 'root', undefined, [file.repoPath], pipelines);
  }
  return { model: { files: [...ctx.files.values()], pipelines }, problems: ctx.problems, notes: ctx.notes };
}

// ---------------------------------------------------------------------------------------------
// Files

function problem(ctx: Ctx, message: string, location: Location): void {
  // One problem per message and place, however often a shared template is resolved.
  const key = `${location.file}:${location.startLine}:${location.startColumn}:${message}`;
  if (ctx.reported.has(key)) return;
  ctx.reported.add(key);
  ctx.problems.push({ message, location });
}

/** Loads a file once per audit (keyed by repository path). */
function loadFile(ctx: Ctx, ci: CiFile): GitlabFile {
  const key = ci.repoPath.replace(/^\.?\//, '');
  const cached = ctx.files.get(key);
  if (cached) return cached;
  const file = parseGitlabText(ci.path, key, ci.text, ctx.problems);
  ctx.files.set(key, file);
  return file;
}

/**
 * A file that declares `spec: inputs:` holds two YAML documents: the header, `---`, then the
 * configuration. Each is parsed on its own from a copy of the text with the other part blanked
 * to spaces (newlines kept), so offsets, lines and columns are those of the real file.
 */
export function parseGitlabText(path: string, repoPath: string, text: string, problems: GitlabProblem[]): GitlabFile {
  const source = makeSource(path, text);
  const file: GitlabFile = { path, repoPath, source };
  const split = headerSplit(text);
  if (split) {
    const header = loadYaml(path, text.slice(0, split.start), { customTags: GITLAB_TAGS });
    const headerView = header.doc ? new YamlView(header.doc) : undefined;
    const specNode = headerView && header.doc ? headerView.get(header.doc.contents, 'spec') : null;
    if (header.doc && headerView && specNode) {
      file.spec = readSpec(headerView, specNode);
      const body = blank(text.slice(0, split.end)) + text.slice(split.end);
      const loaded = loadYaml(path, body, { customTags: GITLAB_TAGS });
      for (const p of loaded.problems) problems.push({ message: p.message, location: { ...p.location, file: path } });
      if (loaded.doc) {
        file.doc = loaded.doc;
        file.view = new YamlView(loaded.doc);
      }
      return file;
    }
    // Not a spec header: fall through and let the parser report the second document.
  }
  const loaded = loadYaml(path, text, { customTags: GITLAB_TAGS });
  for (const p of loaded.problems) problems.push(p);
  if (loaded.doc) {
    file.doc = loaded.doc;
    file.view = new YamlView(loaded.doc);
  }
  return file;
}

function blank(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

/** The first `---` line after some content: [start of the marker line, end of the marker line]. */
function headerSplit(text: string): { start: number; end: number } | undefined {
  const re = /^---[ \t]*(?:#.*)?$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (text.slice(0, m.index).replace(/#.*$/gm, '').trim() === '') continue; // a leading document marker
    const nl = text.indexOf('\n', m.index);
    return { start: m.index, end: nl === -1 ? text.length : nl + 1 };
  }
  return undefined;
}

function readSpec(view: YamlView, specNode: Node): Spec {
  const inputs: SpecInput[] = [];
  for (const p of view.pairs(view.get(specNode, 'inputs'))) {
    const type = view.text(view.get(p.value, 'type')) ?? 'string';
    const options = view.items(view.get(p.value, 'options')).map((n) => view.text(n) ?? '');
    const regexNode = view.scalar(view.get(p.value, 'regex'));
    const def = view.scalar(view.get(p.value, 'default'));
    inputs.push({
      name: p.key,
      keyNode: p.keyNode,
      type,
      ...(view.get(p.value, 'options') ? { options } : {}),
      ...(regexNode && typeof regexNode.value === 'string' ? { regex: { pattern: regexNode.value, node: regexNode } } : {}),
      ...(def ? { default: def } : {}),
    });
  }
  return { node: specNode, inputs };
}

// ---------------------------------------------------------------------------------------------
// Values

function count(ctx: Ctx, n = 1): void {
  ctx.values += n;
  if (ctx.values > GITLAB_LIMITS.maxValues) throw new BudgetExceeded(`more than ${GITLAB_LIMITS.maxValues} values after expanding aliases and merges (possible alias bomb); not audited`);
}

/** The file's top-level map as values (aliases and `<<` merge keys expanded), cached. */
function fileRoot(ctx: Ctx, file: GitlabFile): MapVal | null {
  if (ctx.converted.has(file)) return ctx.converted.get(file)!;
  let root: MapVal | null = null;
  if (file.doc && file.view && file.doc.contents) {
    const before = ctx.values;
    try {
      const v = toVal(ctx, file, file.doc.contents as Node, 0);
      if (v?.kind === 'map') root = v;
      else if (v) problem(ctx, 'the configuration must be a map of keywords and jobs', nodeLocation(file.source, file.doc.contents as Node));
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      ctx.values = before; // this file is dropped; others keep their budget
      problem(ctx, e.message, locationOf(file.source, 0, 1));
    }
  }
  ctx.converted.set(file, root);
  return root;
}

function toVal(ctx: Ctx, file: GitlabFile, raw: unknown, depth: number): Val | undefined {
  const view = file.view!;
  const node = view.deref(raw);
  if (!node) return undefined;
  count(ctx);
  if (depth > 256) throw new BudgetExceeded('nesting too deep after expanding aliases; not audited');
  const at: Origin = { file, node };
  if (isMap(node)) {
    const entries = new Map<string, MapEntry>();
    const merges: MapVal[] = [];
    for (const pair of node.items) {
      const keyNode = view.scalar(pair.key);
      if (!keyNode || keyNode.value === null || keyNode.value === undefined) continue;
      const key = String(keyNode.value);
      if (key === '<<' && !(keyNode.type === 'QUOTE_DOUBLE' || keyNode.type === 'QUOTE_SINGLE')) {
        // YAML merge key (GitLab's Psych honours it): explicit keys win, then earlier sources.
        const v = toVal(ctx, file, pair.value, depth + 1);
        if (v?.kind === 'map') merges.push(v);
        else if (v?.kind === 'seq') for (const it of v.items) if (it.kind === 'map') merges.push(it);
        continue;
      }
      const value = toVal(ctx, file, pair.value, depth + 1) ?? nullVal(file, keyNode);
      entries.set(key, { key, keyAt: { file, node: keyNode }, value });
    }
    for (const m of merges) {
      for (const [k, e] of m.entries) if (!entries.has(k)) entries.set(k, e);
    }
    return { kind: 'map', at, entries };
  }
  if (isSeq(node)) {
    if (node.tag === '!reference') {
      return { kind: 'seq', at, items: [], reference: node.items.map((i) => view.text(i) ?? '') };
    }
    const items: Val[] = [];
    for (const it of node.items) {
      const v = toVal(ctx, file, it, depth + 1);
      if (v) items.push(v);
    }
    return { kind: 'seq', at, items };
  }
  if (isScalar(node)) {
    const value = node.value;
    return { kind: 'scalar', at, scalar: node, value: typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null };
  }
  return undefined;
}

/** `key:` with nothing after it: a null value placed at the key. */
function nullVal(file: GitlabFile, keyNode: Scalar): ScalarVal {
  return { kind: 'scalar', at: { file, node: keyNode }, scalar: keyNode, value: null };
}

/** GitLab's deep merge: maps merge key by key, everything else is replaced by `over`. */
export function deepMerge(ctx: Ctx | undefined, base: Val, over: Val): Val {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  if (ctx) count(ctx, base.entries.size);
  const entries = new Map<string, MapEntry>(base.entries);
  for (const [k, e] of over.entries) {
    const b = entries.get(k);
    entries.set(k, b ? { key: k, keyAt: e.keyAt, value: deepMerge(ctx, b.value, e.value) } : e);
  }
  return { kind: 'map', at: over.at, entries };
}

// ---------------------------------------------------------------------------------------------
// Value accessors (shared with the rules)

export function get(v: Val | undefined, key: string): Val | undefined {
  return v?.kind === 'map' ? v.entries.get(key)?.value : undefined;
}

export function entry(v: Val | undefined, key: string): MapEntry | undefined {
  return v?.kind === 'map' ? v.entries.get(key) : undefined;
}

export function str(v: Val | undefined): string | undefined {
  if (v?.kind !== 'scalar' || v.value === null) return undefined;
  return String(v.value);
}

export function scalarOf(v: Val | undefined): ScalarVal | undefined {
  return v?.kind === 'scalar' && v.value !== null ? v : undefined;
}

/** Items of a list, or the value itself when it is not a list (GitLab accepts both for many keys). */
export function listOf(v: Val | undefined): Val[] {
  if (!v) return [];
  if (v.kind === 'seq') return v.reference ? [] : v.items;
  return [v];
}

/** Scalars of a list, nested lists flattened (GitLab flattens `script:` arrays up to 10 levels). */
export function flatScalars(v: Val | undefined, depth = 0): ScalarVal[] {
  if (!v || depth > 10) return [];
  if (v.kind === 'scalar') return v.value === null ? [] : [v];
  if (v.kind === 'seq') return v.items.flatMap((i) => flatScalars(i, depth + 1));
  return [];
}

export function originLocation(o: Origin): Location {
  return nodeLocation(o.file.source, o.node);
}

// ---------------------------------------------------------------------------------------------
// Includes

function parseIncludes(ctx: Ctx, file: GitlabFile, v: Val | undefined, child: boolean): Include[] {
  const out: Include[] = [];
  for (const item of listOf(v)) {
    if (item.kind === 'scalar') {
      const value = str(item) ?? '';
      const kind = /^https?:\/\//i.test(value.trim()) ? 'remote' : 'local';
      out.push({ kind, from: file, node: item.at.node, target: item.scalar, value, inputs: [], child });
      continue;
    }
    if (item.kind !== 'map') {
      problem(ctx, 'an include must be a path, a URL or a map', originLocation(item.at));
      continue;
    }
    const inputs = [...(get(item, 'inputs')?.kind === 'map' ? (get(item, 'inputs') as MapVal).entries.values() : [])];
    const base = { from: file, node: item.at.node, inputs, child };
    const pick = (k: string): ScalarVal | undefined => scalarOf(get(item, k));
    const local = pick('local');
    const remote = pick('remote');
    const project = pick('project');
    const template = pick('template');
    const component = pick('component');
    const artifact = pick('artifact');
    if (local) out.push({ ...base, kind: 'local', target: local.scalar, value: String(local.value) });
    else if (remote) out.push({ ...base, kind: 'remote', target: remote.scalar, value: String(remote.value), ...(pick('integrity') ? { integrity: pick('integrity')!.scalar } : {}) });
    else if (project) {
      const ref = pick('ref');
      out.push({ ...base, kind: 'project', target: project.scalar, value: String(project.value), ...(ref ? { ref: ref.scalar } : {}), files: flatScalars(get(item, 'file')).map((s) => s.scalar) });
    } else if (template) out.push({ ...base, kind: 'template', target: template.scalar, value: String(template.value) });
    else if (component) out.push({ ...base, kind: 'component', target: component.scalar, value: String(component.value) });
    else if (artifact) out.push({ ...base, kind: 'artifact', target: artifact.scalar, value: String(artifact.value) });
    else {
      problem(ctx, 'include has none of local:, remote:, project:, template:, component:', originLocation(item.at));
      out.push({ ...base, kind: 'invalid', target: undefined, value: '' });
    }
  }
  return out;
}

interface Expansion {
  includes: Include[];
  count: number;
  /** Local files already expanded into this pipeline: GitLab ignores duplicate includes. */
  expanded?: Set<string>;
}

/**
 * A file's configuration with its includes merged in GitLab's order: each include (recursively
 * expanded) in turn, then the file's own content on top. `stack` holds the files being expanded
 * (cycle detection).
 */
function expand(ctx: Ctx, file: GitlabFile, stack: string[], acc: Expansion): MapVal | undefined {
  const own = fileRoot(ctx, file);
  if (!own) return undefined;
  const includes = parseIncludes(ctx, file, get(own, 'include'), false);
  let merged: Val | undefined;
  for (const inc of includes) {
    acc.includes.push(inc);
    if (inc.kind !== 'local') continue;
    const target = resolveLocal(ctx, file, inc, stack, acc);
    if (!target) continue;
    const sub = expand(ctx, target, [...stack, target.repoPath], acc);
    if (sub) merged = merged ? deepMerge(ctx, merged, sub) : sub;
  }
  const ownWithout: MapVal = { ...own, entries: new Map([...own.entries].filter(([k]) => k !== 'include')) };
  const result = merged ? deepMerge(ctx, merged, ownWithout) : ownWithout;
  return result.kind === 'map' ? result : undefined;
}

function includeLocation(inc: Include): Location {
  return nodeLocation(inc.from.source, inc.target ?? inc.node);
}

/** Reads a local include (or child pipeline file) through the repository reader, within the limits. */
function resolveLocal(ctx: Ctx, from: GitlabFile, inc: Include, stack: string[], acc: Expansion): GitlabFile | undefined {
  const raw = inc.value.trim();
  const at = includeLocation(inc);
  if (raw.includes('$')) {
    ctx.notes.push({ level: 'note', file: from.path, line: at.startLine, column: at.startColumn, message: `include "${raw}" uses a variable; it cannot be resolved statically and was not audited` });
    return undefined;
  }
  if (/[*?[]/.test(raw)) {
    ctx.notes.push({ level: 'note', file: from.path, line: at.startLine, column: at.startColumn, message: `include "${raw}" is a wildcard; the files it matches were not audited` });
    return undefined;
  }
  // Local paths are relative to the repository root, with or without a leading slash.
  const repoPath = raw.replace(/^\/+/, '').replace(/^\.\//, '');
  if (repoPath === '' || repoPath.split('/').includes('..')) {
    problem(ctx, `include "${raw}" is not a path inside the repository`, at);
    return undefined;
  }
  if (stack.includes(repoPath)) {
    problem(ctx, `include cycle: ${[...stack.slice(stack.indexOf(repoPath)), repoPath].join(' -> ')}; not followed`, at);
    return undefined;
  }
  // A file included twice (a diamond of includes) is expanded once, as GitLab does: without
  // this, each file including the next two was expanded 2^depth times.
  acc.expanded ??= new Set();
  if (acc.expanded.has(repoPath)) {
    const seen = ctx.files.get(repoPath);
    if (seen) inc.resolved = seen;
    return undefined;
  }
  if (++acc.count > GITLAB_LIMITS.maxIncludes) {
    problem(ctx, `more than ${GITLAB_LIMITS.maxIncludes} includes in one pipeline (GitLab's limit); "${raw}" not followed`, at);
    return undefined;
  }
  if (stack.length > GITLAB_LIMITS.maxIncludeDepth) {
    problem(ctx, `includes nested deeper than ${GITLAB_LIMITS.maxIncludeDepth} levels; "${raw}" not followed`, at);
    return undefined;
  }
  acc.expanded.add(repoPath);
  let file = ctx.files.get(repoPath);
  if (!file) {
    const got = ctx.read(repoPath);
    if ('error' in got) {
      problem(ctx, `cannot read included file "${raw}": ${got.error}`, at);
      return undefined;
    }
    file = loadFile(ctx, got.file);
  }
  inc.resolved = file;
  return file;
}

// ---------------------------------------------------------------------------------------------
// Pipelines and jobs

function buildPipeline(ctx: Ctx, entry: GitlabFile, kind: 'root' | 'child', parentJob: Job | undefined, stack: string[], out: Pipeline[]): void {
  const acc: Expansion = { includes: [], count: 0 };
  let root: MapVal | undefined;
  const before = ctx.values;
  try {
    root = expand(ctx, entry, stack, acc);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    ctx.values = before;
    problem(ctx, e.message, locationOf(entry.source, 0, 1));
    return;
  }
  if (!root) return;
  const pipeline: Pipeline = { kind, entry, ...(parentJob ? { parentJob } : {}), root, includes: acc.includes, jobs: [], templates: [], variables: [] };
  try {
    fillPipeline(ctx, pipeline);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    problem(ctx, e.message, locationOf(entry.source, 0, 1));
    return;
  }
  out.push(pipeline);
  if (stack.length > GITLAB_LIMITS.maxChildDepth) return;
  for (const job of pipeline.jobs) {
    const include = get(job.trigger, 'include');
    if (!include) continue;
    const incs = parseIncludes(ctx, job.keyAt.file, include, true);
    for (const inc of incs) {
      pipeline.includes.push(inc);
      if (inc.kind !== 'local') continue;
      const target = resolveLocal(ctx, job.keyAt.file, inc, stack, { includes: [], count: 0 });
      if (target) buildPipeline(ctx, target, 'child', job, [...stack, target.repoPath], out);
    }
  }
}

interface Extended {
  value: MapVal;
  /** Every ancestor once, nearest first (`extends: [a, b]`: a, a's ancestors, b, b's ancestors). */
  chain: string[];
  /** Longest `extends` path below this entry (0: extends nothing). */
  levels: number;
}

/**
 * Resolves `extends:` for every map entry of a pipeline, each entry once (memoised), iteratively
 * (no recursion, so no stack overflow however long the chain). An entry more than
 * GITLAB_LIMITS.maxExtendsDepth levels deep is reported once, where the chain first crosses the
 * limit (GitLab rejects such a pipeline); parents past the limit are not merged, which bounds the
 * work on a hostile file (25 templates each extending the previous two used to build chains of
 * 10^5 names and overflow the stack). Cycles are reported where they close.
 */
function resolveExtends(ctx: Ctx, root: MapVal, unreadIncludes: boolean): Map<string, Extended> {
  const cap = GITLAB_LIMITS.maxExtendsDepth;
  const done = new Map<string, Extended>();
  const visiting = new Set<string>();
  const parentsOf = (name: string): ScalarVal[] => {
    const e = root.entries.get(name);
    return e && e.value.kind === 'map' ? flatScalars(get(e.value, 'extends')) : [];
  };
  const finish = (name: string, own: MapVal): void => {
    let merged: Val | undefined;
    const chain: string[] = [];
    const inChain = new Set<string>();
    let levels = 0;
    const found: Array<{ pname: string; at: ScalarVal; base: Extended }> = [];
    for (const parent of parentsOf(name)) {
      const pname = String(parent.value);
      const base = done.get(pname);
      if (!base) continue; // missing or part of a cycle: reported when visited
      found.push({ pname, at: parent, base });
      levels = Math.max(levels, base.levels + 1);
    }
    // Report once, where the chain first crosses the limit (no parent is over it already).
    const crossing = levels > cap && found.every((f) => f.base.levels <= cap);
    for (const { pname, at, base } of found) {
      if (base.levels >= cap) {
        if (crossing && base.levels === cap) {
          problem(ctx, `extends: "${name}" is nested ${levels} levels deep through "${pname}", more than GitLab's limit of ${cap}; GitLab rejects this pipeline`, originLocation(at.at));
        }
        continue;
      }
      for (const n of [pname, ...base.chain]) {
        if (inChain.has(n)) continue;
        inChain.add(n);
        chain.push(n);
      }
      merged = merged ? deepMerge(ctx, merged, base.value) : base.value;
    }
    done.set(name, { value: (merged ? deepMerge(ctx, merged, own) : own) as MapVal, chain, levels });
  };
  for (const [start, e] of root.entries) {
    if (e.value.kind !== 'map' || RESERVED_KEYS.has(start) || done.has(start)) continue;
    // Depth-first, post-order: an entry is finished after all of its parents.
    const stack: Array<{ name: string; own: MapVal; parents: ScalarVal[]; next: number }> = [];
    const push = (name: string, own: MapVal): void => {
      visiting.add(name);
      stack.push({ name, own, parents: parentsOf(name), next: 0 });
    };
    push(start, e.value);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.parents.length) {
        const parent = top.parents[top.next++]!;
        const pname = String(parent.value);
        if (done.has(pname)) continue;
        if (visiting.has(pname)) {
          const from = stack.findIndex((f) => f.name === pname);
          const cycle = [...stack.slice(from).map((f) => f.name), pname];
          problem(ctx, `extends: circular dependency: ${cycle.join(' -> ')}`, originLocation(parent.at));
          continue;
        }
        const pe = root.entries.get(pname);
        if (!pe || pe.value.kind !== 'map') {
          if (!unreadIncludes) problem(ctx, `extends: "${pname}" is not a job or template in this pipeline`, originLocation(parent.at));
          continue;
        }
        push(pname, pe.value);
        continue;
      }
      stack.pop();
      visiting.delete(top.name);
      finish(top.name, top.own);
    }
  }
  return done;
}

function fillPipeline(ctx: Ctx, p: Pipeline): void {
  const root = p.root;
  // Jobs and templates can come from remote, project, template or component includes, which an
  // offline scan cannot read: a name missing here may be defined there.
  const unreadIncludes = p.includes.some((i) => i.kind !== 'local' && i.kind !== 'invalid');
  // 1. extends
  const extended = resolveExtends(ctx, root, unreadIncludes);

  // 2. !reference, against the extended configuration
  const lookup = (path: string[]): Val | undefined => {
    const [head, ...rest] = path;
    if (head === undefined) return undefined;
    let v: Val | undefined = extended.get(head)?.value ?? root.entries.get(head)?.value;
    for (const k of rest) v = get(v, k);
    return v;
  };
  // Shared subtrees (a template extended by many jobs, a template referenced twice) are resolved
  // once per nesting depth (at most maxReferenceDepth + 1 times): templates each referencing the
  // previous one twice used to be re-resolved 2^depth times, with a problem for every leaf.
  const memo = new WeakMap<Val, Map<number, Val>>();
  let tooDeepReported = false;
  const resolveRefs = (v: Val, depth: number): Val => {
    if (v.kind === 'scalar') return v;
    let byDepth = memo.get(v);
    const hit = byDepth?.get(depth);
    if (hit) return hit;
    const r = resolveRefsUncached(v, depth);
    if (!byDepth) memo.set(v, (byDepth = new Map()));
    byDepth.set(depth, r);
    return r;
  };
  const resolveRefsUncached = (v: Val, depth: number): Val => {
    if (v.kind === 'scalar') return v;
    if (v.kind === 'seq' && v.reference) {
      const target = depth < GITLAB_LIMITS.maxReferenceDepth ? lookup(v.reference) : undefined;
      if (!target) {
        if (depth < GITLAB_LIMITS.maxReferenceDepth) {
          if (!unreadIncludes) problem(ctx, `!reference [${v.reference.join(', ')}] points at nothing in this pipeline`, referenceLocation(v));
        } else if (!tooDeepReported) {
          // Once per pipeline: a fan-out of references would otherwise repeat it at every leaf.
          tooDeepReported = true;
          problem(ctx, `!reference nested deeper than ${GITLAB_LIMITS.maxReferenceDepth} levels (GitLab's limit); the deeper references were not resolved`, referenceLocation(v));
        }
        return { kind: 'seq', at: v.at, items: [] };
      }
      return resolveRefs(target, depth + 1);
    }
    count(ctx);
    if (v.kind === 'seq') {
      let changed = false;
      const items = v.items.map((i) => {
        const r = resolveRefs(i, depth);
        if (r !== i) changed = true;
        return r;
      });
      return changed ? { ...v, items } : v;
    }
    let changed = false;
    const entries = new Map<string, MapEntry>();
    for (const [k, e] of v.entries) {
      const r = resolveRefs(e.value, depth);
      if (r !== e.value) changed = true;
      entries.set(k, r === e.value ? e : { ...e, value: r });
    }
    return changed ? { ...v, entries } : v;
  };
  const final = (name: string): Val | undefined => {
    const v = extended.get(name)?.value ?? root.entries.get(name)?.value;
    return v ? resolveRefs(v, 0) : undefined;
  };

  // 3. globals
  const defaults = final('default');
  if (defaults?.kind === 'map') p.default = defaults;
  const workflowRules = get(final('workflow'), 'rules');
  if (workflowRules?.kind === 'seq') p.workflowRules = workflowRules;
  p.variables = readVariables(final('variables'), 'global');
  const legacy = new Map<string, Val>();
  for (const k of LEGACY_GLOBALS) {
    const v = final(k);
    if (v) legacy.set(k, v);
  }

  // 4. jobs
  for (const [name, e] of root.entries) {
    if (RESERVED_KEYS.has(name) || e.value.kind !== 'map') continue;
    const config = final(name);
    if (config?.kind !== 'map') continue;
    const job = makeJob(p, name, e, config, extended.get(name)?.chain ?? [], legacy);
    (job.hidden ? p.templates : p.jobs).push(job);
  }
}

/** The `!reference [...]` text, tag included (the node's range starts at the bracket). */
function referenceLocation(v: SeqVal): Location {
  const src = v.at.file.source;
  const r = v.at.node.range;
  if (!r) return originLocation(v.at);
  const lineStart = src.text.lastIndexOf('\n', r[0] - 1) + 1;
  const tag = src.text.lastIndexOf('!reference', r[0]);
  const start = tag >= lineStart ? tag : r[0];
  return locationOf(src, start, Math.max(start + 1, src.text.indexOf(']', r[0]) + 1 || r[1]));
}

function readVariables(v: Val | undefined, scope: Variable['scope']): Variable[] {
  if (v?.kind !== 'map') return [];
  const out: Variable[] = [];
  for (const e of v.entries.values()) {
    let value: ScalarVal | undefined;
    let expand = true;
    if (e.value.kind === 'scalar') value = e.value;
    else if (e.value.kind === 'map') {
      value = scalarOf(get(e.value, 'value'));
      if (str(get(e.value, 'expand')) === 'false') expand = false;
    }
    out.push({ name: e.key, keyAt: e.keyAt, ...(value ? { value } : {}), scope, expand });
  }
  return out;
}

function makeJob(p: Pipeline, name: string, e: MapEntry, config: MapVal, chain: string[], legacy: Map<string, Val>): Job {
  const inherit = get(config, 'inherit');
  const inheritDefault = get(inherit, 'default');
  const inheritVars = get(inherit, 'variables');
  const allowed = (spec: Val | undefined, key: string): boolean => {
    if (!spec) return true;
    if (spec.kind === 'scalar') return str(spec) !== 'false';
    return flatScalars(spec).some((s) => String(s.value) === key);
  };
  /** The job's own value, else the default one (unless `inherit: default:` excludes it). */
  const withDefault = (key: string): { value: Val; fromDefault: boolean } | undefined => {
    const own = get(config, key);
    if (own) return { value: own, fromDefault: false };
    if (!DEFAULTABLE.includes(key) || !allowed(inheritDefault, key)) return undefined;
    const d = get(p.default, key) ?? legacy.get(key);
    return d ? { value: d, fromDefault: true } : undefined;
  };

  const scripts: ScriptLine[] = [];
  for (const section of ['before_script', 'script', 'after_script'] as const) {
    const v = section === 'script' ? (get(config, 'script') ? { value: get(config, 'script')!, fromDefault: false } : undefined) : withDefault(section);
    if (!v) continue;
    for (const s of flatScalars(v.value)) if (typeof s.value === 'string') scripts.push({ section, value: s, fromDefault: v.fromDefault });
  }

  const imageOf = (v: Val, fromDefault: boolean): ImageRef | undefined => {
    if (v.kind === 'scalar') return v.value === null ? undefined : { name: v, fromDefault };
    const n = scalarOf(get(v, 'name'));
    return n && v.kind === 'map' ? { name: n, fromDefault, config: v } : undefined;
  };
  const img = withDefault('image');
  const image = img ? imageOf(img.value, img.fromDefault) : undefined;
  const svc = withDefault('services');
  const services = svc ? listOf(svc.value).map((s) => imageOf(s, svc.fromDefault)).filter((x): x is ImageRef => x !== undefined) : [];

  // `inherit: variables: false` drops every global variable; a list keeps only those named.
  const globals = !inheritVars ? p.variables : inheritVars.kind === 'scalar' ? (str(inheritVars) === 'false' ? [] : p.variables) : p.variables.filter((v) => allowed(inheritVars, v.name));
  const variables = [...globals, ...readVariables(get(config, 'variables'), 'job')];
  for (const r of listOf(get(config, 'rules'))) variables.push(...readVariables(get(r, 'variables'), 'rule'));

  const tg = withDefault('tags');
  const tags = tg ? flatScalars(tg.value) : [];

  const cacheV = withDefault('cache');
  const cache: CacheSpec[] = [];
  if (cacheV) {
    for (const c of listOf(cacheV.value)) {
      if (c.kind !== 'map') continue;
      const unprotect = scalarOf(get(c, 'unprotect'));
      const key = get(c, 'key');
      cache.push({ at: c.at, config: c, ...(key ? { key } : {}), policy: str(get(c, 'policy')) ?? 'pull-push', ...(unprotect ? { unprotect } : {}), fromDefault: cacheV.fromDefault });
    }
  }
  const art = withDefault('artifacts');
  const envV = get(config, 'environment');
  let environment: Environment | undefined;
  if (envV?.kind === 'scalar' && envV.value !== null) environment = { at: envV.at, name: envV };
  else if (envV?.kind === 'map') {
    const n = scalarOf(get(envV, 'name'));
    const t = scalarOf(get(envV, 'deployment_tier'));
    environment = { at: envV.at, ...(n ? { name: n } : {}), ...(str(get(envV, 'action')) ? { action: str(get(envV, 'action')) } : {}), ...(t ? { tier: t } : {}) };
  }
  const rules = get(config, 'rules');
  const idTokens = withDefault('id_tokens')?.value;
  const secrets = get(config, 'secrets');
  const when = str(get(config, 'when'));
  return {
    name,
    keyAt: e.keyAt,
    hidden: name.startsWith('.'),
    pipeline: p,
    config,
    extendsChain: chain,
    scripts,
    ...(image ? { image } : {}),
    services,
    variables,
    tags,
    cache,
    ...(art?.value.kind === 'map' ? { artifacts: art.value } : {}),
    ...(environment ? { environment } : {}),
    ...(rules?.kind === 'seq' ? { rules } : {}),
    ...(get(config, 'only') ? { only: get(config, 'only') } : {}),
    ...(get(config, 'except') ? { except: get(config, 'except') } : {}),
    ...(get(config, 'trigger') ? { trigger: get(config, 'trigger') } : {}),
    ...(idTokens?.kind === 'map' ? { idTokens } : {}),
    ...(secrets?.kind === 'map' ? { secrets } : {}),
    ...(when ? { when } : {}),
  };
}

/** Looks a variable up the way a job sees it (the last definition wins; rule variables only when no other). */
export function lookupVariable(job: Job, name: string): Variable | undefined {
  let found: Variable | undefined;
  for (const v of job.variables) if (v.name === name && (v.scope !== 'rule' || !found)) found = v;
  return found;
}

/** Does this text look like a GitLab config (for a file named on the command line)? */
export function sniffGitlab(text: string): boolean {
  if (/^\s*(?:on|runs|jobs):/m.test(text) && /^jobs:/m.test(text)) return false; // GitHub Actions
  let hits = 0;
  if (/^stages:\s*$/m.test(text)) hits += 2;
  if (/^(?:include|workflow|default):\s*$/m.test(text)) hits++;
  if (/^\s+script:\s*(?:$|\[|\||>|-|["'\w])/m.test(text)) hits++;
  if (/^\s+(?:stage|extends|rules|only|except|artifacts|needs|when|environment):/m.test(text)) hits++;
  if (/\$CI_[A-Z_]+|\$\[\[\s*inputs\./.test(text)) hits++;
  if (/^spec:\s*$/m.test(text) && /^---\s*$/m.test(text)) hits += 2;
  return hits >= 2 && !/^pipelines:\s*$/m.test(text) && !/^version:\s*2\.1/m.test(text) && !/^(?:trigger|pr|pool):/m.test(text);
}

export { locationOf };
export type { Ctx as BuildContext };
