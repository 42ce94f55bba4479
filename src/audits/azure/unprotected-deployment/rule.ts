import type { Rule } from '../../../core/rule.js';
import type { AzureModel, Pipeline } from '../../../platforms/azure/model.js';
import { jobLabel, jobRestricted, jobSites, loc } from '../util.js';

export const rule: Rule<AzureModel> = {
  meta: {
    id: 'unprotected-deployment',
    title: 'Deployment job not limited to the protected branch',
    platform: 'azure',
    severity: 'medium',
    confidence: 'low',
    owasp: ['CICD-SEC-1', 'CICD-SEC-5'],
    cwe: ['CWE-284'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { pipeline, job, route } of jobSites(model)) {
      if (job.kind !== 'deployment' || !job.environment) continue;
      if (jobRestricted(job, pipeline) || onlyFixedBranches(pipeline)) continue;
      const runs = pipeline.pr.kind === 'none' ? 'runs from any branch build' : 'runs from any branch build and from pull-request builds';
      report({
        message: `${jobLabel(job)} deploys to environment "${job.environment.name}" but ${runs}: no condition limits it to the main branch; add a condition on Build.SourceBranch and give the environment a branch-control check and approvals (checks are configured outside YAML and are not visible here)`,
        location: loc(job.ctx, job.environment.node),
        route: `${route}:environment:${job.environment.name.toLowerCase()}`,
      });
    }
  },
};

/** A CI trigger on literal branch names (no wildcard, no tags) and no PR builds: only those branches deploy. */
function onlyFixedBranches(p: Pipeline): boolean {
  if (p.pr.kind !== 'none') return false;
  if (p.trigger.kind === 'none') return true;
  return p.trigger.kind === 'filtered' && !p.trigger.tags && p.trigger.branches.length > 0 && p.trigger.branches.every((b) => !/[*?]/.test(b));
}
