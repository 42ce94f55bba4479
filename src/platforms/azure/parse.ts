import { isMap, isScalar, type Node, type Scalar, type YAMLMap } from 'yaml';
import { loadYaml, nodeLocation, type LoadedYaml, type SourceText, type YamlProblem } from '../../yaml/load.js';
import { YamlView } from '../../yaml/nodes.js';
import type {
  AzureModel,
  Checkout,
  ContainerResource,
  Context,
  Entry,
  Job,
  ParamBinding,
  Parameter,
  Pipeline,
  Pool,
  RepositoryResource,
  Stage,
  Step,
  StepKind,
  TaskRef,
  TemplateRef,
  Trigger,
  VariableEntry,
} from './model.js';

/** An Azure Pipelines file: display path, repository-relative path, text. */
export interface AzureFile {
  path: string;
  repoPath: string;
  text: string;
}

/** Reads another file of the same repository (never leaves it); see audit/platform.ts RepoReader. */
export type AzureReader = (repoPath: string) => { file: AzureFile } | { error: string };

/**
 * Azure's own limits are 100 template files and 20 levels of nesting per pipeline; the
 * expansion cap also bounds "diamond" fan-out (a template included many times at every level).
 */
export const TEMPLATE_LIMITS = { maxDepth: 20, maxExpansions: 500 };

export interface AzureLoadResult {
  model: AzureModel;
  problems: YamlProblem[];
}

/**
 * Entry files by name alone: `azure-pipelines.yml|yaml` and `.azure-pipelines.yml|yaml` anywhere.
 * Files at other conventional places are candidates (`isAzureCandidatePath`): their content decides.
 */
export function isAzureEntryPath(repoPath: string): boolean {
  return /(?:^|\/)\.?azure-pipelines\.ya?ml$/i.test(repoPath);
}

/**
 * Folders whose name says "pipelines" (`.azure-pipelines/`, `azure-pipelines/`, `build/azure-pipelines/`,
 * `.pipelines/`, `eng/pipelines/`, `.azuredevops/`, `.vsts-ci/`): their YAML files, at any depth, are
 * read and kept only when the content is an Azure entry pipeline (`sniffAzureEntry`). These folders
 * mostly hold templates, and a template audited on its own would look like a pipeline that every pull
 * request runs (no `pr:` key means "all pull requests"), so the content check is what keeps precision.
 */
const PIPELINE_DIRS = new Set(['.azure-pipelines', 'azure-pipelines', '.pipelines', 'pipelines', '.azuredevops', '.vsts-ci']);

/** Paths worth reading to see whether they are Azure entry pipelines (see PIPELINE_DIRS). */
export function isAzureCandidatePath(repoPath: string): boolean {
  if (!/\.ya?ml$/i.test(repoPath) || isAzureEntryPath(repoPath)) return false;
  const parts = repoPath.toLowerCase().split('/');
  const name = parts.pop()!;
  // `x.azure-pipelines.yml`, `azure-pipelines-release.yml`, `azure-pipelines.pr.yml`, `ci/azure-pipelines_win.yml`,
  // and the singular `azure-pipeline.stable.yml` (microsoft/vscode-python)
  if (/(?:^|[._-])azure-pipelines?[._-]/.test(name)) return true;
  return parts.some((d) => PIPELINE_DIRS.has(d));
}

const STEP_KEYS = ['script', 'bash', 'pwsh', 'powershell', 'task', 'checkout'];

/** Top-level keys only a pipeline (never a steps/jobs/stages/variables template) may have. */
const ENTRY_KEYS = ['trigger', 'pr', 'schedules', 'extends', 'name', 'pool', 'lockBehavior', 'appendCommitMessageToRunName'];
/** Top-level keys of other CI systems that Azure does not have (GitHub, GitLab, CircleCI, Bitbucket). */
const FOREIGN_KEYS = ['on', 'runs', 'apiVersion', 'kind', 'resource_types', 'groups', 'agents', 'env', 'language', 'script', 'dist', 'os', 'include', 'default', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'version', 'orbs', 'workflows', 'executors', 'commands', 'pipelines', 'definitions', 'clone', 'options'];
/** What may sit under a `trigger:` / `pr:` mapping (a GitLab job named `trigger` has `script:`, `stage:`...). */
const TRIGGER_KEYS: Record<string, readonly string[]> = { trigger: ['batch', 'branches', 'paths', 'tags'], pr: ['autoCancel', 'branches', 'paths', 'drafts'] };

/** For a file named on the command line: top-level keys of a pipeline and Azure step keys. */
export function sniffAzure(text: string): boolean {
  return sniffKeys(text)?.azure ?? false;
}

/**
 * For a candidate file found by the directory walk: an Azure pipeline that is an entry, i.e. it
 * has a key templates cannot have (`trigger`, `pr`, `schedules`, `extends`, `pool`, `name`, ...).
 * A template (only `parameters:` with `steps:`/`jobs:`/`stages:`/`variables:`) is not one: it is
 * audited through the pipeline that includes it, with that pipeline's triggers and parameters.
 */
export function sniffAzureEntry(text: string): boolean {
  const s = sniffKeys(text);
  return s !== undefined && s.azure && (ENTRY_KEYS.some((k) => s.keys.has(k)) || bareSteps(text, s.keys));
}

/**
 * Top-level keys of a one-job pipeline written as bare `steps:` (Azure runs such a file as a
 * pipeline with the default triggers and the hosted pool). A steps template has only `parameters:`
 * and `steps:`, so any of the others marks an entry.
 */
const BARE_STEPS_KEYS = new Set(['steps', 'variables', 'resources', 'container', 'services', 'workspace', 'strategy', 'timeoutInMinutes', 'cancelTimeoutInMinutes', 'continueOnError']);

/**
 * A bare-steps pipeline (`steps:` with no `stages:`/`jobs:`) that is not evidently a steps
 * template: no `parameters:` declared or read. Such a file looks exactly like a parameterless
 * steps template, so the auditor also drops it when another pipeline includes it or its path says
 * template (`isTemplateLikePath`).
 */
export function isBareStepsPipeline(text: string): boolean {
  const s = sniffKeys(text);
  return s !== undefined && s.azure && bareSteps(text, s.keys);
}

function bareSteps(text: string, keys: Set<string>): boolean {
  if (!keys.has('steps') || [...keys].some((k) => !BARE_STEPS_KEYS.has(k))) return false;
  return !/\$\{\{[^}]*\bparameters\b/.test(text);
}

/** `templates/`, `template/`, `steps/` folders, or `steps-x.yml`, `x-steps.yml`, `x.template.yml` names. */
export function isTemplateLikePath(repoPath: string): boolean {
  const parts = repoPath.toLowerCase().split('/');
  const name = parts.pop()!.replace(/\.ya?ml$/, '');
  return parts.some((d) => /^(?:templates?|steps|.*-templates?(?:-v\d+)?)$/.test(d)) || /(?:^|[-_.])(?:steps?|templates?)(?:$|[-_.])/.test(name);
}

function sniffKeys(text: string): { azure: boolean; keys: Set<string> } | undefined {
  const loaded = loadYaml('sniff.yml', text);
  if (!loaded.doc) return undefined;
  const y = new YamlView(loaded.doc);
  const pairs = y.pairs(loaded.doc.contents);
  const keys = new Set(pairs.map((p) => p.key));
  const no = { azure: false, keys };
  if (FOREIGN_KEYS.some((k) => keys.has(k))) return no;
  for (const [k, allowed] of Object.entries(TRIGGER_KEYS)) {
    const v = pairs.find((p) => p.key === k)?.value;
    if (v && isMap(v) && y.pairs(v).some((p) => !allowed.includes(p.key))) return no;
  }
  const structural = ['trigger', 'pr', 'stages', 'jobs', 'steps', 'pool', 'extends', 'resources', 'variables'].some((k) => keys.has(k));
  if (!structural) return no;
  if (keys.has('extends') || keys.has('trigger') || keys.has('pr')) return { azure: true, keys };
  // stages/jobs/steps: require an Azure step key somewhere below (GitLab, CircleCI and Bitbucket use other words).
  return { azure: /^\s*-\s*(?:script|bash|pwsh|powershell|task|checkout|template):/m.test(text) && !/^\s*-?\s*run:/m.test(text), keys };
}

/** Builds the model of every entry file; templates are read through `read` (cached per call). */
export function buildAzureModel(files: AzureFile[], read: AzureReader): AzureLoadResult {
  const b = new Builder(read);
  const pipelines: Pipeline[] = [];
  for (const f of files) {
    const p = b.pipeline(f);
    if (p) pipelines.push(p);
  }
  return { model: { pipelines }, problems: b.problems };
}

interface Item {
  node: Node;
  ctx: Context;
  /** A template's `variables:` written as a mapping. */
  mapForm?: boolean;
}

type LoadedFile = { file: AzureFile; loaded: LoadedYaml; view?: YamlView } | { error: string };

class Builder {
  readonly problems: YamlProblem[] = [];
  private readonly cache = new Map<string, LoadedFile>();
  private readonly reportedFiles = new Set<string>();
  private expansions = 0;
  private templates: TemplateRef[] = [];

  constructor(private readonly read: AzureReader) {}

  private problem(source: SourceText, node: Node | null | undefined, message: string): void {
    this.problems.push({ message, location: nodeLocation(source, node) });
  }

  pipeline(f: AzureFile): Pipeline | undefined {
    const loaded = loadYaml(f.path, f.text);
    this.problems.push(...loaded.problems);
    if (!loaded.doc) return undefined;
    const view = new YamlView(loaded.doc);
    const root = view.map(loaded.doc.contents);
    if (!root) {
      if (loaded.doc.contents !== null) this.problem(loaded.source, loaded.doc.contents, 'an Azure pipeline must be a mapping');
      return undefined;
    }
    this.expansions = 0;
    this.templates = [];
    const ctx: Context = { source: loaded.source, view, repoPath: f.repoPath, via: [], params: new Map(), root: true, guards: [] };
    const parameters = this.parameters(view.get(root, 'parameters'), ctx);
    for (const p of parameters) ctx.params.set(p.name.toLowerCase(), { param: p, value: p.default ?? null, ctx, kind: 'queue-time' });
    const pipeline: Pipeline = {
      source: loaded.source,
      repoPath: f.repoPath,
      root,
      ctx,
      trigger: this.trigger(view.getPair(root, 'trigger'), ctx),
      pr: this.trigger(view.getPair(root, 'pr'), ctx),
      parameters,
      variables: this.variables(view.get(root, 'variables'), ctx),
      repositories: [],
      containers: [],
      stages: [],
      templates: this.templates,
    };
    this.resources(view.get(root, 'resources'), ctx, pipeline);
    const poolNode = this.get(ctx, root, 'pool');
    if (poolNode) pipeline.pool = this.pool(poolNode, ctx);
    const ext = this.get(ctx, root, 'extends');
    if (ext) {
      const ref = this.templateRef(ext, ctx, 'extends');
      if (ref) {
        pipeline.extends = ref;
        const t = this.enter(ref, ctx);
        if (t) {
          // The extended template is the pipeline's body; its own variables and pool apply too.
          pipeline.variables.push(...this.variables(this.get(t.ctx, t.root, 'variables'), t.ctx));
          const tpool = this.get(t.ctx, t.root, 'pool');
          if (tpool && !pipeline.pool) pipeline.pool = this.pool(tpool, t.ctx);
          this.resources(this.get(t.ctx, t.root, 'resources'), t.ctx, pipeline);
          pipeline.stages.push(...this.body(t.root, t.ctx));
        }
      }
    } else {
      pipeline.stages.push(...this.body(root, ctx));
    }
    return pipeline;
  }

  /** `stages:`, or `jobs:` / `steps:` under an implicit stage (and job). */
  private body(root: YAMLMap, ctx: Context): Stage[] {
    const stagesNode = this.get(ctx, root, 'stages');
    if (stagesNode) return this.expandList(stagesNode, ctx, 'stages').flatMap((it) => this.stage(it) ?? []);
    const implicit: Stage = { id: '__default', ctx, jobs: [], variables: [] };
    const jobsNode = this.get(ctx, root, 'jobs');
    if (jobsNode) {
      implicit.jobs = this.expandList(jobsNode, ctx, 'jobs').flatMap((it) => this.job(it, implicit) ?? []);
      return [implicit];
    }
    const stepsNode = this.get(ctx, root, 'steps');
    if (stepsNode) {
      const job: Job = { id: 'Job', node: root, ctx, kind: 'job', steps: [], variables: [], services: [], stage: implicit };
      job.steps = this.steps(stepsNode, ctx);
      const c = this.get(ctx, root, 'container');
      if (c) job.container = containerImageNode(ctx, c);
      job.services = this.entries(this.get(ctx, root, 'services'), ctx);
      const ws = this.get(ctx, this.get(ctx, root, 'workspace'), 'clean');
      if (ws) job.workspaceClean = ctx.view.text(ws);
      implicit.jobs = [job];
      return [implicit];
    }
    return [];
  }

  private stage(it: Item): Stage | undefined {
    const { ctx } = it;
    const node = ctx.view.map(it.node);
    if (!node) return undefined;
    const idNode = this.get(ctx, node, 'stage');
    const stage: Stage = { id: ctx.view.text(idNode) ?? '__stage', node, ctx, jobs: [], variables: this.variables(this.get(ctx, node, 'variables'), ctx) };
    const pool = this.get(ctx, node, 'pool');
    if (pool) stage.pool = this.pool(pool, ctx);
    const cond = ctx.view.scalar(this.get(ctx, node, 'condition'));
    if (cond) stage.condition = cond;
    const jobs = this.get(ctx, node, 'jobs');
    if (jobs) stage.jobs = this.expandList(jobs, ctx, 'jobs').flatMap((j) => this.job(j, stage) ?? []);
    return stage;
  }

  private job(it: Item, stage: Stage): Job | undefined {
    const { ctx } = it;
    const node = ctx.view.map(it.node);
    if (!node) return undefined;
    const deploymentId = this.get(ctx, node, 'deployment');
    const idNode = deploymentId ?? this.get(ctx, node, 'job');
    const job: Job = {
      id: ctx.view.text(idNode) ?? 'Job',
      node,
      ctx,
      kind: deploymentId ? 'deployment' : 'job',
      steps: [],
      variables: this.variables(this.get(ctx, node, 'variables'), ctx),
      services: this.entries(this.get(ctx, node, 'services'), ctx),
      stage,
    };
    const pool = this.get(ctx, node, 'pool');
    if (pool) job.pool = this.pool(pool, ctx);
    const cond = ctx.view.scalar(this.get(ctx, node, 'condition'));
    if (cond) job.condition = cond;
    const container = this.get(ctx, node, 'container');
    if (container) job.container = containerImageNode(ctx, container);
    const ws = this.get(ctx, this.get(ctx, node, 'workspace'), 'clean');
    if (ws) job.workspaceClean = ctx.view.text(ws);
    const env = this.get(ctx, node, 'environment');
    if (env) {
      const name = ctx.view.text(env) ?? ctx.view.text(this.get(ctx, env, 'name'));
      if (name !== undefined) job.environment = { name: literalValue(name, ctx).split('.')[0]!, node: env };
    }
    if (job.kind === 'job') {
      const steps = this.get(ctx, node, 'steps');
      if (steps) job.steps = this.steps(steps, ctx);
    } else {
      // strategy: { runOnce | rolling | canary: { preDeploy, deploy, routeTraffic, postRouteTraffic, on: { failure, success } } }
      const strategy = this.get(ctx, node, 'strategy');
      for (const s of this.pairs(ctx, strategy)) {
        job.strategy = s.key;
        const hooks: Array<Node | null> = [];
        for (const hook of ['preDeploy', 'deploy', 'routeTraffic', 'postRouteTraffic']) hooks.push(this.get(ctx, s.value, hook));
        const on = this.get(ctx, s.value, 'on');
        hooks.push(this.get(ctx, on, 'failure'), this.get(ctx, on, 'success'));
        const steps: Step[] = [];
        for (const h of hooks) {
          const list = this.get(ctx, h, 'steps');
          if (list) steps.push(...this.steps(list, ctx, steps.length));
        }
        job.steps = steps;
      }
    }
    return job;
  }

  private steps(node: Node, ctx: Context, offset = 0): Step[] {
    if (!ctx.view.seq(node) && !isTemplateScalar(ctx.view.text(node))) {
      this.problem(ctx.source, node, '"steps" must be a sequence');
      return [];
    }
    const out: Step[] = [];
    for (const it of this.expandList(node, ctx, 'steps')) {
      const s = this.step(it, offset + out.length);
      if (s) out.push(s);
    }
    return out;
  }

  private step(it: Item, index: number): Step | undefined {
    const { ctx } = it;
    const node = ctx.view.map(it.node);
    if (!node) return undefined;
    let kind: StepKind = 'unknown';
    let script: Scalar | undefined;
    let task: TaskRef | undefined;
    let checkout: Checkout | undefined;
    let value: Scalar | undefined;
    for (const p of this.pairs(ctx, node)) {
      if (STEP_KEYS.includes(p.key) || ['download', 'publish', 'getPackage', 'reviewApp'].includes(p.key)) {
        kind = p.key as StepKind;
        const s = ctx.view.scalar(p.value);
        if (p.key === 'task') {
          if (s && typeof s.value === 'string') task = parseTask(s);
        } else if (p.key === 'checkout') {
          if (s) checkout = { node: s, target: String(s.value ?? ''), persistCredentials: this.get(ctx, node, 'persistCredentials'), clean: this.get(ctx, node, 'clean') };
        } else if (['script', 'bash', 'pwsh', 'powershell'].includes(p.key)) {
          if (s) script = s;
        } else if (s) value = s;
        break;
      }
    }
    const text = (k: string): string | undefined => ctx.view.text(this.get(ctx, node, k));
    const step: Step = {
      index,
      node,
      ctx,
      kind,
      inputs: this.entries(this.get(ctx, node, 'inputs'), ctx),
      env: this.entries(this.get(ctx, node, 'env'), ctx),
      label: '',
    };
    if (script) step.script = script;
    if (task) step.task = task;
    if (checkout) step.checkout = checkout;
    if (value) step.value = value;
    const name = text('name');
    const displayName = text('displayName');
    if (name !== undefined) step.name = name;
    if (displayName !== undefined) step.displayName = displayName;
    const cond = ctx.view.scalar(this.get(ctx, node, 'condition'));
    if (cond) step.condition = cond;
    step.label = displayName ?? name ?? (task ? task.raw : checkout ? `checkout: ${checkout.target}` : value ? `${kind}: ${String(value.value)}` : `step ${index + 1}`);
    return step;
  }

  // -------------------------------------------------------------------------------------------
  // Lists with template expressions and template references

  /**
   * Items of a steps/jobs/stages/variables list, with `${{ if }}` / `${{ each }}` insertions
   * flattened (every branch is kept: the audit does not know which one runs), `${{ parameters.X }}`
   * list parameters replaced by the caller's items, and `- template:` references expanded.
   */
  private expandList(node: Node | null, ctx: Context, role: TemplateRef['role'], eachVars = new Map<string, ParamBinding>(), depth = 0): Item[] {
    if (!node || depth > 64) return [];
    const out: Item[] = [];
    const fromBinding = (b: ParamBinding | undefined): void => {
      if (b?.value && b.ctx.view.seq(b.value)) out.push(...this.expandList(b.value, b.ctx, role, new Map(), depth + 1));
    };
    const whole = ctx.view.text(node);
    if (whole !== undefined) {
      fromBinding(this.bindingOf(whole, ctx, eachVars));
      return out;
    }
    for (const raw of ctx.view.items(node)) {
      const item = ctx.view.deref(raw);
      if (!item) continue;
      if (isScalar(item)) {
        const text = ctx.view.text(item);
        if (text !== undefined) fromBinding(this.bindingOf(text, ctx, eachVars));
        continue;
      }
      const m = ctx.view.map(item);
      if (!m) continue;
      const pairs = ctx.view.pairs(m);
      const first = pairs[0];
      if (pairs.length === 1 && first && /^\$\{\{/.test(first.key)) {
        const directive = first.key.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
        const each = /^each\s+([A-Za-z_][\w-]*)\s+in\s+parameters\.([A-Za-z_][\w-]*)\s*$/i.exec(directive);
        if (each) {
          const vars = new Map(eachVars);
          const b = ctx.params.get(each[2]!.toLowerCase());
          if (b) vars.set(each[1]!.toLowerCase(), b);
          out.push(...this.expandList(first.value, ctx, role, vars, depth + 1));
        } else {
          const guarded: Context = /^(?:if|elseif|else)\b/i.test(directive) ? { ...ctx, guards: [...ctx.guards, directive] } : ctx;
          out.push(...this.expandList(first.value, guarded, role, eachVars, depth + 1));
        }
        continue;
      }
      const tmpl = ctx.view.getPair(m, 'template');
      if (tmpl && !pairs.some((p) => ['job', 'deployment', 'stage', 'script', 'task', 'bash', 'pwsh', 'powershell', 'checkout', 'name', 'group'].includes(p.key))) {
        const ref = this.templateRef(m, ctx, role);
        if (!ref) continue;
        const t = this.enter(ref, ctx);
        if (!t) continue;
        const list = this.get(t.ctx, t.root, role);
        if (role === 'variables' && t.ctx.view.map(list)) out.push({ node: list!, ctx: t.ctx, mapForm: true });
        else out.push(...this.expandList(list, t.ctx, role, new Map(), depth + 1));
        continue;
      }
      out.push({ node: m, ctx });
    }
    return out;
  }

  /** The binding a whole-value `${{ parameters.X }}` or `${{ v }}` (each variable) refers to. */
  private bindingOf(text: string, ctx: Context, eachVars: Map<string, ParamBinding>): ParamBinding | undefined {
    const m = /^\s*\$\{\{\s*(?:parameters\.([A-Za-z_][\w-]*)|([A-Za-z_][\w-]*))\s*\}\}\s*$/.exec(text);
    if (!m) return undefined;
    return m[1] ? ctx.params.get(m[1].toLowerCase()) : eachVars.get(m[2]!.toLowerCase());
  }

  private templateRef(node: Node, ctx: Context, role: TemplateRef['role']): TemplateRef | undefined {
    const v = ctx.view.scalar(this.get(ctx, node, 'template'));
    if (!v || typeof v.value !== 'string') {
      this.problem(ctx.source, node, '"template" must name a file');
      return undefined;
    }
    const raw = v.value.trim();
    const args = this.entries(this.get(ctx, node, 'parameters'), ctx);
    const at = raw.lastIndexOf('@');
    const alias = at > 0 ? raw.slice(at + 1) : undefined;
    const path = at > 0 ? raw.slice(0, at) : raw;
    let ref: TemplateRef;
    if (alias !== undefined && alias.toLowerCase() !== 'self') {
      ref = { node: v, source: ctx.source, raw, kind: 'external', repoAlias: alias, args, role };
    } else {
      ref = { node: v, source: ctx.source, raw, kind: 'local', args, role };
      if (!/\$\{\{|\$\(/.test(path)) {
        // `path@self` names a file of this repository from its root, like any `path@alias`
        // (Microsoft's own pipelines write `./build/pipelines/x.yml@self` from build/pipelines/).
        const resolved = resolvePath(ctx.repoPath, alias === undefined ? path : `/${path}`);
        if (resolved === undefined) this.problem(ctx.source, v, `template "${raw}" points outside the repository; not expanded`);
        else ref.repoPath = resolved;
      }
    }
    this.templates.push(ref);
    return ref;
  }

  /** Loads a local template and builds its context; problems are reported at the reference. */
  private enter(ref: TemplateRef, ctx: Context): { root: YAMLMap; ctx: Context } | undefined {
    if (ref.kind !== 'local' || ref.repoPath === undefined) return undefined;
    const path = ref.repoPath;
    if (ctx.repoPath === path || ctx.via.some((r) => r.repoPath === path)) {
      this.problem(ctx.source, ref.node, `template "${ref.raw}" includes itself (cycle through ${[...ctx.via.map((r) => r.repoPath), path].join(' -> ')}); not expanded`);
      return undefined;
    }
    if (ctx.via.length >= TEMPLATE_LIMITS.maxDepth) {
      this.problem(ctx.source, ref.node, `templates nested deeper than ${TEMPLATE_LIMITS.maxDepth} levels; "${ref.raw}" not expanded`);
      return undefined;
    }
    if (++this.expansions > TEMPLATE_LIMITS.maxExpansions) {
      if (this.expansions === TEMPLATE_LIMITS.maxExpansions + 1) this.problem(ctx.source, ref.node, `more than ${TEMPLATE_LIMITS.maxExpansions} template expansions in one pipeline; "${ref.raw}" and later ones not expanded`);
      return undefined;
    }
    const file = this.load(path);
    if ('error' in file) {
      this.problem(ctx.source, ref.node, `template "${ref.raw}" cannot be read (${path}): ${file.error}`);
      return undefined;
    }
    if (!this.reportedFiles.has(path)) {
      this.reportedFiles.add(path);
      this.problems.push(...file.loaded.problems);
    }
    if (!file.loaded.doc || !file.view) {
      this.problem(ctx.source, ref.node, `template "${ref.raw}" could not be parsed; not audited`);
      return undefined;
    }
    const root = file.view.map(file.loaded.doc.contents);
    if (!root) {
      this.problem(ctx.source, ref.node, `template "${ref.raw}" is not a mapping; not audited`);
      return undefined;
    }
    const tctx: Context = { source: file.loaded.source, view: file.view, repoPath: path, via: [...ctx.via, ref], params: new Map(), root: false, guards: ctx.guards };
    const declared = this.parameters(file.view.get(root, 'parameters'), tctx);
    const args = new Map(ref.args.map((a) => [a.key.toLowerCase(), a] as const));
    // `${{ each parameter in parameters }}: { ${{ parameter.key }}: ${{ parameter.value }} }` (a
    // wrapper template forwarding everything it was given): the caller's bindings carry over.
    const forwardsAll = ref.args.some((a) => {
      const m = /^\$\{\{\s*([A-Za-z_]\w*)\.key\s*\}\}$/.exec(a.key);
      return m !== null && new RegExp(`^\\s*\\$\\{\\{\\s*${m[1]}\\.value\\s*\\}\\}\\s*$`).test(a.text ?? '');
    });
    for (const p of declared) {
      const a = args.get(p.name.toLowerCase());
      const forwarded = !a && forwardsAll ? ctx.params.get(p.name.toLowerCase()) : undefined;
      tctx.params.set(
        p.name.toLowerCase(),
        a ? { param: p, value: a.value, ctx, kind: 'argument' } : forwarded ? { ...forwarded, param: p } : { param: p, value: p.default ?? null, ctx: tctx, kind: 'default' },
      );
    }
    for (const a of ref.args) if (!tctx.params.has(a.key.toLowerCase())) tctx.params.set(a.key.toLowerCase(), { value: a.value, ctx, kind: 'argument' });
    return { root, ctx: tctx };
  }

  private load(repoPath: string): LoadedFile {
    const cached = this.cache.get(repoPath);
    if (cached) return cached;
    let result: LoadedFile;
    try {
      const r = this.read(repoPath);
      if ('error' in r) result = { error: r.error };
      else {
        const loaded = loadYaml(r.file.path, r.file.text);
        result = { file: r.file, loaded, ...(loaded.doc ? { view: new YamlView(loaded.doc) } : {}) };
      }
    } catch (e) {
      result = { error: e instanceof Error ? e.message : String(e) };
    }
    this.cache.set(repoPath, result);
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Pieces

  private parameters(node: Node | null, ctx: Context): Parameter[] {
    const out: Parameter[] = [];
    if (!node) return out;
    const seq = ctx.view.seq(node);
    if (seq) {
      for (const it of ctx.view.items(seq)) {
        const nameNode = this.get(ctx, it, 'name');
        const name = ctx.view.text(nameNode);
        if (name === undefined || !nameNode) continue;
        const type = ctx.view.text(this.get(ctx, it, 'type')) ?? 'string';
        out.push({ name, node: it, nameNode, source: ctx.source, type: type.toLowerCase(), restricted: this.get(ctx, it, 'values') !== null, default: this.get(ctx, it, 'default') });
      }
    } else {
      // Old form: `parameters: { name: default }`, untyped.
      for (const p of this.pairs(ctx, node)) out.push({ name: p.key, node: p.keyNode, nameNode: p.keyNode, source: ctx.source, type: 'string', restricted: false, default: p.value });
    }
    return out;
  }

  private variables(node: Node | null, ctx: Context): VariableEntry[] {
    const out: VariableEntry[] = [];
    if (!node) return out;
    if (ctx.view.map(node)) {
      for (const p of this.pairs(ctx, node)) out.push({ kind: 'variable', name: p.key, nameNode: p.keyNode, value: p.value, node: p.keyNode, ctx });
      return out;
    }
    for (const it of this.expandList(node, ctx, 'variables')) {
      if (it.mapForm) {
        for (const p of this.pairs(it.ctx, it.node)) out.push({ kind: 'variable', name: p.key, nameNode: p.keyNode, value: p.value, node: p.keyNode, ctx: it.ctx });
        continue;
      }
      const group = this.get(it.ctx, it.node, 'group');
      if (group) {
        out.push({ kind: 'group', name: it.ctx.view.text(group) ?? '', node: group, ctx: it.ctx });
        continue;
      }
      const nameNode = this.get(it.ctx, it.node, 'name');
      const name = it.ctx.view.text(nameNode);
      if (name === undefined || !nameNode) continue;
      out.push({ kind: 'variable', name, nameNode, value: this.get(it.ctx, it.node, 'value'), node: it.node, ctx: it.ctx, readonly: /^true$/i.test(it.ctx.view.text(this.get(it.ctx, it.node, 'readonly')) ?? '') });
    }
    return out;
  }

  private trigger(pair: { keyNode: Scalar; value: Node | null } | undefined, ctx: Context): Trigger {
    if (!pair) return { kind: 'default', branches: ['*'], tags: true };
    const node = pair.value ?? pair.keyNode;
    const text = ctx.view.text(pair.value);
    if (pair.value === null || (text !== undefined && /^(?:none|false)$/i.test(text.trim()))) return { kind: 'none', node, branches: [], tags: false };
    if (text !== undefined) return { kind: 'filtered', node, branches: [text], tags: /^refs\/tags\//.test(text) };
    const list = ctx.view.seq(pair.value);
    if (list) {
      const branches = ctx.view.items(list).flatMap((i) => ctx.view.text(i) ?? []);
      return { kind: 'filtered', node, branches, tags: branches.some((b) => b.startsWith('refs/tags/') || b === '*') };
    }
    const branchesNode = this.get(ctx, pair.value, 'branches');
    const tagsNode = this.get(ctx, pair.value, 'tags');
    const includes = (n: Node | null): string[] | undefined => {
      if (!n) return undefined;
      const inc = ctx.view.seq(n) ? n : this.get(ctx, n, 'include');
      return inc ? ctx.view.items(inc).flatMap((i) => ctx.view.text(i) ?? []) : ['*'];
    };
    const branches = includes(branchesNode) ?? (tagsNode ? [] : ['*']);
    const tags = includes(tagsNode);
    return { kind: 'filtered', node, branches, tags: (tags !== undefined && tags.length > 0) || branches.some((b) => b.startsWith('refs/tags/') || b === '*') };
  }

  private resources(node: Node | null, ctx: Context, pipeline: Pipeline): void {
    if (!node) return;
    for (const it of ctx.view.items(this.get(ctx, node, 'repositories'))) {
      const aliasNode = this.get(ctx, it, 'repository');
      const alias = ctx.view.text(aliasNode);
      if (alias === undefined || !aliasNode) continue;
      const r: RepositoryResource = { alias, aliasNode, node: it, ctx };
      const type = ctx.view.text(this.get(ctx, it, 'type'));
      const name = ctx.view.text(this.get(ctx, it, 'name'));
      const ref = ctx.view.scalar(this.get(ctx, it, 'ref'));
      const endpoint = ctx.view.text(this.get(ctx, it, 'endpoint'));
      if (type !== undefined) r.type = type;
      if (name !== undefined) r.name = name;
      if (ref) r.ref = ref;
      if (endpoint !== undefined) r.endpoint = endpoint;
      pipeline.repositories.push(r);
    }
    for (const it of ctx.view.items(this.get(ctx, node, 'containers'))) {
      const alias = ctx.view.text(this.get(ctx, it, 'container'));
      if (alias === undefined) continue;
      const c: ContainerResource = { alias, node: it, ctx };
      const image = ctx.view.scalar(this.get(ctx, it, 'image'));
      const endpoint = ctx.view.text(this.get(ctx, it, 'endpoint'));
      if (image) c.image = image;
      if (endpoint !== undefined) c.endpoint = endpoint;
      pipeline.containers.push(c);
    }
  }

  private pool(node: Node, ctx: Context): Pool {
    const text = ctx.view.text(node);
    const rawName = text ?? ctx.view.text(this.get(ctx, node, 'name'));
    const name = rawName === undefined ? undefined : literalValue(rawName, ctx);
    const vmImage = ctx.view.text(this.get(ctx, node, 'vmImage'));
    const dynamic = name !== undefined && /\$\{\{|\$\(|\$\[/.test(name);
    // An empty name is a pool parameter left at its default (`pool: ${{ parameters.pool }}`), not a pool.
    const pool: Pool = { node, ctx, selfHosted: name !== undefined && !dynamic && vmImage === undefined && name.trim() !== '' && name.trim().toLowerCase() !== 'azure pipelines' };
    if (name !== undefined) pool.name = name;
    if (vmImage !== undefined) pool.vmImage = vmImage;
    return pool;
  }

  private entries(node: Node | null, ctx: Context): Entry[] {
    return this.pairs(ctx, node).map((p) => {
      const e: Entry = { key: p.key, keyNode: p.keyNode, value: p.value };
      const t = ctx.view.text(p.value);
      if (t !== undefined) e.text = t;
      return e;
    });
  }

  /** Mapping pairs with `${{ if }}` keys merged in (both branches: the audit cannot evaluate them). */
  private pairs(ctx: Context, node: unknown, depth = 0): Array<{ key: string; keyNode: Scalar; value: Node | null }> {
    const out: Array<{ key: string; keyNode: Scalar; value: Node | null }> = [];
    for (const p of ctx.view.pairs(node)) {
      if (/^\$\{\{/.test(p.key) && depth < 16 && ctx.view.map(p.value)) out.push(...this.pairs(ctx, p.value, depth + 1));
      else out.push({ key: p.key, keyNode: p.keyNode, value: p.value });
    }
    return out;
  }

  private get(ctx: Context, node: unknown, key: string): Node | null {
    for (const p of this.pairs(ctx, node)) if (p.key === key) return p.value;
    return null;
  }
}

/**
 * A whole-value `${{ parameters.X }}` replaced by the literal it is bound to (argument or
 * default, through chains of templates); any other text is returned unchanged.
 */
export function literalValue(text: string, ctx: Context, depth = 0): string {
  const m = /^\s*\$\{\{\s*parameters\.([A-Za-z_][\w-]*)\s*\}\}\s*$/.exec(text);
  if (!m || depth > 20) return text;
  const b = ctx.params.get(m[1]!.toLowerCase());
  const v = b ? b.ctx.view.text(b.value) : undefined;
  return v === undefined || !b ? text : literalValue(v, b.ctx, depth + 1);
}

function isTemplateScalar(text: string | undefined): boolean {
  return text !== undefined && /^\s*\$\{\{.*\}\}\s*$/.test(text);
}

/** `container: image` or `container: { image: x }` (an alias when it names a container resource). */
function containerImageNode(ctx: Context, node: Node): Scalar | undefined {
  return ctx.view.scalar(node) ?? ctx.view.scalar(ctx.view.get(node, 'image'));
}

function parseTask(node: Scalar): TaskRef {
  const raw = String(node.value).trim();
  const at = raw.lastIndexOf('@');
  const ref: TaskRef = { node, raw, name: at > 0 ? raw.slice(0, at) : raw };
  if (at > 0) ref.version = raw.slice(at + 1);
  return ref;
}

/** Resolves a template path against the including file (a leading `/` is the repository root). */
export function resolvePath(fromRepoPath: string, path: string): string | undefined {
  const base = path.startsWith('/') ? [] : fromRepoPath.split('/').slice(0, -1);
  const parts = [...base];
  for (const seg of path.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}

