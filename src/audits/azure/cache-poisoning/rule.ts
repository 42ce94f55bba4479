import type { Rule } from '../../../core/rule.js';
import type { AzureModel, Job } from '../../../platforms/azure/model.js';
import { poolOf } from '../../../platforms/azure/scripts.js';
import { outsiderPrBuilds } from '../../../platforms/azure/reach.js';
import { checksOutSelf, jobLabel, jobPrivileges, jobRestricted, jobSites, loc, related } from '../util.js';

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'cache-poisoning',
    title: 'Release job shares self-hosted agents with pull-request builds',
    platform: 'azure',
    severity: 'medium',
    confidence: 'low',
    owasp: ['CICD-SEC-4', 'CICD-SEC-9'],
    cwe: ['CWE-349', 'CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const pipeline of model.pipelines) {
      if (!outsiderPrBuilds(pipeline)) continue;
      const jobs = [...jobSites({ pipelines: [pipeline] })];
      const prJobs = new Map<string, Job>();
      for (const { job } of jobs) {
        const pool = poolOf(job, pipeline);
        if (!pool?.selfHosted || !pool.name || !checksOutSelf(job) || jobRestricted(job, pipeline)) continue;
        const key = pool.name.toLowerCase();
        if (!prJobs.has(key)) prJobs.set(key, job);
      }
      for (const { job, route } of jobs) {
        const pool = poolOf(job, pipeline);
        if (!pool?.selfHosted || !pool.name) continue;
        const pr = prJobs.get(pool.name.toLowerCase());
        if (!pr || pr === job) continue;
        const release = job.kind === 'deployment' || jobPrivileges(job, pipeline).some((p) => p.kind === 'service-connection' || p.kind === 'environment');
        if (!release) continue;
        report({
          message: `${jobLabel(job)} releases from self-hosted pool "${pool.name}", where ${jobLabel(pr)} builds pull requests; what a PR build leaves on those agents (tool caches, package caches, Docker layers, files outside the workspace) is picked up by the release — give releases their own pool or use agents reimaged after every job`,
          location: loc(pool.ctx, pool.node),
          related: [related(pr.ctx, pr.ctx.view.get(pr.node, 'job') ?? pr.node, 'pull-request code runs on the same pool here')],
          route: `${route}:shared-pool:${pool.name.toLowerCase()}`,
        });
      }
    }
  },
};
