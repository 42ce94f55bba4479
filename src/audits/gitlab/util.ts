import type { Location, RelatedLocation } from '../../core/finding.js';
import type { GitlabModel, Job, Origin, ScalarVal, ScriptLine, Variable } from '../../platforms/gitlab/model.js';
import { originLocation } from '../../platforms/gitlab/parse.js';
import { locationOf } from '../../yaml/load.js';

export function loc(o: Origin): Location {
  return originLocation(o);
}

export function related(o: Origin, message: string): RelatedLocation {
  return { ...originLocation(o), message };
}

/** Jobs that can run (not `.hidden` templates), in every pipeline (root and child), in file order. */
export function* jobsOf(model: GitlabModel): Generator<Job> {
  for (const p of model.pipelines) yield* p.jobs;
}

/** `job "build"`, or `job "build" of child pipeline ci/child.yml`. */
export function jobLabel(job: Job): string {
  return job.pipeline.kind === 'child' ? `job "${job.name}" of child pipeline ${job.pipeline.entry.repoPath}` : `job "${job.name}"`;
}

/** A stable identity for a written node: file + offset (one finding per place, whichever jobs share it). */
export function placeKey(o: Origin): string {
  return `${o.file.repoPath}:${o.node.range?.[0] ?? 0}`;
}

/** Route fragment for fingerprints: the file and the YAML path-ish label, never a line number. */
export function jobRoute(job: Job): string {
  return `${job.pipeline.entry.repoPath}#${job.name}`;
}

/** Each script line once (templates and defaults are shared by many jobs), with the jobs that run it. */
export function uniqueScriptLines(model: GitlabModel): Array<{ line: ScriptLine; jobs: Job[] }> {
  const seen = new Map<string, { line: ScriptLine; jobs: Job[] }>();
  for (const job of jobsOf(model)) {
    for (const line of job.scripts) {
      const k = placeKey(line.value.at);
      const hit = seen.get(k);
      if (hit) {
        if (!hit.jobs.includes(job)) hit.jobs.push(job);
      } else seen.set(k, { line, jobs: [job] });
    }
  }
  return [...seen.values()];
}

/** `job "a"` or `job "a" (and 2 other jobs)`. */
export function jobsLabel(jobs: Job[]): string {
  const first = jobLabel(jobs[0]!);
  return jobs.length > 1 ? `${first} (and ${jobs.length - 1} other job${jobs.length > 2 ? 's' : ''})` : first;
}

export function isTruthy(text: string | undefined): boolean {
  return text !== undefined && /^(?:true|yes|on|1)$/i.test(text.trim());
}

/**
 * Position of `needle` (found at `start` in the scalar's parsed value) in the file: the k-th
 * occurrence in the value is the k-th in the raw source when YAML did not escape or fold it;
 * otherwise the whole scalar is reported.
 */
export function placeInFile(value: ScalarVal, start: number, needle: string): Location {
  const s = value.scalar;
  const src = value.at.file.source;
  const text = String(value.value ?? '');
  if (!s.range || needle === '') return loc(value.at);
  let k = 0;
  for (let i = text.indexOf(needle); i !== -1 && i < start; i = text.indexOf(needle, i + 1)) k++;
  const raw = src.text.slice(s.range[0], s.range[1]);
  let at = -1;
  for (let i = 0, j = raw.indexOf(needle); j !== -1; i++, j = raw.indexOf(needle, j + 1)) {
    if (i === k) {
      at = j;
      break;
    }
  }
  if (at === -1) return loc(value.at);
  return locationOf(src, s.range[0] + at, s.range[0] + at + needle.length);
}

/** Each written variable once (global variables are seen by every job). */
export function uniqueVariables(model: GitlabModel): Array<{ variable: Variable; jobs: Job[] }> {
  const seen = new Map<string, { variable: Variable; jobs: Job[] }>();
  for (const p of model.pipelines) {
    for (const v of p.variables) {
      const k = placeKey(v.keyAt);
      if (!seen.has(k)) seen.set(k, { variable: v, jobs: [] });
    }
    for (const job of [...p.jobs, ...p.templates]) {
      for (const v of job.variables) {
        const k = placeKey(v.keyAt);
        const hit = seen.get(k);
        if (hit) {
          if (!job.hidden && !hit.jobs.includes(job)) hit.jobs.push(job);
        } else seen.set(k, { variable: v, jobs: job.hidden ? [] : [job] });
      }
    }
  }
  return [...seen.values()];
}

/** `global variable X` / `variable X of job "a"`. */
export function variableLabel(v: Variable, jobs: Job[]): string {
  if (v.scope === 'global') return `global variable ${v.name}`;
  if (jobs.length === 0) return `variable ${v.name} of a template`;
  return `variable ${v.name} of ${jobsLabel(jobs)}`;
}
