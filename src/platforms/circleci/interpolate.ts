import type { Scalar } from 'yaml';
import type { Location } from '../../core/finding.js';
import type { SourceText } from '../../yaml/load.js';
import { ScalarText } from '../../shell/script.js';
import type { CircleFile } from './model.js';

/*
 * `<< x >>` config templating. CircleCI substitutes these when it compiles the config, before
 * any shell runs: the value becomes part of the script text. `\<<` escapes a literal `<<`.
 */

export interface Interpolation {
  /** Offsets of `<< ... >>` in the scalar's value. */
  start: number;
  end: number;
  /** The name inside, trimmed: `pipeline.git.branch`, `parameters.tag`. */
  expr: string;
}

const INTERP_RE = /<<\s*([A-Za-z_][\w.-]*)\s*>>/g;

export function findInterpolations(value: string): Interpolation[] {
  const out: Interpolation[] = [];
  for (const m of value.matchAll(INTERP_RE)) {
    if (m.index > 0 && value[m.index - 1] === '\\') continue;
    out.push({ start: m.index, end: m.index + m[0].length, expr: m[1]! });
  }
  return out;
}

/** Replaces every `<< ... >>` by underscores of the same length (so `<<` is not a here-document). */
export function maskInterpolations(value: string): string {
  let out = value;
  for (const i of findInterpolations(value)) out = out.slice(0, i.start) + '_'.repeat(i.end - i.start) + out.slice(i.end);
  // A remaining `<< WORD >>`-like pair that is not an identifier is left alone; CircleCI rejects it.
  return out;
}

/** Where an interpolation (or any value range) of a scalar is in the file. */
export function valueLocation(source: SourceText, scalar: Scalar, start: number, end: number): Location {
  return new ScalarText(source, scalar).location(start, end);
}

export type Strength = 'high' | 'medium' | 'low';

export interface ValueClass {
  strength: Strength;
  /** What the value is, for messages: `the commit subject`. */
  what: string;
}

/** Free text fields anyone who gets a commit merged or sends an event can fill. */
const TEXT_FIELDS = /^(?:commit_message|commit_title|commit_author_name|commit_author_email|user_name|title|body|description)$/;
const REF_FIELDS = /^(?:branch|ref|tag|source_branch|target_branch)$/;

/**
 * What an outsider can put in a pipeline value. Commit subjects, bodies and author names are
 * free text that reaches trusted builds when a contribution is merged (a squash merge puts the
 * PR title and the contributor's commit messages in the commit on the default branch); webhook
 * bodies are whatever the sender posts. Branch and tag names need push access (a forked PR is
 * built as `pull/N`) or a bot that names branches after outside data, but git allows `$`, `(`,
 * `;`, `|` and backticks in them. Ids, numbers, SHAs, URLs and logins (restricted characters)
 * are not reported.
 */
export function classifyPipelineValue(path: string, file: CircleFile | undefined): ValueClass | undefined {
  const p = path.toLowerCase();
  if (p.startsWith('pipeline.parameters.')) {
    const name = path.slice('pipeline.parameters.'.length);
    const param = file?.pipelineParameters.find((x) => x.name === name);
    if (!param) return undefined;
    if (param.type !== undefined && param.type !== 'string') return undefined;
    return { strength: 'low', what: `the string pipeline parameter "${name}", which anyone allowed to trigger the pipeline (API, web app, scheduled trigger) can set` };
  }
  switch (p) {
    case 'pipeline.git.commit.subject':
      return { strength: 'high', what: 'the commit subject' };
    case 'pipeline.git.commit.body':
      return { strength: 'high', what: 'the commit message body' };
    case 'pipeline.git.commit.author_name':
      return { strength: 'high', what: 'the commit author name' };
    case 'pipeline.git.commit.author_email':
      return { strength: 'medium', what: 'the commit author email' };
    case 'pipeline.git.branch':
      return { strength: 'medium', what: 'the branch name' };
    case 'pipeline.git.tag':
      return { strength: 'medium', what: 'the tag name' };
    case 'pipeline.trigger_parameters.webhook.body':
      return { strength: 'high', what: 'the body of the custom webhook request' };
    case 'pipeline.event.github.pull_request.title':
      return { strength: 'high', what: 'the pull request title' };
    case 'pipeline.event.github.comment.body':
      return { strength: 'high', what: 'the comment body' };
    case 'pipeline.event.github.pull_request.head.ref':
      return { strength: 'medium', what: 'the pull request head branch name' };
    case 'pipeline.event.github.ref':
      return { strength: 'medium', what: 'the pushed ref name' };
    case 'pipeline.event.github.label':
      return { strength: 'medium', what: 'the label name' };
  }
  const m = /^pipeline\.trigger_parameters\.([a-z_]+)\.([a-z_]+)$/.exec(p);
  if (m && m[1] !== 'circleci') {
    if (TEXT_FIELDS.test(m[2]!)) return { strength: 'high', what: `the ${m[1]} trigger's ${m[2]!.replace(/_/g, ' ')}` };
    if (REF_FIELDS.test(m[2]!)) return { strength: 'medium', what: `the ${m[1]} trigger's ${m[2]!.replace(/_/g, ' ')} name` };
  }
  return undefined;
}

/** Built-in environment variables whose value an outsider can choose (read by the shell at run time). */
export const TAINTED_ENV: Record<string, ValueClass> = {
  CIRCLE_BRANCH: { strength: 'medium', what: 'the branch name' },
  CIRCLE_TAG: { strength: 'medium', what: 'the tag name' },
};
