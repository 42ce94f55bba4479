import type { Node } from 'yaml';
import type { Location, RelatedLocation } from '../../core/finding.js';
import type { RawFinding } from '../../core/rule.js';
import { nodeLocation } from '../../yaml/load.js';
import type { AzureModel, Context, Job, Pipeline, Stage, Step, VariableEntry } from '../../platforms/azure/model.js';
import type { Scope } from '../../platforms/azure/taint.js';
import { substituteParameters } from '../../platforms/azure/params.js';

export type Report = (finding: RawFinding) => void;

export function loc(ctx: Context, node: Node | null | undefined): Location {
  return nodeLocation(ctx.source, node);
}

export function related(ctx: Context, node: Node | null | undefined, message: string): RelatedLocation {
  return { ...nodeLocation(ctx.source, node), message };
}

/** Stable route pieces: ids, names and display names rather than line numbers. */
export function jobRoute(job: Job): string {
  return `${job.stage.id}.${job.id}`;
}

export function stepKey(step: Step): string {
  return step.name ?? step.displayName ?? String(step.index);
}

export function jobLabel(job: Job): string {
  const what = job.kind === 'deployment' ? 'deployment job' : 'job';
  return job.stage.id === '__default' || job.stage.id === '__stage' ? `${what} "${job.id}"` : `${what} "${job.stage.id}.${job.id}"`;
}

export interface StepSite {
  pipeline: Pipeline;
  stage: Stage;
  job: Job;
  step: Step;
  scope: Scope;
  route: string;
}

export function* jobSites(model: AzureModel): Generator<{ pipeline: Pipeline; stage: Stage; job: Job; route: string }> {
  for (const pipeline of model.pipelines) {
    for (const stage of pipeline.stages) {
      for (const job of stage.jobs) yield { pipeline, stage, job, route: jobRoute(job) };
    }
  }
}

export function* stepSites(model: AzureModel): Generator<StepSite> {
  for (const { pipeline, stage, job, route } of jobSites(model)) {
    for (const step of job.steps) {
      yield { pipeline, stage, job, step, scope: { pipeline, stage, job, step }, route: `${route}.steps[${stepKey(step)}]` };
    }
  }
}

/** Every variables list of a pipeline (pipeline, stages, jobs), each entry once. */
export function* allVariables(pipeline: Pipeline): Generator<VariableEntry> {
  const seen = new Set<VariableEntry>();
  const lists = [pipeline.variables, ...pipeline.stages.flatMap((s) => [s.variables, ...s.jobs.map((j) => j.variables)])];
  for (const list of lists) {
    for (const v of list) {
      if (seen.has(v)) continue;
      seen.add(v);
      yield v;
    }
  }
}

/** Jobs (not deployment jobs) check out `self` unless a checkout step says otherwise. */
export function checksOutSelf(job: Job): { explicit?: Step } | undefined {
  if (job.external) return undefined;
  const checkouts = job.steps.filter((s) => s.checkout);
  if (checkouts.length === 0) return job.kind === 'job' ? {} : undefined;
  const self = checkouts.find((s) => s.checkout!.target.toLowerCase() === 'self');
  return self ? { explicit: self } : undefined;
}

const TRUSTED_REF = [
  /\bne\(\s*variables(?:\[\s*'build\.reason'\s*\]|\.build\.reason)\s*,\s*'pullrequest'\s*\)/i,
  // `notin(variables['Build.Reason'], 'PullRequest', 'Manual')`: PullRequest anywhere in the list.
  /\bnotin\(\s*variables(?:\[\s*'build\.reason'\s*\]|\.build\.reason)\s*(?:,\s*'[^']*'\s*)*,\s*'pullrequest'\s*(?:,\s*'[^']*'\s*)*\)/i,
  /\beq\(\s*variables(?:\[\s*'build\.reason'\s*\]|\.build\.reason)\s*,\s*'(?:individualci|batchedci|manual|schedule|resourcetrigger)'\s*\)/i,
  /\beq\(\s*variables(?:\[\s*'build\.sourcebranch'\s*\]|\.build\.sourcebranch)\s*,\s*'refs\/heads\/[^'*]+'\s*\)/i,
  /\beq\(\s*variables(?:\[\s*'build\.sourcebranchname'\s*\]|\.build\.sourcebranchname)\s*,\s*'[^'*]+'\s*\)/i,
  /\bstartsWith\(\s*variables(?:\[\s*'build\.sourcebranch'\s*\]|\.build\.sourcebranch)\s*,\s*'refs\/(?:tags|heads\/release)\/?/i,
  /\beq\(\s*variables(?:\[\s*'system\.pullrequest\.pullrequestid'\s*\]|\.system\.pullrequest\.pullrequestid)\s*,\s*''\s*\)/i,
];

/**
 * Does a condition (or `${{ if }}` guard) keep pull-request and arbitrary-branch builds out?
 * Recognises `ne(variables['Build.Reason'], 'PullRequest')`, `eq(variables['Build.SourceBranch'],
 * 'refs/heads/main')`, tag and release-branch prefixes, and a user variable defined as one of
 * those (`isMain: $[eq(...)]` tested with `eq(variables.isMain, true)`). A condition with `or(`
 * or `not(` is not trusted: it may let other builds through.
 */
export function restrictsToTrustedRef(text: string | undefined, scope: Scope, depth = 0): boolean {
  if (!text || depth > 4) return false;
  if (/\b(?:or|not|xor)\s*\(/i.test(text)) return false;
  if (TRUSTED_REF.some((re) => re.test(text))) return true;
  for (const m of text.matchAll(/\beq\(\s*variables(?:\.([\w.]+)|\[\s*'([^']+)'\s*\])\s*,\s*(?:true|'true')\s*\)/gi)) {
    const name = (m[1] ?? m[2])!.toLowerCase();
    const lists = [scope.job?.variables, scope.job?.stage.variables, scope.pipeline.variables];
    for (const list of lists) {
      const v = list?.find((e) => e.kind === 'variable' && e.name.toLowerCase() === name);
      if (v && v.kind === 'variable' && restrictsToTrustedRef(v.ctx.view.text(v.value), scope, depth + 1)) return true;
    }
  }
  return false;
}

/** A job is kept out of untrusted builds by its condition, its stage's, or an enclosing `${{ if }}`. */
export function jobRestricted(job: Job, pipeline: Pipeline): boolean {
  const scope: Scope = { pipeline, stage: job.stage, job };
  // A condition given as a template parameter (`condition: ${{ parameters.condition }}`) is judged
  // by the value the caller or the default gives it.
  const conditions = [
    typeof job.condition?.value === 'string' ? substituteParameters(job.condition.value, job.ctx) : undefined,
    typeof job.stage.condition?.value === 'string' ? substituteParameters(job.stage.condition.value, job.stage.ctx) : undefined,
  ];
  const texts = [...conditions, ...job.ctx.guards, ...job.stage.ctx.guards];
  return texts.some((t) => restrictsToTrustedRef(t, scope));
}

/** Why a job is worth attacking: secrets, service connections, self-hosted machines, deployments. */
export interface Privilege {
  kind: 'self-hosted' | 'variable-group' | 'service-connection' | 'environment';
  what: string;
  ctx: Context;
  node: Node;
}

const SERVICE_CONNECTION_INPUT = /^(?:azuresubscription|connectedservicename(?:arm)?|azureresourcemanagerconnection|[a-z]*serviceconnection|kubernetesserviceendpoint|kubernetesserviceconnection|dockerregistryserviceconnection|containerregistry|externalfeedcredentials|publishfeedcredentials|serviceendpoint|awscredentials|gitHubConnection|sshendpoint)$/i;

export function jobPrivileges(job: Job, pipeline: Pipeline): Privilege[] {
  const out: Privilege[] = [];
  const pool = job.pool ?? job.stage.pool ?? pipeline.pool;
  if (pool?.selfHosted) out.push({ kind: 'self-hosted', what: `self-hosted pool "${pool.name}"`, ctx: pool.ctx, node: pool.node });
  // A group added only under `${{ if notin(variables['Build.Reason'], 'PullRequest') }}` never
  // reaches a pull-request build (the template expression is decided when the run is compiled);
  // a name still holding `${{ }}` (an `each` over a caller's list) names no known group.
  const scope: Scope = { pipeline, stage: job.stage, job };
  const groups = [...job.variables, ...job.stage.variables, ...pipeline.variables].filter((v) => v.kind === 'group' && !/\$\{\{/.test(v.name) && !v.ctx.guards.some((g) => restrictsToTrustedRef(g, scope)));
  for (const g of groups) out.push({ kind: 'variable-group', what: `variable group "${g.name}"`, ctx: g.ctx, node: g.node });
  for (const s of job.steps) {
    // A step inserted only under `${{ if notin(variables['Build.Reason'], 'PullRequest') }}` is not
    // in a pull-request build.
    if (s.ctx.guards.some((g) => restrictsToTrustedRef(g, scope))) continue;
    for (const i of s.inputs) {
      if (!SERVICE_CONNECTION_INPUT.test(i.key) || !i.text) continue;
      // `azureSubscription: ${{ parameters.serviceConnection }}`: the name the caller passes (or
      // the default); an object field the caller leaves out is empty, i.e. no connection.
      const name = substituteParameters(i.text, s.ctx).trim();
      if (name === '') continue;
      const given = name !== i.text.trim() ? ', given as a template parameter' : '';
      out.push({ kind: 'service-connection', what: `service connection "${name}" (${s.task?.raw ?? s.label}${given})`, ctx: s.ctx, node: i.value ?? i.keyNode });
    }
  }
  if (job.environment) out.push({ kind: 'environment', what: `environment "${job.environment.name}"`, ctx: job.ctx, node: job.environment.node });
  return out;
}
