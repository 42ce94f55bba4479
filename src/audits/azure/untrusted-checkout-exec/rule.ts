import type { Node } from 'yaml';
import type { Rule } from '../../../core/rule.js';
import { DEFAULT_PR_NOTE } from '../template-injection/rule.js';
import type { AzureModel, Job, Pipeline } from '../../../platforms/azure/model.js';
import { outsiderPrBuilds, prReach } from '../../../platforms/azure/reach.js';
import { checksOutSelf, jobLabel, jobPrivileges, jobRestricted, jobSites, loc, related, type Privilege } from '../util.js';

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'untrusted-checkout-exec',
    title: 'Pull-request code built with secrets or on self-hosted agents',
    platform: 'azure',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-4', 'CICD-SEC-7'],
    cwe: ['CWE-829', 'CWE-94'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const manual = new Map<Pipeline, { job: Job; privileges: Privilege[] }[]>();
    for (const { pipeline, job, route } of jobSites(model)) {
      const reach = prReach(pipeline);
      // pr: none, or Azure Repos (only project members open pull requests there): no outsider.
      if (!outsiderPrBuilds(pipeline) || job.steps.length === 0) continue;
      const checkout = checksOutSelf(job);
      if (!checkout || jobRestricted(job, pipeline)) continue;
      if (!job.steps.some((s) => s.kind !== 'checkout' && s.kind !== 'publish' && s.kind !== 'download')) continue;
      const privileges = jobPrivileges(job, pipeline).filter((p) => p.kind !== 'environment' || job.kind === 'deployment');
      if (privileges.length === 0) continue;
      if (reach === 'ci-off-default') {
        // Meant to be queued by hand or on a schedule; PRs reach it only on some hosts: one note
        // for the pipeline rather than a claim per job.
        const list = manual.get(pipeline) ?? [];
        list.push({ job, privileges });
        manual.set(pipeline, list);
        continue;
      }
      const selfHosted = privileges.some((p) => p.kind === 'self-hosted');
      const list = privileges.slice(0, 3).map((p) => p.what).join(', ');
      // No pr: key: GitHub and Bitbucket repositories build every PR by default, Azure Repos only
      // under a build-validation branch policy; the YAML does not say which host it is.
      const byDefault = reach === 'default';
      report({
        message: selfHosted
          ? `${jobLabel(job)} checks out and runs pull-request code on ${list}; a fork's build scripts run on your machine and can persist there or reach its network — build PRs on Microsoft-hosted agents or exclude them with a condition on Build.Reason`
          : `${jobLabel(job)} checks out and runs pull-request code with ${list}; builds of same-repository branches (and of forks when "Make secrets available to builds of forks" is on) give that code the secrets — keep secrets out of PR jobs or exclude PRs with a condition on Build.Reason`,
        location: location(job, pipeline, checkout.explicit),
        related: [
          ...(pipeline.pr.node ? [related(pipeline.ctx, pipeline.pr.node, 'pull requests are built here')] : []),
          ...(byDefault ? [related(pipeline.ctx, (pipeline.root.items[0]?.key as Node | undefined) ?? pipeline.root, DEFAULT_PR_NOTE)] : []),
          ...privileges.slice(0, 3).map((p) => related(p.ctx, p.node, `the job has ${p.what}`)),
        ],
        severity: selfHosted ? 'high' : 'medium',
        confidence: selfHosted && !byDefault ? 'medium' : 'low',
        route: `${route}:pr-checkout`,
      });
    }
    for (const [pipeline, jobs] of manual) {
      const what = [...new Set(jobs.flatMap((j) => j.privileges.map((p) => p.what)))];
      const first = jobs[0]!;
      report({
        message: `this pipeline turns off CI builds (trigger: none) but has no pr: key, so on a GitHub or Bitbucket repository Azure still builds every pull request, and ${jobs.length === 1 ? jobLabel(first.job) : `${jobs.length} jobs`} would then run pull-request code with ${what.slice(0, 3).join(', ')}${what.length > 3 ? ` and ${what.length - 3} more` : ''}; add pr: none if it is meant to run only when queued or scheduled`,
        location: loc(pipeline.ctx, pipeline.trigger.node ?? pipeline.root),
        related: jobs.slice(0, 3).map((j) => related(j.job.ctx, j.job.ctx.view.get(j.job.node, j.job.kind === 'deployment' ? 'deployment' : 'job') ?? j.job.node, `${jobLabel(j.job)} checks out the pipeline's repository`)),
        severity: 'low',
        confidence: 'low',
        route: 'pipeline:trigger-none-without-pr',
      });
    }
  },
};

function location(job: Job, pipeline: Pipeline, explicit: Job['steps'][number] | undefined) {
  if (explicit) return loc(explicit.ctx, explicit.checkout!.node);
  const id = job.ctx.view.get(job.node, job.kind === 'deployment' ? 'deployment' : 'job');
  if (id) return loc(job.ctx, id);
  const first = job.steps[0];
  return first ? loc(first.ctx, first.node) : loc(pipeline.ctx, pipeline.root);
}
