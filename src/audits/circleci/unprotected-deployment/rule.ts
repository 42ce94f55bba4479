import type { Rule } from '../../../core/rule.js';
import type { CircleModel } from '../../../platforms/circleci/model.js';
import { workflowEntries } from '../../../platforms/circleci/resolve.js';
import { deploymentOf, gateForArbitraryBranch } from '../../../platforms/circleci/workflow.js';
import { loc, related } from '../util.js';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'unprotected-deployment',
    title: 'Deployment job runs for every branch without approval',
    platform: 'circleci',
    severity: 'medium',
    confidence: 'medium',
    owasp: ['CICD-SEC-1', 'CICD-SEC-5'],
    cwe: ['CWE-284'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { file, workflow, job } of workflowEntries(model)) {
      if (job.type && String(job.type.value) === 'approval') continue;
      const d = deploymentOf(file, job);
      if (!d) continue;
      if (gateForArbitraryBranch(file, workflow, job)) continue;
      const rel = [d.location];
      if (job.contexts.length > 0) rel.push(related(file, job.contexts[0], `it receives the secrets of context "${String(job.contexts[0]!.value)}"`));
      report({
        message: `job "${job.id}" in workflow "${workflow.name}" ${d.reason} and runs for a push to any branch with no approval job before it; restrict it with filters (branches: only: [main] or a tags filter) and require a type: approval job`,
        location: loc(file, job.refNode),
        related: rel,
        confidence: d.confidence,
        route: `workflows.${workflow.name}.jobs.${job.id}`,
      });
    }
  },
};
