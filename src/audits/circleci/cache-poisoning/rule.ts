import type { Scalar } from 'yaml';
import type { Rule } from '../../../core/rule.js';
import type { CircleFile, CircleModel, Job, Workflow, WorkflowJob } from '../../../platforms/circleci/model.js';
import { defRoute, expandedSteps, resolveJob, workflowEntries } from '../../../platforms/circleci/resolve.js';
import { deploymentOf, entryRunsOnBranch, entryRunsOnTags, gateForArbitraryBranch } from '../../../platforms/circleci/workflow.js';
import { loc, related } from '../util.js';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'cache-poisoning',
    title: 'Release job restores a cache that any branch can write',
    platform: 'circleci',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-9', 'CICD-SEC-4'],
    cwe: ['CWE-349', 'CWE-494'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const entries = [...workflowEntries(model)].filter((e) => !(e.job.type && String(e.job.type.value) === 'approval'));
    const saves: Array<{ file: CircleFile; workflow: Workflow; entry: WorkflowJob; key: Scalar; prefix: string; templated: boolean }> = [];
    for (const e of entries) {
      if (gateForArbitraryBranch(e.file, e.workflow, e.job)) continue;
      const job = resolveJob(e.file.defs, e.job.ref);
      if (!job) continue;
      for (const { step } of expandedSteps(job.owner, job.steps)) {
        if (step.type !== 'save_cache' || !step.key || typeof step.key.value !== 'string') continue;
        const { prefix, templated } = split(step.key.value);
        saves.push({ ...e, entry: e.job, key: step.key, prefix, templated });
      }
    }
    if (saves.length === 0) return;
    for (const e of entries) {
      const release = releaseKind(e.file, e.workflow, e.job);
      if (!release) continue;
      const job = resolveJob(e.file.defs, e.job.ref);
      if (!job) continue;
      for (const { step } of expandedSteps(job.owner, job.steps)) {
        if (step.type !== 'restore_cache') continue;
        for (const key of step.keys) {
          if (typeof key.value !== 'string' || branchScoped(key.value)) continue;
          const r = split(key.value);
          if (r.prefix === '') continue;
          const hit = saves.find((s) => s.entry !== e.job && (s.prefix.startsWith(r.prefix) || (s.templated && r.prefix.startsWith(s.prefix) && s.prefix !== '')));
          if (!hit) continue;
          const prefixOnly = !r.templated;
          report({
            message: `restore_cache key "${key.value}" of ${label(job)} (${release} "${e.job.id}" in workflow "${e.workflow.name}") also matches the cache that job "${hit.entry.id}" saves as "${String(hit.key.value)}" in workflow "${hit.workflow.name}" for any branch${prefixOnly ? ', and a key prefix restores whichever matching cache was saved last' : ''}; give release builds their own key prefix that only protected jobs save`,
            location: loc(e.file, key),
            related: [related(hit.file, hit.key, `saved here by job "${hit.entry.id}", which runs for every branch`)],
            severity: release === 'the deployment' ? 'high' : 'medium',
            confidence: prefixOnly ? 'high' : 'medium',
            route: `${defRoute(job)}.restore_cache:${key.value}`,
          });
        }
      }
    }
  },
};

function label(job: Job): string {
  return `job "${job.name}"`;
}

/** Literal text before the first template, and whether templates follow. */
function split(key: string): { prefix: string; templated: boolean } {
  const i = key.indexOf('{{');
  return i === -1 ? { prefix: key.trim(), templated: false } : { prefix: key.slice(0, i).trim(), templated: true };
}

/** `{{ .Branch }}` or `{{ .Environment.CIRCLE_BRANCH }}` in a key: each branch has its own caches. */
function branchScoped(key: string): boolean {
  return /\{\{[^}]*(?:\.Branch\b|CIRCLE_BRANCH)[^}]*\}\}/.test(key);
}

/** Is this entry a release context: a deployment, a tag build, or a job kept to protected branches? */
function releaseKind(file: CircleFile, wf: Workflow, entry: WorkflowJob): string | undefined {
  const gate = gateForArbitraryBranch(file, wf, entry);
  if (deploymentOf(file, entry) && gate) return 'the deployment';
  if (entryRunsOnTags(entry) && gate) return 'the tag build';
  if (gate?.kind === 'filter' && ['main', 'master', 'release'].some((b) => entryRunsOnBranch(entry, b) === true)) return 'the protected-branch job';
  return undefined;
}
