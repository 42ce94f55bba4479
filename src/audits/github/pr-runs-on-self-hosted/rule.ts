import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Confidence } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel, Job } from '../../../platforms/github/model.js';
import { jobGate, reachableBy } from '../../../platforms/github/permissions.js';
import { jobSites, loc, related } from '../util.js';

/**
 * Events that run the pull request's own code (the merge commit of the fork's branch) with a
 * read-only token. `pull_request_target` and `workflow_run` run the base branch's code: they
 * are privileged, and covered by self-hosted-runner and the checkout rules instead.
 */
export const FORK_CODE_EVENTS: ReadonlySet<string> = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);

interface SelfHosted {
  node: Node;
  what: string;
  confidence: Confidence;
}

/** The `self-hosted` label (plain, in a list, under labels:, or in the static matrix it reads), or a runner group. */
export function selfHosted(job: Job): SelfHosted | undefined {
  const runsOn = job.runsOn;
  if (!runsOn) return undefined;
  const labels: Scalar[] = [];
  let group: Scalar | undefined;
  const add = (n: unknown): void => {
    if (isScalar(n)) labels.push(n);
    else if (isSeq(n)) for (const i of n.items) if (isScalar(i)) labels.push(i);
  };
  if (isMap(runsOn)) {
    add(runsOn.get('labels', true));
    const g = runsOn.get('group', true);
    if (isScalar(g)) group = g;
  } else add(runsOn);
  for (const l of labels) {
    const text = String(l.value ?? '').trim();
    if (text.toLowerCase() === 'self-hosted') return { node: l, what: 'a self-hosted runner', confidence: 'high' };
    const m = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(text);
    if (m && matrixHas(job, m[1]!.toLowerCase(), 'self-hosted')) return { node: l, what: 'a self-hosted runner (from the matrix)', confidence: 'high' };
  }
  if (group && labels.length === 0) return { node: group, what: `runner group "${String(group.value)}"`, confidence: 'low' };
  return undefined;
}

/** A static matrix axis (or include entry) whose value is, or lists, `label`. */
function matrixHas(job: Job, axis: string, label: string): boolean {
  const m = job.matrix;
  if (!m || !isMap(m)) return false;
  const hit = (n: unknown): boolean =>
    (isScalar(n) && String(n.value).toLowerCase() === label) || (isSeq(n) && n.items.some(hit));
  for (const pair of m.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value).toLowerCase();
    if (key === axis && hit(pair.value)) return true;
    if (key === 'include' && isSeq(pair.value)) {
      for (const entry of pair.value.items) {
        if (!isMap(entry)) continue;
        for (const p of entry.items) if (isScalar(p.key) && String(p.key.value).toLowerCase() === axis && hit(p.value)) return true;
      }
    }
  }
  return false;
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'pr-runs-on-self-hosted',
    title: 'Pull request code from forks runs on a self-hosted runner',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4', 'CICD-SEC-7'],
    cwe: ['CWE-829', 'CWE-250'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of jobSites(model)) {
      const { job, source, workflow } = site;
      const runner = selfHosted(job);
      if (!runner) continue;
      const events = reachableBy(jobGate(job, site.triggers), FORK_CODE_EVENTS);
      if (events.length === 0) continue;
      // Triggers declared here, or (for a reusable workflow) by the local callers that start it.
      const trigger = workflow.triggers.filter((t) => events.includes(t.name));
      report({
        message: `job "${job.id}" runs on ${runner.what} for ${events.map((e) => `"${e}"`).join(', ')}, so a pull request from any fork runs its own code on that machine; run fork pull requests on GitHub-hosted or ephemeral runners, or exclude forks in the job's if:`,
        location: loc(source, runner.node),
        confidence: runner.confidence,
        related: trigger.map((t) => related(source, t.node, `"${t.name}" runs for pull requests from forks`)),
        route: `jobs.${job.id}.runs-on:fork-pr`,
      });
    }
  },
};
