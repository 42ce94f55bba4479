import type { Node } from 'yaml';
import type { RelatedLocation } from '../../core/finding.js';
import { nodeLocation } from '../../yaml/load.js';
import type { Context, Job, Pipeline, Stage, Step, VariableEntry } from './model.js';
import { envNamesIn, loggingCommands, scriptSinks } from './scripts.js';
import { prReach } from './reach.js';

/*
 * What an outsider controls in an Azure pipeline, and how it travels: through user variables
 * (`name: $(Build.SourceBranchName)`, `$[ variables['...'] ]`), template parameters (the
 * argument at every call site), step `env:` mappings and `##vso[task.setvariable]` written by
 * an earlier step of the same job.
 */

export interface SourceVariable {
  name: string;
  /**
   * `pr`: chosen text only in pull-request builds; `ci`: in branch and tag builds; `branch`: in
   * branch and tag builds whose trigger lets a pusher pick the name (a wildcard or tags);
   * `any`: every build.
   */
  when: 'pr' | 'ci' | 'branch' | 'any';
  strength: 'high' | 'medium';
  /**
   * Base severity of code injection. Pull-request builds already run the author's own YAML (Azure
   * reads the pipeline from the merge commit), and a pusher controls the YAML of their branch, so
   * those are medium and low; a commit message reaches the protected branch's trusted pipeline
   * when a contributor's commit (or a squash-merged PR title) lands there.
   */
  severity: 'medium' | 'low';
  /** Can hold `[` and line breaks, so printing it can issue `##vso[...]` logging commands. */
  multiline: boolean;
  who: string;
}

/**
 * Predefined variables whose text an outsider (or any pusher) chooses. Not listed: ids, SHAs,
 * `System.PullRequest.TargetBranch` (a protected branch), `SourceRepositoryURI` (repository
 * names allow only `[A-Za-z0-9._-]`). Azure has no pull-request title or description variable.
 * In pull-request builds `Build.SourceBranch` is `refs/pull/N/merge` and
 * `Build.SourceVersionMessage` is the message of the merge commit Azure creates, so both only
 * carry chosen text in branch and tag builds.
 */
export const SOURCE_VARIABLES: readonly SourceVariable[] = [
  { name: 'System.PullRequest.SourceBranch', when: 'pr', strength: 'high', severity: 'medium', multiline: false, who: 'the pull request author names the source branch' },
  { name: 'Build.SourceBranch', when: 'branch', strength: 'medium', severity: 'low', multiline: false, who: 'whoever pushes a branch or tag names it' },
  { name: 'Build.SourceBranchName', when: 'branch', strength: 'medium', severity: 'low', multiline: false, who: 'whoever pushes a branch or tag names it' },
  { name: 'Build.SourceVersionMessage', when: 'ci', strength: 'high', severity: 'medium', multiline: true, who: 'the commit author writes the commit message' },
  { name: 'Build.RequestedFor', when: 'any', strength: 'medium', severity: 'medium', multiline: true, who: 'the user who triggered the run chooses their display name' },
  { name: 'Build.RequestedForEmail', when: 'any', strength: 'medium', severity: 'low', multiline: false, who: 'the user who triggered the run chooses their e-mail address' },
];

const BY_NAME = new Map(SOURCE_VARIABLES.map((s) => [s.name.toLowerCase(), s]));
const BY_ENV = new Map(SOURCE_VARIABLES.map((s) => [envNameOf(s.name), s]));

/** Azure exposes variable `a.b` to scripts as environment variable `A_B`. */
export function envNameOf(variable: string): string {
  return variable.toUpperCase().replace(/[.\s]/g, '_');
}

export interface TaintOrigin {
  /** The attacker-controlled value (`System.PullRequest.SourceBranch`, `parameters.branch`). */
  path: string;
  strength: 'high' | 'medium';
  severity: 'medium' | 'low';
  kind: 'pr' | 'ci' | 'branch' | 'any' | 'queue';
  multiline: boolean;
  /** Hops from the source to the sink (variable definitions, template arguments, env). */
  chain: RelatedLocation[];
  /** PR-only value in a pipeline with `pr: none` (only Azure Repos branch policies build PRs then). */
  prDisabled?: boolean;
  /**
   * PR-only value in a pipeline with no `pr:` key: GitHub and Bitbucket repositories build every
   * pull request by default, Azure Repos only under a build-validation branch policy. The YAML
   * does not say where the repository is hosted, so such a PR build is likely, not certain.
   */
  prByDefault?: boolean;
  who: string;
}

/** Where a value is evaluated: the pipeline (triggers), and the job/step for variable lookups. */
export interface Scope {
  pipeline: Pipeline;
  stage?: Stage;
  job?: Job;
  step?: Step;
}

export interface TaintHit {
  /** Offsets of the `$(...)` / `${{ }}` / `$[ ]` in the text. */
  start: number;
  end: number;
  expr: string;
  origins: TaintOrigin[];
}

const MAX_DEPTH = 12;

/** Does this pipeline's trigger let a pusher choose the branch or tag name? */
function branchNamesChosen(p: Pipeline): boolean {
  if (p.trigger.kind === 'none') return false;
  return p.trigger.tags || p.trigger.branches.some((b) => /[*?]/.test(b));
}

function sourceOrigin(src: SourceVariable, scope: Scope): TaintOrigin | undefined {
  const p = scope.pipeline;
  if (src.when === 'branch' && !branchNamesChosen(p)) return undefined;
  if (src.when === 'ci' && p.trigger.kind === 'none') return undefined;
  const o: TaintOrigin = { path: src.name, strength: src.strength, severity: src.severity, kind: src.when, multiline: src.multiline, chain: [], who: src.who };
  if (src.when === 'pr') {
    const reach = prReach(p);
    // `trigger: none` without `pr:`: PR builds only if the host is GitHub/Bitbucket (and the file
    // is then most likely meant to be manual): as doubtful as `pr: none`, and the note says why.
    if (reach === 'none' || reach === 'azure-repos' || reach === 'ci-off-default') o.prDisabled = true;
    if (reach === 'default' || reach === 'ci-off-default') o.prByDefault = true;
  }
  return o;
}

/** Boolean and numeric functions: a template or runtime expression built with them cannot carry text. */
const NON_TEXT_FUNCS = /^\s*(?:eq|ne|and|or|not|xor|contains|containsValue|startsWith|endsWith|length|in|notIn|gt|ge|lt|le|counter|succeeded|failed|always|canceled|succeededOrFailed)\s*\(/i;

/** Every `$(macro)`, `${{ expr }}` and `$[ expr ]` of `text` that carries attacker-controlled data. */
export function taintOfText(text: string, scope: Scope, ctx: Context, depth = 0, seen = new Set<string>()): TaintHit[] {
  const hits: TaintHit[] = [];
  if (depth > MAX_DEPTH) return hits;
  for (const m of text.matchAll(/\$\(([A-Za-z0-9_][A-Za-z0-9_.-]*)\)/g)) {
    const origins = originsOfVariable(m[1]!, scope, depth + 1, seen);
    if (origins.length > 0) hits.push({ start: m.index, end: m.index + m[0].length, expr: m[0], origins });
  }
  for (const m of text.matchAll(/\$\{\{([\s\S]*?)\}\}|\$\[([\s\S]*?)\]\s*$/g)) {
    const inner = (m[1] ?? m[2])!;
    if (NON_TEXT_FUNCS.test(inner)) continue;
    const origins: TaintOrigin[] = [];
    for (const r of inner.matchAll(/\b(parameters|variables)(?:\.([A-Za-z_][\w.-]*)|\[\s*'([^']+)'\s*\])/gi)) {
      const name = (r[2] ?? r[3])!;
      if (r[1]!.toLowerCase() === 'parameters') origins.push(...originsOfParameter(name, scope, ctx, depth + 1, seen));
      else origins.push(...originsOfVariable(name, scope, depth + 1, seen));
    }
    if (origins.length > 0) hits.push({ start: m.index, end: m.index + m[0].length, expr: m[0], origins });
  }
  return hits.sort((a, b) => a.start - b.start);
}

function related(ctx: Context, node: Node | null | undefined, message: string): RelatedLocation {
  return { ...nodeLocation(ctx.source, node), message };
}

function withHop(origins: TaintOrigin[], hop: RelatedLocation): TaintOrigin[] {
  return origins.map((o) => ({ ...o, chain: [hop, ...o.chain] }));
}

/** Origins of `$(name)`: a source variable, or a user variable / earlier setvariable carrying one. */
export function originsOfVariable(name: string, scope: Scope, depth = 0, seen = new Set<string>()): TaintOrigin[] {
  const lower = name.toLowerCase();
  const src = BY_NAME.get(lower);
  if (src) {
    const o = sourceOrigin(src, scope);
    return o ? [o] : [];
  }
  if (depth > MAX_DEPTH || seen.has(`var:${lower}`)) return [];
  const inner = new Set(seen).add(`var:${lower}`);
  const def = findVariable(lower, scope);
  if (def && def.kind === 'variable') {
    const text = def.ctx.view.text(def.value);
    if (text === undefined) return [];
    const origins = taintOfText(text, scope, def.ctx, depth + 1, inner).flatMap((h) => h.origins);
    return withHop(origins, related(def.ctx, def.value, `variable "${def.name}" is set from attacker-controlled data here`));
  }
  return originsOfSetVariable(lower, scope, depth + 1, inner);
}

/** Nearest definition: job, then stage, then pipeline variables (templates already expanded). */
export function findVariable(lower: string, scope: Scope): VariableEntry | undefined {
  const lists = [scope.job?.variables, scope.stage?.variables ?? scope.job?.stage.variables, scope.pipeline.variables];
  for (const list of lists) {
    const v = list?.find((e) => e.kind === 'variable' && e.name.toLowerCase() === lower);
    if (v) return v;
  }
  return undefined;
}

/** `##vso[task.setvariable variable=name]<tainted>` in an earlier step of the same job. */
function originsOfSetVariable(lower: string, scope: Scope, depth: number, seen: Set<string>): TaintOrigin[] {
  const job = scope.job;
  if (!job) return [];
  const out: TaintOrigin[] = [];
  for (const step of job.steps) {
    if (scope.step && step.index >= scope.step.index) break;
    for (const sink of scriptSinks(step, job, scope.pipeline)) {
      const value = String(sink.scalar.value ?? '');
      for (const cmd of loggingCommands(value)) {
        if (cmd.command !== 'task.setvariable' || cmd.props.get('variable')?.toLowerCase() !== lower) continue;
        const payload = value.slice(cmd.valueStart, cmd.valueEnd);
        const stepScope: Scope = { ...scope, step };
        const origins = [
          ...taintOfText(payload, stepScope, step.ctx, depth + 1, seen).flatMap((h) => h.origins),
          ...envNamesIn(payload, sink.dialect).flatMap((e) => originsOfEnv(e.name, stepScope, depth + 1, seen)),
        ];
        if (origins.length > 0) out.push(...withHop(origins, related(step.ctx, sink.scalar, `step "${step.label}" sets variable "${cmd.props.get('variable')}" from attacker-controlled data with ##vso[task.setvariable]`)));
      }
    }
  }
  return out;
}

/** Origins of an environment variable read by a step's script: its `env:` mapping, or an auto-mapped variable. */
export function originsOfEnv(name: string, scope: Scope, depth = 0, seen = new Set<string>()): TaintOrigin[] {
  const step = scope.step;
  if (!step || depth > MAX_DEPTH) return [];
  const e = step.env.find((x) => x.key === name) ?? step.env.find((x) => x.key.toUpperCase() === name.toUpperCase());
  if (e) {
    if (e.text === undefined) return [];
    const origins = taintOfText(e.text, scope, step.ctx, depth + 1, seen).flatMap((h) => h.origins);
    return withHop(origins, related(step.ctx, e.value, `env ${e.key} is set from attacker-controlled data here`));
  }
  const upper = name.toUpperCase();
  const src = BY_ENV.get(upper);
  if (src) {
    const o = sourceOrigin(src, scope);
    return o ? [o] : [];
  }
  // User variables are mapped to the environment too (`my.var` → `MY_VAR`); secrets are not.
  const lists = [scope.job?.variables, scope.job?.stage.variables, scope.pipeline.variables];
  for (const list of lists) {
    const v = list?.find((x) => x.kind === 'variable' && envNameOf(x.name) === upper);
    if (v && v.kind === 'variable') return originsOfVariable(v.name, scope, depth + 1, seen);
  }
  return [];
}

/**
 * Origins of `${{ parameters.name }}` in a file expanded in `ctx`; `name` may go on into an
 * object argument (`cfg.msg` reads field `msg` of `cfg`: the text of that field is what lands).
 */
export function originsOfParameter(name: string, scope: Scope, ctx: Context, depth = 0, seen = new Set<string>()): TaintOrigin[] {
  const [head, ...fields] = name.split('.');
  const b = ctx.params.get(head!.toLowerCase());
  if (!b || depth > MAX_DEPTH) return [];
  if (b.param && (b.param.restricted || !['string', 'object'].includes(b.param.type))) return [];
  if (b.kind === 'queue-time') {
    if (!b.param || b.param.type !== 'string') return [];
    return [
      {
        path: `parameters.${b.param.name}`,
        strength: 'medium',
        severity: 'medium',
        kind: 'queue',
        multiline: true,
        chain: [related(ctx, b.param.nameNode, `parameter "${b.param.name}" is a free-form string anyone who can queue a run may set`)],
        who: 'anyone who can queue a run sets it',
      },
    ];
  }
  // Field names are case-insensitive, like every name in Azure expressions. A scalar has no
  // fields: its text is kept (the expansion fails, or yields that text).
  let value = b.value;
  for (const field of fields) {
    if (!b.ctx.view.map(value)) break;
    value = b.ctx.view.pairs(value).find((p) => p.key.toLowerCase() === field.toLowerCase())?.value ?? null;
  }
  const key = `param:${b.ctx.repoPath}:${value?.range?.[0] ?? -1}`;
  if (seen.has(key)) return [];
  const text = b.ctx.view.text(value);
  if (text === undefined) return [];
  const origins = taintOfText(text, scope, b.ctx, depth + 1, new Set(seen).add(key)).flatMap((h) => h.origins);
  const where = b.kind === 'argument' ? `is given attacker-controlled data here` : `defaults to attacker-controlled data here`;
  const tmpl = ctx.via[ctx.via.length - 1]?.raw ?? ctx.repoPath;
  // Named as declared: `${{ parameters.GIVEN }}` reads the parameter the template calls `given`.
  const what = [b.param?.name ?? head, ...fields].join('.');
  return withHop(origins, related(b.ctx, value, `parameter "${what}" of template "${tmpl}" ${where}`));
}
