import type { Node, Scalar } from 'yaml';
import type { Location, RelatedLocation } from '../../core/finding.js';
import { locationOf, nodeLocation, type SourceText } from '../../yaml/load.js';
import { findTemplates, type Template } from '../../platforms/github/expressions/extract.js';
import { actionTriggers, effectiveTriggers } from '../../platforms/github/callers.js';
import type { Action, GithubModel, Job, Step, Workflow } from '../../platforms/github/model.js';
import type { Scope } from '../../platforms/github/taint.js';

export function loc(source: SourceText, node: Node | null | undefined): Location {
  return nodeLocation(source, node);
}

export function related(source: SourceText, node: Node | null | undefined, message: string): RelatedLocation {
  return { ...nodeLocation(source, node), message };
}

/** A step with everything needed to reason about it. */
export interface StepSite {
  model: GithubModel;
  source: SourceText;
  workflow?: Workflow;
  action?: Action;
  job?: Job;
  step: Step;
  /** Steps of the same job (or composite action), in order. */
  steps: Step[];
  triggers: ReadonlySet<string>;
  scope: Scope;
  /** Stable route prefix for fingerprints, e.g. `jobs.build.steps[2]`. */
  route: string;
}

export function stepSites(model: GithubModel): readonly StepSite[] {
  // A dozen rules walk every step: the sites (and their triggers) are built once per model and shared, never mutated.
  let sites = stepSiteCache.get(model);
  if (!sites) stepSiteCache.set(model, (sites = [...stepSitesUncached(model)]));
  return sites;
}

const stepSiteCache = new WeakMap<GithubModel, readonly StepSite[]>();

function* stepSitesUncached(model: GithubModel): Generator<StepSite> {
  for (const wf of model.workflows) {
    const triggers = effectiveTriggers(model, wf);
    for (const job of wf.jobs) {
      for (const step of job.steps) {
        const scope: Scope = { model, source: wf.source, workflow: wf, job, step, steps: job.steps, triggers, env: [step.env, job.env, wf.env] };
        yield { model, source: wf.source, workflow: wf, job, step, steps: job.steps, triggers, scope, route: `jobs.${job.id}.steps[${stepKey(step)}]` };
      }
    }
  }
  for (const action of model.actions) {
    const triggers = actionTriggers(model, action.dir);
    for (const step of action.steps) {
      const scope: Scope = { model, source: action.source, action, step, steps: action.steps, triggers, env: [step.env] };
      yield { model, source: action.source, action, step, steps: action.steps, triggers, scope, route: `runs.steps[${stepKey(step)}]` };
    }
  }
}

/** Step identity for fingerprints: its id or name when present (stable under insertions), else index. */
export function stepKey(step: Step): string {
  return step.id ?? step.name ?? String(step.index);
}

export interface JobSite {
  model: GithubModel;
  source: SourceText;
  workflow: Workflow;
  job: Job;
  triggers: ReadonlySet<string>;
}

export function* jobSites(model: GithubModel): Generator<JobSite> {
  for (const wf of model.workflows) {
    const triggers = effectiveTriggers(model, wf);
    for (const job of wf.jobs) yield { model, source: wf.source, workflow: wf, job, triggers };
  }
}

export interface PlacedTemplate extends Template {
  /** Where the `${{ ... }}` is in the file. */
  location: Location;
}

/**
 * Every `${{ }}` in a scalar, with its position in the file. The k-th `${{` of the parsed value
 * is the k-th `${{` of the raw source text (YAML quoting and block indentation do not create or
 * remove them), which maps templates in block scalars back to exact lines and columns.
 */
export function templatesIn(source: SourceText, scalar: Scalar): PlacedTemplate[] {
  // Most scalars have no template: answer those before the cache (a WeakMap lookup per scalar costs more).
  if (typeof scalar.value !== 'string' || !scalar.range || !scalar.value.includes('${{')) return [];
  // Several rules place the templates of the same scalar: once per scalar (results are shared, never mutated).
  const cached = placedCache.get(scalar);
  if (cached && cached.source === source) return cached.templates;
  const templates = templatesInUncached(source, scalar);
  placedCache.set(scalar, { source, templates });
  return templates;
}

const placedCache = new WeakMap<Scalar, { source: SourceText; templates: PlacedTemplate[] }>();

function templatesInUncached(source: SourceText, scalar: Scalar): PlacedTemplate[] {
  if (typeof scalar.value !== 'string' || !scalar.range) return [];
  const value = scalar.value;
  const templates = findTemplates(value);
  if (templates.length === 0) return [];
  const [start, end] = scalar.range;
  const raw = source.text.slice(start, end);
  const rawOpens: number[] = [];
  for (let i = raw.indexOf('${{'); i !== -1; i = raw.indexOf('${{', i + 3)) rawOpens.push(i);
  return templates.map((t, k) => {
    const rawStart = rawOpens[k];
    if (rawStart === undefined) return { ...t, location: nodeLocation(source, scalar) };
    const close = raw.indexOf('}}', rawStart + 3);
    const rawEnd = close === -1 ? rawStart + 3 : close + 2;
    return { ...t, location: locationOf(source, start + rawStart, start + rawEnd) };
  });
}

export function isTruthyYaml(text: string | undefined): boolean {
  return text !== undefined && /^(true|yes|on)$/i.test(text.trim());
}

export function triggerList(triggers: ReadonlySet<string>): string {
  return [...triggers].sort().join(', ');
}

/**
 * Whether goreleaser, given these arguments (after the program name), publishes. With no
 * subcommand it runs `release`; `build`, `check`, `healthcheck`... only build or lint, and
 * `release --snapshot`, `--skip=publish` (or the older `--skip-publish`) and `--prepare` build
 * the release without sending it anywhere.
 */
export function goreleaserPublishes(args: readonly string[]): boolean {
  const sub = args.find((a) => !a.startsWith('-')) ?? 'release';
  if (sub.includes('${{')) return true; // decided at run time: assume the worst
  if (sub !== 'release') return false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--snapshot' || a === '--skip-publish' || a === '--prepare') return false;
    const skip = a.startsWith('--skip=') ? a.slice('--skip='.length) : a === '--skip' ? (args[i + 1] ?? '') : undefined;
    if (skip !== undefined && skip.split(',').map((s) => s.trim()).includes('publish')) return false;
  }
  return true;
}

/** goreleaser/goreleaser-action publishes unless it only installs the tool or its `args` do not. */
export function goreleaserActionPublishes(withText: (key: string) => string | undefined): boolean {
  if (isTruthyYaml(withText('install-only'))) return false;
  return goreleaserPublishes((withText('args') ?? '').trim().split(/\s+/).filter((w) => w !== ''));
}
