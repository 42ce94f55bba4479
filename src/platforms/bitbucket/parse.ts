import { isMap, isScalar, isSeq, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { loadYaml, nodeLocation, type SourceText } from '../../yaml/load.js';
import { YamlView } from '../../yaml/nodes.js';
import type { CiFile, RepoReader } from '../../audit/platform.js';
import type {
  BitbucketFile,
  BitbucketModel,
  CacheDef,
  CustomVariable,
  Entry,
  ImageRef,
  ImportRef,
  ModelProblem,
  Pipeline,
  PipelineKind,
  ScriptItem,
  ServiceDef,
  Step,
  Trust,
} from './model.js';

/** `bitbucket-pipelines.yml` / `.yaml`, at any depth (monorepos keep several). */
export function isBitbucketPath(repoPath: string): boolean {
  return /(?:^|\/)bitbucket-pipelines\.ya?ml$/.test(repoPath);
}

/** A file named on the command line: a top-level `pipelines:` map holding steps, or an exporting file. */
export function sniffBitbucket(text: string): boolean {
  return (/^pipelines:[ \t]*(?:#.*)?$/m.test(text) && /^\s*-?\s*(?:step|parallel|stage|import):/m.test(text)) || (/^export:\s*true\b/m.test(text) && /^definitions:/m.test(text));
}

/** Imported shared-pipeline files are followed this deep (an import inside an imported file counts one level). */
export const MAX_IMPORT_DEPTH = 5;
/** Merge keys (`<<: *a`) nest at most this deep. */
const MAX_MERGE_DEPTH = 16;

interface Ctx {
  read: RepoReader;
  problems: ModelProblem[];
  /** Parsed shared files by repo path (each read once). */
  shared: Map<string, { file?: { source: SourceText; view: YamlView; root: YAMLMap }; error?: string }>;
}

export function buildBitbucketModel(files: CiFile[], read: RepoReader): { model: BitbucketModel; problems: ModelProblem[] } {
  const ctx: Ctx = { read, problems: [], shared: new Map() };
  const out: BitbucketFile[] = [];
  for (const f of files) {
    const loaded = loadYaml(f.path, f.text);
    for (const p of loaded.problems) ctx.problems.push(p);
    if (!loaded.doc) continue;
    const file = parseFile(loaded.doc, loaded.source, f.repoPath, ctx);
    if (file) out.push(file);
  }
  return { model: { files: out }, problems: dedupeProblems(ctx.problems) };
}

function dedupeProblems(problems: ModelProblem[]): ModelProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.location.file}:${p.location.startLine}:${p.location.startColumn}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Merge-key aware access. The project's YAML loader uses the 1.2 core schema (no `<<` merge), but
// Bitbucket documents `<<: *anchor` for steps; we merge here, explicit keys winning, never expanding.

export class MergeView {
  /** Merged pairs per map node: each node is merged once, so `<<` fan-out cannot blow up. */
  private readonly cache = new WeakMap<object, Entry[]>();

  constructor(readonly view: YamlView) {}

  pairs(node: unknown, depth = 0): Entry[] {
    const map = this.view.map(node);
    if (!map) return [];
    const hit = this.cache.get(map);
    if (hit) return hit;
    const merged = this.merge(map, depth);
    this.cache.set(map, merged);
    return merged;
  }

  private merge(node: YAMLMap, depth: number): Entry[] {
    const own = this.view.pairs(node);
    if (!own.some((p) => p.key === '<<') || depth > MAX_MERGE_DEPTH) return own.filter((p) => p.key !== '<<').map(({ key, keyNode, value }) => ({ key, keyNode, value }));
    const out = new Map<string, Entry>();
    for (const p of own) {
      if (p.key !== '<<') out.set(p.key, { key: p.key, keyNode: p.keyNode, value: p.value });
    }
    const merge = own.find((p) => p.key === '<<')!.value;
    const sources = isSeq(merge) ? this.view.items(merge) : [merge];
    for (const src of sources) {
      for (const p of this.pairs(src, depth + 1)) if (!out.has(p.key)) out.set(p.key, p);
    }
    return [...out.values()];
  }

  get(node: unknown, key: string): Node | null {
    for (const p of this.pairs(node)) if (p.key === key) return p.value;
    return null;
  }

  text(node: unknown): string | undefined {
    return this.view.text(node);
  }

  scalar(node: unknown): Scalar | undefined {
    return this.view.scalar(node);
  }

  map(node: unknown): YAMLMap | undefined {
    return this.view.map(node);
  }

  items(node: unknown): Node[] {
    return this.view.items(node);
  }
}

// ---------------------------------------------------------------------------------------------

function parseFile(doc: Document.Parsed, source: SourceText, repoPath: string, ctx: Ctx): BitbucketFile | undefined {
  const view = new YamlView(doc);
  const root = view.map(doc.contents);
  if (!root) {
    if (doc.contents) ctx.problems.push({ message: 'bitbucket-pipelines.yml must be a mapping at the top level; not audited', location: nodeLocation(source, doc.contents as Node) });
    return undefined;
  }
  const mv = new MergeView(view);
  const defs = mv.get(root, 'definitions');
  const options = mv.get(root, 'options');
  const runtimeV3 = isRuntimeV3(mv, mv.get(options, 'runtime'));
  const file: BitbucketFile = {
    source,
    view,
    root,
    image: parseImage(mv, mv.get(root, 'image')),
    runtimeV3,
    caches: parseCaches(mv, mv.get(defs, 'caches')),
    services: parseServices(mv, mv.get(defs, 'services')),
    pipelines: [],
    imports: [],
  };
  const importSources = new Map<string, { path: string; node: Node | null }>();
  for (const p of mv.pairs(mv.get(defs, 'imports'))) {
    const path = mv.text(p.value);
    if (path !== undefined) importSources.set(p.key, { path, node: p.value });
  }
  const env: FileEnv = { mv, source, runtimeV3, repoPath, importSources, depth: 0, chain: [repoPath] };
  for (const group of mv.pairs(mv.get(root, 'pipelines'))) {
    const kind = group.key as PipelineKind;
    if (group.key === 'default') {
      file.pipelines.push(...pipelineOf(env, file, 'default', undefined, group.keyNode, group.value, ctx));
    } else if (['branches', 'pull-requests', 'tags', 'bookmarks', 'custom'].includes(group.key)) {
      for (const p of mv.pairs(group.value)) file.pipelines.push(...pipelineOf(env, file, kind, p.key, p.keyNode, p.value, ctx));
    }
  }
  // An exporting file's shared pipelines run in other repositories, under start conditions we cannot see.
  if (mv.text(mv.get(root, 'export')) === 'true') {
    for (const p of mv.pairs(mv.get(defs, 'pipelines'))) file.pipelines.push(...pipelineOf(env, file, 'shared', p.key, p.keyNode, p.value, ctx));
  }
  return file;
}

interface FileEnv {
  mv: MergeView;
  source: SourceText;
  runtimeV3: boolean;
  repoPath: string;
  importSources: Map<string, { path: string; node: Node | null }>;
  depth: number;
  /** Repo paths of shared files on the current import chain (cycle detection). */
  chain: string[];
}

function pipelineOf(env: FileEnv, file: BitbucketFile, kind: PipelineKind, pattern: string | undefined, keyNode: Scalar, value: Node | null, ctx: Ctx): Pipeline[] {
  const { mv } = env;
  const trust: Trust = trustOf(kind, pattern);
  // `pipeline: { import: ... }`
  const imp = isMap(value) ? mv.scalar(mv.get(value, 'import')) : undefined;
  if (imp) {
    const ref = parseImportRef(imp);
    file.imports.push(ref);
    if (ref.kind !== 'local') return [];
    const resolved = resolveLocalImport(env, ref, ctx);
    if (!resolved) return [];
    const steps = stepsOf(resolved.env, resolved.value);
    return [{ kind: kind, pattern, keyNode, source: env.source, trust, steps, variables: [], importedFrom: resolved.env.repoPath }];
  }
  const variables: CustomVariable[] = [];
  // Custom pipelines may start with `- variables: [ { name: X } ]`.
  for (const item of mv.items(value)) {
    const vars = mv.get(item, 'variables');
    if (!vars) continue;
    for (const v of mv.items(vars)) {
      const nameNode = mv.scalar(mv.get(v, 'name'));
      if (nameNode && typeof nameNode.value === 'string') variables.push({ name: nameNode.value, node: nameNode });
    }
  }
  return [{ kind: kind, pattern, keyNode, source: env.source, trust, steps: stepsOf(env, value), variables }];
}

/** Which pipelines run code nobody reviewed (see model.ts). */
export function trustOf(kind: PipelineKind, pattern: string | undefined): Trust {
  switch (kind) {
    case 'default':
    case 'pull-requests':
    case 'custom':
    case 'shared':
      return 'unreviewed';
    case 'tags':
      return 'protected';
    case 'branches':
    case 'bookmarks':
      return isProtectedGlob(pattern ?? '**') ? 'protected' : 'unreviewed';
  }
}

const PROTECTED_PREFIX = /^(?:release|releases|hotfix|hotfixes|prod|production|stable|main|master|deploy|live)(?:[/_.-]|$)/i;

/**
 * A branch glob that names specific branches (`main`, `{main,develop}`) or a release-style family
 * (`release/*`) is taken as protected; `**`, `*`, `feature/*` match any branch a writer creates.
 */
export function isProtectedGlob(pattern: string): boolean {
  const alts = /^\{([^{}]*)\}$/.exec(pattern.trim());
  const parts = alts ? alts[1]!.split(',') : [pattern];
  return parts.every((p) => {
    const t = p.trim();
    if (t === '') return false;
    if (!/[*?[\]{}]/.test(t)) return true;
    const prefix = t.slice(0, t.search(/[*?[\]{}]/));
    return PROTECTED_PREFIX.test(prefix) && /[/_.-]$/.test(prefix);
  });
}

function parseImportRef(node: Scalar): ImportRef {
  const value = String(node.value ?? '');
  const local = /^([^@:\s]+)@([^@:\s]+)$/.exec(value);
  if (local) return { value, node, kind: 'local', pipeline: local[1], sourceName: local[2] };
  const remote = /^([^:\s]+):([^:\s]+):([^:\s]+)$/.exec(value);
  if (remote) return { value, node, kind: 'repository', repo: remote[1], ref: remote[2], pipeline: remote[3] };
  return { value, node, kind: 'invalid' };
}

function resolveLocalImport(env: FileEnv, ref: ImportRef, ctx: Ctx): { env: FileEnv; value: Node | null } | undefined {
  const at = nodeLocation(env.source, ref.node);
  const src = env.importSources.get(ref.sourceName!);
  if (!src) {
    ctx.problems.push({ message: `import "${ref.value}" names import source "${ref.sourceName}", which definitions.imports does not declare; the imported pipeline was not audited`, location: at });
    return undefined;
  }
  const path = normalizePath(src.path);
  if (env.chain.includes(path)) {
    ctx.problems.push({ message: `import "${ref.value}" forms a cycle (${[...env.chain, path].join(' -> ')}); not followed`, location: at });
    return undefined;
  }
  if (env.depth >= MAX_IMPORT_DEPTH) {
    ctx.problems.push({ message: `import "${ref.value}" is nested more than ${MAX_IMPORT_DEPTH} levels deep; not followed`, location: at });
    return undefined;
  }
  let entry = ctx.shared.get(path);
  if (!entry) {
    const r = ctx.read(path);
    if ('error' in r) entry = { error: r.error };
    else {
      const loaded = loadYaml(r.file.path, r.file.text);
      for (const p of loaded.problems) ctx.problems.push(p);
      const view = loaded.doc ? new YamlView(loaded.doc) : undefined;
      const root = view?.map(loaded.doc!.contents);
      entry = root && view ? { file: { source: loaded.source, view, root } } : { error: loaded.doc ? 'not a YAML mapping' : 'could not be parsed' };
    }
    ctx.shared.set(path, entry);
  }
  if (!entry.file) {
    ctx.problems.push({ message: `import source "${ref.sourceName}" (${path}) could not be read: ${entry.error}; the imported pipeline was not audited`, location: at });
    return undefined;
  }
  const mv = new MergeView(entry.file.view);
  const defs = mv.get(entry.file.root, 'definitions');
  const pipelines = mv.get(defs, 'pipelines');
  const found = mv.pairs(pipelines).find((p) => p.key === ref.pipeline);
  if (!found) {
    ctx.problems.push({ message: `import "${ref.value}": ${path} defines no pipeline "${ref.pipeline}" under definitions.pipelines; not audited`, location: at });
    return undefined;
  }
  const sources = new Map<string, { path: string; node: Node | null }>();
  for (const p of mv.pairs(mv.get(defs, 'imports'))) {
    const t = mv.text(p.value);
    if (t !== undefined) sources.set(p.key, { path: t, node: p.value });
  }
  const sub: FileEnv = { mv, source: entry.file.source, runtimeV3: env.runtimeV3, repoPath: path, importSources: sources, depth: env.depth + 1, chain: [...env.chain, path] };
  // A shared pipeline may itself be `{ import: ... }`.
  const nested = isMap(found.value) ? mv.scalar(mv.get(found.value, 'import')) : undefined;
  if (nested) {
    const nref = parseImportRef(nested);
    if (nref.kind !== 'local') return undefined;
    return resolveLocalImport(sub, nref, ctx);
  }
  return { env: sub, value: found.value };
}

function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

// ---------------------------------------------------------------------------------------------
// Steps

interface Group {
  deployment?: { name: string; node: Scalar };
  manual?: Scalar;
}

function stepsOf(env: FileEnv, value: Node | null): Step[] {
  const out: Step[] = [];
  const { mv } = env;
  const visit = (items: Node[], group: Group): void => {
    for (const item of items) {
      for (const p of mv.pairs(item)) {
        if (p.key === 'step') {
          const step = parseStep(env, p.value, p.keyNode, group, out.length + 1);
          if (step) out.push(step);
        } else if (p.key === 'parallel') {
          // `parallel: [ - step ]` or `parallel: { fail-fast, steps: [ - step ] }`
          const steps = isSeq(p.value) ? p.value : mv.get(p.value, 'steps');
          visit(mv.items(steps), group);
        } else if (p.key === 'stage') {
          const dep = mv.scalar(mv.get(p.value, 'deployment'));
          const trig = mv.scalar(mv.get(p.value, 'trigger'));
          visit(mv.items(mv.get(p.value, 'steps')), {
            deployment: dep && typeof dep.value === 'string' ? { name: dep.value, node: dep } : group.deployment,
            manual: trig && String(trig.value) === 'manual' ? trig : group.manual,
          });
        }
      }
    }
  };
  visit(mv.items(value), {});
  return out;
}

function parseStep(env: FileEnv, value: Node | null, keyNode: Scalar, group: Group, index: number): Step | undefined {
  const { mv, source } = env;
  const node = mv.map(value);
  if (!node) return undefined;
  const nameNode = mv.scalar(mv.get(node, 'name'));
  const name = nameNode && nameNode.value != null ? String(nameNode.value) : undefined;
  const dep = mv.scalar(mv.get(node, 'deployment'));
  const trig = mv.scalar(mv.get(node, 'trigger'));
  const manualNode = trig && String(trig.value) === 'manual' ? trig : group.manual;
  const artifactsNode = mv.get(node, 'artifacts');
  const artifactPaths = isSeq(artifactsNode) ? artifactsNode : mv.get(artifactsNode, 'paths');
  const download = isMap(artifactsNode) ? mv.text(mv.get(artifactsNode, 'download')) : undefined;
  const runsOnNode = mv.get(node, 'runs-on');
  const runsOn = (isScalar(runsOnNode) ? [runsOnNode] : mv.items(runsOnNode))
    .map((n) => mv.scalar(n))
    .filter((s): s is Scalar => s !== undefined && s.value != null)
    .map((s) => ({ label: String(s.value), node: s }));
  const oidc = mv.scalar(mv.get(node, 'oidc'));
  return {
    node,
    source,
    name,
    nameNode,
    label: name ?? `step ${index}`,
    image: parseImage(mv, mv.get(node, 'image')),
    script: scriptItems(mv, mv.get(node, 'script')),
    afterScript: scriptItems(mv, mv.get(node, 'after-script')),
    caches: scalarList(mv, mv.get(node, 'caches')).map(({ text, node: n }) => ({ name: text, node: n })),
    services: scalarList(mv, mv.get(node, 'services')).map(({ text, node: n }) => ({ name: text, node: n })),
    artifacts: scalarList(mv, artifactPaths).map(({ text, node: n }) => ({ pattern: text, node: n })),
    artifactsDownload: download !== 'false',
    deployment: dep && dep.value != null ? { name: String(dep.value), node: dep, fromStage: false } : group.deployment ? { ...group.deployment, fromStage: true } : undefined,
    manual: manualNode !== undefined,
    manualNode,
    runsOn,
    oidc: oidc && String(oidc.value) === 'true' ? oidc : undefined,
    outputVariables: scalarList(mv, mv.get(node, 'output-variables')).map(({ text, node: n }) => ({ name: text, node: n })),
    runtimeV3: isRuntimeV3(mv, mv.get(node, 'runtime')) || env.runtimeV3,
    keyNode,
  };
}

function isRuntimeV3(mv: MergeView, runtime: Node | null): boolean {
  const v = mv.text(mv.get(mv.get(runtime, 'cloud'), 'version'));
  return v !== undefined && Number(v) >= 3;
}

function scalarList(mv: MergeView, node: Node | null): Array<{ text: string; node: Scalar }> {
  const out: Array<{ text: string; node: Scalar }> = [];
  for (const item of mv.items(node)) {
    const s = mv.scalar(item);
    if (s && s.value != null) out.push({ text: String(s.value), node: s });
  }
  return out;
}

function scriptItems(mv: MergeView, node: Node | null): ScriptItem[] {
  const out: ScriptItem[] = [];
  const list = isScalar(node) ? [node] : mv.items(node);
  for (const item of list) {
    const s = mv.scalar(item);
    if (s) {
      if (s.value != null) out.push({ kind: 'command', scalar: s, text: String(s.value) });
      continue;
    }
    const m = mv.map(item);
    const refNode = m ? mv.scalar(mv.get(m, 'pipe')) : undefined;
    if (m && refNode && refNode.value != null) {
      out.push({ kind: 'pipe', node: m, ref: String(refNode.value), refNode, variables: mv.pairs(mv.get(m, 'variables')) });
    }
  }
  return out;
}

function parseImage(mv: MergeView, node: Node | null): ImageRef | undefined {
  if (!node) return undefined;
  const s = mv.scalar(node);
  if (s) return s.value == null ? undefined : { node: s, name: String(s.value), nameNode: s };
  if (!isMap(node)) return undefined;
  const nameNode = mv.scalar(mv.get(node, 'name'));
  const aws = mv.get(node, 'aws');
  return {
    node,
    name: nameNode && nameNode.value != null ? String(nameNode.value) : undefined,
    nameNode,
    username: mv.scalar(mv.get(node, 'username')),
    password: mv.scalar(mv.get(node, 'password')),
    awsAccessKey: mv.scalar(mv.get(aws, 'access-key')),
    awsSecretKey: mv.scalar(mv.get(aws, 'secret-key')),
  };
}

function parseCaches(mv: MergeView, node: Node | null): CacheDef[] {
  return mv.pairs(node).map((p) => {
    const path = mv.text(p.value) ?? mv.text(mv.get(p.value, 'path'));
    const files = mv.items(mv.get(mv.get(p.value, 'key'), 'files')).map((n) => mv.text(n)).filter((t): t is string => t !== undefined);
    return { name: p.key, keyNode: p.keyNode, path, keyFiles: files };
  });
}

function parseServices(mv: MergeView, node: Node | null): ServiceDef[] {
  return mv.pairs(node).map((p) => ({
    name: p.key,
    keyNode: p.keyNode,
    image: parseImage(mv, mv.get(p.value, 'image')),
    type: mv.text(mv.get(p.value, 'type')),
    variables: mv.pairs(mv.get(p.value, 'variables')),
  }));
}
