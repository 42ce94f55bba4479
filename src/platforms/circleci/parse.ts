import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { CiFile, RepoReader } from '../../audit/platform.js';
import { loadYaml, nodeLocation, type YamlProblem } from '../../yaml/load.js';
import type {
  CallStep,
  CircleFile,
  CircleModel,
  ContinuationRef,
  Definitions,
  Entry,
  ExecutionSpec,
  Filters,
  Image,
  OrbRef,
  Parameter,
  RefFilter,
  Step,
  Workflow,
  WorkflowJob,
} from './model.js';
import { MergeView } from './view.js';

/** Steps nest through `when:`/`unless:` and `steps` arguments; aliases could make that cyclic. */
const MAX_STEP_DEPTH = 24;
/** Inline orbs may declare inline orbs; CircleCI allows little nesting, we allow a bit more. */
const MAX_ORB_DEPTH = 4;
/**
 * Steps modelled per file. Aliases are shared nodes in YAML, but a step list reused through
 * nested aliases (`steps: *s` inside `when:` inside a list aliased ten times...) would otherwise
 * be modelled exponentially often.
 */
export const MAX_STEPS = 50_000;
/** Continuation configs reached from setup configs (a continuation cannot set up again). */
const MAX_CONTINUATION_DEPTH = 3;

/** Keys of a workflow job entry that are not parameters passed to the job. */
export const WORKFLOW_JOB_KEYS = new Set(['requires', 'filters', 'context', 'type', 'matrix', 'name', 'pre-steps', 'post-steps', 'serial-group', 'override-with']);

/** Built-in step types (anything else is a command or orb command invocation). */
const BUILTIN_STEPS = new Set([
  'run',
  'checkout',
  'save_cache',
  'restore_cache',
  'persist_to_workspace',
  'attach_workspace',
  'store_artifacts',
  'store_test_results',
  'setup_remote_docker',
  'add_ssh_keys',
  'when',
  'unless',
  'deploy',
  'release',
]);

export function isEntryPath(repoPath: string): boolean {
  return /(?:^|\/)\.circleci\/config\.ya?ml$/.test(repoPath);
}

/** Does this text look like a CircleCI config (for files named on the command line)? */
export function sniffCircleci(text: string): boolean {
  if (!/^version:\s*['"]?2(?:\.[01])?['"]?\s*(?:#.*)?$/m.test(text)) return false;
  return /^(?:jobs|workflows|orbs|executors|commands):/m.test(text) && !/^(?:services|stages|pipelines|trigger|pr):/m.test(text);
}

/**
 * Parses entry files and the continuation configs their `setup: true` workflows hand over to
 * (read through `read`, which never leaves the repository). Unreadable or malformed files become
 * problems at the line that references them; everything else is still modelled.
 */
export function buildCircleModel(entries: CiFile[], read: RepoReader): { model: CircleModel; problems: YamlProblem[] } {
  const files: CircleFile[] = [];
  const problems: YamlProblem[] = [];
  const byRepoPath = new Map<string, CircleFile>();
  const queue: Array<{ file: CircleFile; depth: number }> = [];
  for (const ci of entries) {
    if (byRepoPath.has(ci.repoPath)) continue;
    const f = parseCircleFile(ci, 'config', problems);
    if (!f) continue;
    files.push(f);
    byRepoPath.set(ci.repoPath, f);
    queue.push({ file: f, depth: 0 });
  }
  while (queue.length > 0) {
    const { file, depth } = queue.shift()!;
    for (const ref of file.continuations) {
      const known = byRepoPath.get(ref.path);
      if (known) {
        ref.file = known;
        known.parent ??= { file, ref };
        continue;
      }
      const at = nodeLocation(file.source, ref.node);
      if (depth + 1 > MAX_CONTINUATION_DEPTH) {
        problems.push({ message: `continuation config "${ref.path}" is nested more than ${MAX_CONTINUATION_DEPTH} levels deep; not followed`, location: at });
        continue;
      }
      const got = read(ref.path);
      if ('error' in got) {
        // Setup jobs often generate the continuation config at run time: a file a run step names is not missing.
        if (generatedBySetup(file, ref.path)) continue;
        problems.push({ message: `continuation config "${ref.path}" cannot be read (${got.error}); it was not audited`, location: at });
        continue;
      }
      const f = parseCircleFile(got.file, 'continuation', problems);
      byRepoPath.set(ref.path, f ?? file);
      if (!f) continue;
      f.parent = { file, ref };
      ref.file = f;
      files.push(f);
      queue.push({ file: f, depth: depth + 1 });
    }
  }
  return { model: { files }, problems };
}

export function parseCircleFile(ci: CiFile, kind: CircleFile['kind'], problems: YamlProblem[]): CircleFile | undefined {
  const loaded = loadYaml(ci.path, ci.text);
  problems.push(...loaded.problems);
  if (!loaded.doc) return undefined;
  const view = new MergeView(loaded.doc);
  const root = view.map(loaded.doc.contents);
  if (!root) {
    if (loaded.doc.contents !== null) problems.push({ message: 'a CircleCI config must be a map at the top level; not audited', location: nodeLocation(loaded.source, loaded.doc.contents as Node) });
    return undefined;
  }
  const p = new Parser(view);
  const versionNode = view.sc(view.get(root, 'version'));
  const setupNode = view.sc(view.get(root, 'setup'));
  const defs = p.definitions(root, '', undefined, 0);
  const file: CircleFile = {
    path: ci.path,
    repoPath: ci.repoPath,
    source: loaded.source,
    view,
    root,
    kind,
    ...(versionNode ? { version: view.str(versionNode), versionNode } : {}),
    setup: setupNode?.value === true || view.str(setupNode) === 'true',
    ...(setupNode ? { setupNode } : {}),
    pipelineParameters: p.parameters(view.get(root, 'parameters')),
    defs,
    workflows: p.workflows(view.get(root, 'workflows')),
    continuations: [],
  };
  if (file.setup) file.continuations = continuationsOf(file);
  if (p.exhausted) problems.push({ message: `more than ${MAX_STEPS} steps once YAML aliases are expanded; the rest of the file was not audited`, location: nodeLocation(loaded.source, root) });
  return file;
}

class Parser {
  private budget = MAX_STEPS;
  exhausted = false;

  constructor(private readonly v: MergeView) {}

  definitions(node: Node, scope: string, parent: Definitions | undefined, depth: number): Definitions {
    const v = this.v;
    const defs: Definitions = { scope, ...(parent ? { parent } : {}), orbs: [], executors: [], commands: [], jobs: [] };
    for (const o of v.pairs(v.get(node, 'orbs'))) {
      const text = v.str(o.value);
      if (text !== undefined && isScalar(o.value)) {
        defs.orbs.push({ name: o.key, nameNode: o.keyNode, node: o.value, ref: orbRef(text, o.value) });
      } else if (v.map(o.value) && depth < MAX_ORB_DEPTH) {
        defs.orbs.push({ name: o.key, nameNode: o.keyNode, node: o.value, inline: this.definitions(o.value!, o.key, defs, depth + 1) });
      } else {
        defs.orbs.push({ name: o.key, nameNode: o.keyNode, node: o.value });
      }
    }
    for (const e of v.pairs(v.get(node, 'executors'))) {
      defs.executors.push({ kind: 'executor', name: e.key, nameNode: e.keyNode, node: e.value, parameters: this.parameters(v.get(e.value, 'parameters')), owner: defs, ...this.execution(e.value) });
    }
    for (const c of v.pairs(v.get(node, 'commands'))) {
      defs.commands.push({ kind: 'command', name: c.key, nameNode: c.keyNode, node: c.value, parameters: this.parameters(v.get(c.value, 'parameters')), steps: this.steps(v.get(c.value, 'steps'), 0), owner: defs });
    }
    for (const j of v.pairs(v.get(node, 'jobs'))) {
      const type = v.sc(v.get(j.value, 'type'));
      defs.jobs.push({
        kind: 'job',
        name: j.key,
        nameNode: j.keyNode,
        node: j.value,
        parameters: this.parameters(v.get(j.value, 'parameters')),
        steps: this.steps(v.get(j.value, 'steps'), 0),
        owner: defs,
        ...(type ? { type } : {}),
        ...this.execution(j.value),
      });
    }
    return defs;
  }

  parameters(node: Node | null): Parameter[] {
    const v = this.v;
    return v.pairs(node).map((p) => {
      const typeNode = v.sc(v.get(p.value, 'type'));
      const def = v.getPair(p.value, 'default');
      const en = v.get(p.value, 'enum');
      return {
        name: p.key,
        nameNode: p.keyNode,
        node: p.value,
        ...(typeNode ? { type: v.str(typeNode), typeNode } : {}),
        ...(def ? { default: def.value } : {}),
        ...(en ? { enum: v.scalars(en).map((s) => String(s.value)) } : {}),
      };
    });
  }

  entries(node: Node | null): Entry[] {
    const v = this.v;
    const m = v.map(node);
    if (m) return v.pairs(m).map((p) => ({ key: p.key, keyNode: p.keyNode, value: p.value }));
    // `environment:` may also be a list of `KEY=value` strings (2.0 style) or single-key maps.
    const out: Entry[] = [];
    for (const item of v.items(node)) {
      if (isScalar(item) && typeof item.value === 'string') {
        const eq = item.value.indexOf('=');
        if (eq > 0) out.push({ key: item.value.slice(0, eq), keyNode: item, value: item });
      } else {
        for (const p of v.pairs(item)) out.push({ key: p.key, keyNode: p.keyNode, value: p.value });
      }
    }
    return out;
  }

  execution(node: Node | null): ExecutionSpec {
    const v = this.v;
    const images: Image[] = [];
    for (const item of v.items(v.get(node, 'docker'))) {
      images.push({
        node: item,
        ...(v.sc(v.get(item, 'image')) ? { image: v.sc(v.get(item, 'image'))! } : {}),
        auth: this.entries(v.get(item, 'auth')),
        awsAuth: this.entries(v.get(item, 'aws_auth')),
        environment: this.entries(v.get(item, 'environment')),
      });
    }
    const spec: ExecutionSpec = { images, environment: this.entries(v.get(node, 'environment')) };
    const machine = v.getPair(node, 'machine');
    if (machine) spec.machine = machine.value;
    const macos = v.getPair(node, 'macos');
    if (macos) spec.macos = macos.value;
    const rc = v.sc(v.get(node, 'resource_class'));
    if (rc) spec.resourceClass = rc;
    const shell = v.sc(v.get(node, 'shell'));
    if (shell) spec.shell = shell;
    const wd = v.sc(v.get(node, 'working_directory'));
    if (wd) spec.workingDirectory = wd;
    const ex = v.get(node, 'executor');
    const exName = v.sc(ex) ?? v.sc(v.get(ex, 'name'));
    if (exName && v.str(exName) !== undefined) {
      spec.executorRef = { name: v.str(exName)!, node: exName, args: v.map(ex) ? this.entries(ex).filter((e) => e.key !== 'name') : [] };
    }
    return spec;
  }

  steps(node: Node | null, depth: number): Step[] {
    const v = this.v;
    const out: Step[] = [];
    if (depth > MAX_STEP_DEPTH || this.exhausted) return out;
    v.items(node).forEach((item, index) => {
      const s = this.step(item, index, depth);
      if (s) out.push(s);
    });
    return out;
  }

  private step(item: Node, index: number, depth: number): Step | undefined {
    const v = this.v;
    if (--this.budget < 0) {
      this.exhausted = true;
      return undefined;
    }
    let keyNode: Scalar | undefined;
    let name: string | undefined;
    let body: Node | null = null;
    if (isScalar(item)) {
      keyNode = item;
      name = v.str(item);
    } else {
      const pairs = v.pairs(item);
      const first = pairs[0];
      if (!first) return undefined;
      keyNode = first.keyNode;
      name = first.key;
      body = first.value;
    }
    if (!keyNode || name === undefined) return undefined;
    const base = { index, node: item, keyNode };
    switch (name) {
      case 'run':
      case 'deploy': {
        const command = isScalar(body) ? v.sc(body) : v.sc(v.get(body, 'command'));
        const shell = v.sc(v.get(body, 'shell'));
        const stepName = v.str(v.get(body, 'name'));
        return {
          ...base,
          type: 'run',
          ...(command ? { command } : {}),
          ...(stepName !== undefined ? { name: stepName } : {}),
          ...(shell ? { shell } : {}),
          environment: isMap(body) ? this.entries(v.get(body, 'environment')) : [],
          deprecatedDeploy: name === 'deploy',
        };
      }
      case 'checkout': {
        const path = v.sc(v.get(body, 'path'));
        return { ...base, type: 'checkout', ...(path ? { path } : {}) };
      }
      case 'save_cache': {
        const key = v.sc(v.get(body, 'key'));
        return { ...base, type: 'save_cache', ...(key ? { key } : {}), paths: v.scalars(v.get(body, 'paths')) };
      }
      case 'restore_cache':
        return { ...base, type: 'restore_cache', keys: [...v.scalars(v.get(body, 'key')), ...v.scalars(v.get(body, 'keys'))] };
      case 'persist_to_workspace': {
        const root = v.sc(v.get(body, 'root'));
        return { ...base, type: 'persist_to_workspace', ...(root ? { root } : {}), paths: v.scalars(v.get(body, 'paths')) };
      }
      case 'store_artifacts': {
        const path = v.sc(v.get(body, 'path'));
        const destination = v.sc(v.get(body, 'destination'));
        return { ...base, type: 'store_artifacts', ...(path ? { path } : {}), ...(destination ? { destination } : {}) };
      }
      case 'when':
      case 'unless':
        return { ...base, type: name, condition: v.get(body, 'condition'), steps: this.steps(v.get(body, 'steps'), depth + 1) };
      default:
        if (BUILTIN_STEPS.has(name)) return { ...base, type: 'other', name };
        return this.call(base, name, body, depth);
    }
  }

  private call(base: { index: number; node: Node; keyNode: Scalar }, ref: string, body: Node | null, depth: number): CallStep {
    const v = this.v;
    const args = isMap(body) ? this.entries(body) : [];
    const stepArgs: CallStep['stepArgs'] = [];
    for (const a of args) if (isSeq(a.value) && looksLikeSteps(v, a.value)) stepArgs.push({ key: a.key, steps: this.steps(a.value, depth + 1) });
    return { ...base, type: 'call', ref, args, stepArgs };
  }

  workflows(node: Node | null): Workflow[] {
    const v = this.v;
    const out: Workflow[] = [];
    for (const w of v.pairs(node)) {
      if (w.key === 'version') continue; // 2.0 `workflows: version: 2`
      if (!v.map(w.value)) continue;
      const wf: Workflow = { name: w.key, nameNode: w.keyNode, node: w.value, jobs: [] };
      const when = v.getPair(w.value, 'when');
      if (when) wf.when = when.value;
      const unless = v.getPair(w.value, 'unless');
      if (unless) wf.unless = unless.value;
      const triggers = v.getPair(w.value, 'triggers');
      if (triggers) wf.triggers = triggers.value;
      for (const item of v.items(v.get(w.value, 'jobs'))) {
        const job = this.workflowJob(item);
        if (job) wf.jobs.push(job);
      }
      out.push(wf);
    }
    return out;
  }

  private workflowJob(item: Node): WorkflowJob | undefined {
    const v = this.v;
    if (isScalar(item)) {
      const ref = v.str(item);
      if (ref === undefined) return undefined;
      return { ref, refNode: item, node: item, id: ref, requires: [], contexts: [], args: [], preSteps: [], postSteps: [] };
    }
    const first = v.pairs(item)[0];
    if (!first) return undefined;
    const body = first.value;
    const alias = v.str(v.get(body, 'name'));
    const type = v.sc(v.get(body, 'type'));
    const filtersPair = v.getPair(body, 'filters');
    const matrix = v.getPair(body, 'matrix');
    return {
      ref: first.key,
      refNode: first.keyNode,
      node: item,
      ...(alias !== undefined ? { alias } : {}),
      id: alias ?? first.key,
      requires: v.scalars(v.get(body, 'requires')),
      ...(filtersPair ? { filters: this.filters(filtersPair.value) } : {}),
      contexts: v.scalars(v.get(body, 'context')),
      ...(type ? { type } : {}),
      ...(matrix ? { matrix: matrix.value } : {}),
      args: this.entries(body).filter((e) => !WORKFLOW_JOB_KEYS.has(e.key)),
      preSteps: this.steps(v.get(body, 'pre-steps'), 0),
      postSteps: this.steps(v.get(body, 'post-steps'), 0),
    };
  }

  private filters(node: Node | null): Filters {
    const v = this.v;
    const expr = v.sc(node);
    if (expr && typeof expr.value === 'string') return { node, expression: expr };
    const f: Filters = { node };
    const b = v.getPair(node, 'branches');
    if (b) f.branches = this.refFilter(b.value);
    const t = v.getPair(node, 'tags');
    if (t) f.tags = this.refFilter(t.value);
    return f;
  }

  private refFilter(node: Node | null): RefFilter {
    const v = this.v;
    const only = v.getPair(node, 'only');
    const ignore = v.getPair(node, 'ignore');
    return { node, only: only ? v.scalars(only.value) : [], ignore: ignore ? v.scalars(ignore.value) : [], hasOnly: !!only, hasIgnore: !!ignore };
  }
}

function looksLikeSteps(v: MergeView, seq: Node): boolean {
  const items = v.items(seq);
  if (items.length === 0) return false;
  return items.every((i) => (isScalar(i) && typeof i.value === 'string' && /^[\w/-]+$/.test(i.value)) || (isMap(i) && v.pairs(i).length === 1));
}

export function orbRef(text: string, node: Scalar): OrbRef {
  const t = text.trim();
  if (/^https?:\/\//i.test(t)) return { text: t, node, kind: 'url' };
  const at = t.indexOf('@');
  const name = at === -1 ? t : t.slice(0, at);
  const slash = name.indexOf('/');
  return {
    text: t,
    node,
    kind: 'registry',
    ...(slash !== -1 ? { namespace: name.slice(0, slash), orb: name.slice(slash + 1) } : { orb: name }),
    ...(at !== -1 ? { version: t.slice(at + 1) } : {}),
  };
}

/**
 * Where a setup config continues: `continuation/continue` (parameter `configuration_path`,
 * required by the orb) and `path-filtering/filter` or `/generate-config` (`config-path`,
 * default `.circleci/continue_config.yml`), whether invoked as a command step or as an orb job
 * in a workflow. Only literal repository paths are followed: a path built at run time
 * (`/tmp/generated.yml`, `<< parameters.x >>`, `$VAR`) names a generated file.
 */
function continuationsOf(file: CircleFile): ContinuationRef[] {
  const v = file.view;
  const out: ContinuationRef[] = [];
  const consider = (ref: string, at: Scalar, args: Entry[]): void => {
    const kind = continuationOrbKind(file, ref);
    if (!kind) return;
    const key = kind === 'continuation' ? 'configuration_path' : 'config-path';
    const arg = args.find((a) => a.key === key);
    const node = arg ? v.sc(arg.value) : at;
    const path = arg ? v.str(arg.value) : kind === 'path-filtering' ? '.circleci/continue_config.yml' : undefined;
    if (!node || path === undefined) return;
    const clean = repoRelative(path);
    if (!clean) return;
    if (!out.some((r) => r.path === clean)) out.push({ path: clean, node, via: ref });
  };
  const walk = (steps: Step[]): void => {
    for (const s of steps) {
      if (s.type === 'call') {
        consider(s.ref, s.keyNode, s.args);
        for (const a of s.stepArgs) walk(a.steps);
      } else if (s.type === 'when' || s.type === 'unless') walk(s.steps);
    }
  };
  for (const j of file.defs.jobs) walk(j.steps);
  for (const c of file.defs.commands) walk(c.steps);
  for (const wf of file.workflows) for (const j of wf.jobs) {
    consider(j.ref, j.refNode, j.args);
    walk(j.preSteps);
    walk(j.postSteps);
  }
  return out;
}

/** Does a run step of the setup file mention the file (it is generated at run time)? */
function generatedBySetup(file: CircleFile, path: string): boolean {
  const base = path.replace(/^.*\//, '');
  const mentions = (steps: Step[], depth = 0): boolean =>
    depth < 24 &&
    steps.some(
      (s) =>
        (s.type === 'run' && typeof s.command?.value === 'string' && s.command.value.includes(base)) ||
        ((s.type === 'when' || s.type === 'unless') && mentions(s.steps, depth + 1)) ||
        (s.type === 'call' && s.stepArgs.some((a) => mentions(a.steps, depth + 1))),
    );
  return [...file.defs.jobs, ...file.defs.commands].some((d) => mentions(d.steps)) || file.workflows.some((w) => w.jobs.some((j) => mentions(j.preSteps) || mentions(j.postSteps)));
}

/** Is `ref` (`alias/element`) an element of CircleCI's continuation or path-filtering orb? */
export function continuationOrbKind(file: CircleFile, ref: string): 'continuation' | 'path-filtering' | undefined {
  const slash = ref.indexOf('/');
  if (slash === -1) return undefined;
  const o = file.defs.orbs.find((x) => x.name === ref.slice(0, slash));
  if (o?.ref?.namespace?.toLowerCase() !== 'circleci') return undefined;
  const orb = o.ref.orb?.toLowerCase();
  return orb === 'continuation' ? 'continuation' : orb === 'path-filtering' ? 'path-filtering' : undefined;
}

/** A literal, repository-relative path (`./x`, `x/y.yml`), or undefined for anything else. */
function repoRelative(path: string): string | undefined {
  const p = path.trim();
  if (p === '' || /<<|\$|^[/~]|^[A-Za-z]:/.test(p)) return undefined;
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}
