import type { Node, Scalar } from 'yaml';
import type { Location, RelatedLocation, Severity } from '../../core/finding.js';
import { severityRank } from '../../core/finding.js';
import type { RawFinding } from '../../core/rule.js';
import { locationOf, nodeLocation, type SourceText } from '../../yaml/load.js';
import type { BitbucketFile, BitbucketModel, Pipeline, Step } from '../../platforms/bitbucket/model.js';
import { analyzeStep, contextTaints, type StepAnalysis, type Taint } from '../../platforms/bitbucket/script.js';

export function loc(source: SourceText, node: Node | null | undefined): Location {
  return nodeLocation(source, node);
}

export function related(source: SourceText, node: Node | null | undefined, message: string): RelatedLocation {
  return { ...nodeLocation(source, node), message };
}

/** `pull-requests "**"`, `branches "main"`, `default`, `custom "deploy"`. */
export function pipelineLabel(p: Pipeline): string {
  if (p.kind === 'default') return 'default';
  if (p.kind === 'shared') return `shared pipeline "${p.pattern}"`;
  return `${p.kind} "${p.pattern}"`;
}

/** Stable route of a pipeline (no line numbers). */
export function pipelineRoute(p: Pipeline): string {
  return p.kind === 'default' ? 'pipelines.default' : `pipelines.${p.kind}.${p.pattern}`;
}

/** Stable identity of a step for fingerprints: its name, else its first script line, else its key position in file order. */
export function stepRoute(step: Step): string {
  if (step.name) return `step[${step.name}]`;
  const first = step.script.find((s) => s.kind === 'command');
  if (first && first.kind === 'command') return `step[${first.text.split('\n')[0]!.trim().slice(0, 60)}]`;
  return `step[${step.label}]`;
}

export interface StepUse {
  file: BitbucketFile;
  pipeline: Pipeline;
  step: Step;
  /** Position in the pipeline's steps. */
  index: number;
}

export function* stepUses(model: BitbucketModel): Generator<StepUse> {
  for (const file of model.files) {
    for (const pipeline of file.pipelines) {
      for (let index = 0; index < pipeline.steps.length; index++) yield { file, pipeline, step: pipeline.steps[index]!, index };
    }
  }
}

/** Each step once (a step shared through an anchor appears in several pipelines), with its uses. */
export function uniqueSteps(model: BitbucketModel): Array<{ step: Step; uses: StepUse[] }> {
  const by = new Map<object, { step: Step; uses: StepUse[] }>();
  for (const use of stepUses(model)) {
    const entry = by.get(use.step.node);
    if (entry) entry.uses.push(use);
    else by.set(use.step.node, { step: use.step, uses: [use] });
  }
  return [...by.values()];
}

/** Is the step, in this pipeline, held behind a manual trigger (its own, its stage's, or an earlier step's)? */
export function isManuallyGated(use: StepUse): boolean {
  return use.pipeline.steps.slice(0, use.index + 1).some((s) => s.manual);
}

export const PRODUCTION_ENV = /^(?:prod|production|live|prd)(?:[-_ ].*)?$/i;
export const STAGING_ENV = /^(?:stag|staging|stage|preprod|pre-prod|uat)(?:[-_ ].*)?$/i;

export interface AnalyzedStep extends StepUse {
  analysis: StepAnalysis;
}

const analyses = new WeakMap<BitbucketModel, AnalyzedStep[]>();

/**
 * Every step analyzed in the context of each pipeline that runs it, in order, with output
 * variables set from tainted data passed on to later steps of the same pipeline.
 */
export function analyzedSteps(model: BitbucketModel): AnalyzedStep[] {
  const cached = analyses.get(model);
  if (cached) return cached;
  const out: AnalyzedStep[] = [];
  for (const file of model.files) {
    for (const pipeline of file.pipelines) {
      const env = contextTaints(pipeline);
      const outputs = new Map<string, Taint>();
      pipeline.steps.forEach((step, index) => {
        const analysis = analyzeStep(step, new Map([...env, ...outputs]));
        for (const [k, v] of analysis.outputs) outputs.set(k, v);
        out.push({ file, pipeline, step, index, analysis });
      });
    }
  }
  analyses.set(model, out);
  return out;
}

/**
 * One finding per place and route: when a shared step is reached from several pipelines, the
 * worst severity wins and the pipelines are named once.
 */
export class WorstOf {
  private readonly found = new Map<string, RawFinding>();

  add(f: RawFinding): void {
    const key = `${f.route}@${f.location.file}:${f.location.startLine}:${f.location.startColumn}`;
    const prev = this.found.get(key);
    if (!prev || severityRank(f.severity ?? 'info') > severityRank(prev.severity ?? 'info')) this.found.set(key, f);
  }

  flush(report: (f: RawFinding) => void): void {
    for (const f of this.found.values()) report(f);
  }
}

export function strengthSeverity(s: Taint['strength']): Severity {
  return s === 'high' ? 'high' : s === 'medium' ? 'medium' : 'low';
}

/**
 * Position of `needle` (found at `start` in a scalar's parsed value) in the file: the k-th
 * occurrence in the value is the k-th in the raw text when YAML did not escape or fold it.
 */
export function placeInScalar(src: SourceText, s: Scalar, value: string, start: number, needle: string): Location {
  if (!s.range || needle === '') return nodeLocation(src, s);
  let k = 0;
  for (let i = value.indexOf(needle); i !== -1 && i < start; i = value.indexOf(needle, i + 1)) k++;
  const raw = src.text.slice(s.range[0], s.range[1]);
  let at = -1;
  for (let i = 0, j = raw.indexOf(needle); j !== -1; i++, j = raw.indexOf(needle, j + 1)) {
    if (i === k) {
      at = j;
      break;
    }
  }
  if (at === -1) return nodeLocation(src, s);
  return locationOf(src, s.range[0] + at, s.range[0] + at + needle.length);
}

/** A value that is a variable reference or placeholder, not a literal. */
export function isVariableValue(v: string): boolean {
  const t = v.trim();
  return t === '' || /^\$\{?[A-Za-z_]/.test(t) || /^<[^>]*>$/.test(t) || /^\*+$/.test(t) || /^x+$/i.test(t);
}

export type Pin = { kind: 'digest' } | { kind: 'version'; tag: string } | { kind: 'moving'; tag?: string } | { kind: 'variable' };

const CHANNEL_TAGS = /^(?:latest|edge|nightly|stable|lts|main|master|dev|develop|current|rolling|canary|beta|alpha|next|unstable|test)$/i;

/** How a container image reference is pinned: `name@sha256:<64 hex>`, a version tag, or a moving tag. */
export function imagePin(ref: string): Pin {
  const r = ref.trim();
  if (r.includes('$')) return { kind: 'variable' };
  if (/@sha256:[0-9a-f]{64}$/i.test(r)) return { kind: 'digest' };
  const lastSlash = r.lastIndexOf('/');
  const colon = r.indexOf(':', lastSlash + 1);
  const tag = colon === -1 ? undefined : r.slice(colon + 1);
  if (tag === undefined || tag === '' || CHANNEL_TAGS.test(tag)) return { kind: 'moving', tag };
  return { kind: 'version', tag };
}
