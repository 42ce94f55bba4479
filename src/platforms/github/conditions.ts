import type { Scalar } from 'yaml';
import type { Location } from '../../core/finding.js';
import { nodeLocation, type SourceText } from '../../yaml/load.js';
import { ScalarText } from '../../shell/script.js';
import type { Expr } from './expressions/ast.js';
import { findTemplates, type Template } from './expressions/extract.js';
import { parseExpression } from './expressions/parser.js';
import type { Action, GithubModel, Job, Step, Workflow } from './model.js';
import { actionTriggers, effectiveTriggers } from './callers.js';
import type { Scope } from './taint.js';

/**
 * What an `if:` value means to GitHub. The template reader turns a string holding `${{ }}` into
 * one expression only when the whole value is exactly one template (nothing before or after,
 * not even whitespace or the newline a `|` block keeps); any other text with templates becomes
 * `format(...)`, a string, which is always truthy. A value without templates is itself an
 * expression.
 */
export type Condition =
  | { kind: 'expression'; expr: Expr; /** Value offset where the expression text starts. */ offset: number; text: string; wrapped: boolean }
  | { kind: 'interpolated'; templates: Template[]; text: string }
  | { kind: 'invalid'; text: string }
  | { kind: 'empty'; text: string };

export function readCondition(value: string): Condition {
  const templates = findTemplates(value);
  if (templates.length === 0) {
    if (value.trim() === '') return { kind: 'empty', text: value };
    try {
      return { kind: 'expression', expr: parseExpression(value), offset: 0, text: value, wrapped: false };
    } catch {
      return { kind: 'invalid', text: value };
    }
  }
  const only = templates[0]!;
  if (templates.length === 1 && only.start === 0 && only.end === value.length) {
    return only.ast ? { kind: 'expression', expr: only.ast, offset: only.innerStart, text: value, wrapped: true } : { kind: 'invalid', text: value };
  }
  return { kind: 'interpolated', templates, text: value };
}

export interface ConditionSite {
  source: SourceText;
  scalar: Scalar;
  text: ScalarText;
  condition: Condition;
  workflow?: Workflow;
  action?: Action;
  job?: Job;
  step?: Step;
  /** Steps of the job or composite action (for taint through step outputs). */
  steps?: Step[];
  /** `job "x"` or `step "y" of job "x"`. */
  label: string;
  route: string;
  triggers: ReadonlySet<string>;
}

/** Value offsets → file location for a sub-expression of a condition. */
export function exprLocation(site: ConditionSite, e: Expr): Location {
  if (site.condition.kind !== 'expression') return site.text.location(0, site.text.value.length);
  const base = site.condition.offset;
  return site.text.location(base + e.start, base + e.end);
}

/** Text of a sub-expression as written. */
export function exprText(site: ConditionSite, e: Expr): string {
  if (site.condition.kind !== 'expression') return '';
  const base = site.condition.offset;
  return site.text.value.slice(base + e.start, base + e.end);
}

/** Location of the whole `if:` value. */
export function conditionLocation(site: ConditionSite): Location {
  return nodeLocation(site.source, site.scalar);
}

/** Every job and step `if:` of workflows and composite actions, read as GitHub reads it. */
export function* conditionSites(model: GithubModel): Generator<ConditionSite> {
  const make = (source: SourceText, scalar: Scalar, rest: Omit<ConditionSite, 'source' | 'scalar' | 'text' | 'condition'>): ConditionSite | undefined => {
    if (typeof scalar.value !== 'string') return undefined; // `if: true` / `if: 1`: YAML booleans and numbers
    return { source, scalar, text: new ScalarText(source, scalar), condition: readCondition(scalar.value), ...rest };
  };
  for (const wf of model.workflows) {
    const triggers = effectiveTriggers(model, wf);
    for (const job of wf.jobs) {
      if (job.if) {
        const site = make(wf.source, job.if, { workflow: wf, job, steps: [], label: `job "${job.id}"`, route: `jobs.${job.id}.if`, triggers });
        if (site) yield site;
      }
      for (const step of job.steps) {
        if (!step.if) continue;
        const key = step.id ?? step.name ?? String(step.index);
        const site = make(wf.source, step.if, { workflow: wf, job, step, steps: job.steps, label: `step "${step.label}" of job "${job.id}"`, route: `jobs.${job.id}.steps[${key}].if`, triggers });
        if (site) yield site;
      }
    }
  }
  for (const action of model.actions) {
    const triggers = actionTriggers(model, action.dir);
    for (const step of action.steps) {
      if (!step.if) continue;
      const key = step.id ?? step.name ?? String(step.index);
      const site = make(action.source, step.if, { action, step, steps: action.steps, label: `step "${step.label}"`, route: `runs.steps[${key}].if`, triggers });
      if (site) yield site;
    }
  }
}

/**
 * The taint scope an `if:` is evaluated in. A job's `if:` cannot read `env`; a step's `if:`
 * reads env like the step does (step, job, workflow: the order taint.ts expects).
 */
export function conditionScope(model: GithubModel, site: ConditionSite): Scope {
  const env = site.step ? (site.job && site.workflow ? [site.step.env, site.job.env, site.workflow.env] : [site.step.env]) : [];
  return {
    model,
    source: site.source,
    workflow: site.workflow,
    action: site.action,
    job: site.job,
    step: site.step,
    steps: site.step ? (site.steps ?? []).filter((s) => s.index < site.step!.index) : [],
    triggers: site.triggers,
    env,
  };
}
