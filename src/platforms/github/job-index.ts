import type { Job, Workflow } from './model.js';

// Indexed once per workflow: passes that look a job up per `needs:` entry or per
// `needs.X.outputs` expression were linear searches, quadratic over thousands of jobs.
const JOBS_BY_ID = new WeakMap<Workflow, { exact: Map<string, Job>; lower: Map<string, Job> }>();

/** A workflow's job by id (exact, or case-insensitively with `lower`), from an index built once. */
export function jobById(workflow: Workflow, id: string, lower = false): Job | undefined {
  let index = JOBS_BY_ID.get(workflow);
  if (!index) {
    index = { exact: new Map(), lower: new Map() };
    for (const j of workflow.jobs) {
      if (!index.exact.has(j.id)) index.exact.set(j.id, j);
      const l = j.id.toLowerCase();
      if (!index.lower.has(l)) index.lower.set(l, j);
    }
    JOBS_BY_ID.set(workflow, index);
  }
  return lower ? index.lower.get(id) : index.exact.get(id);
}
