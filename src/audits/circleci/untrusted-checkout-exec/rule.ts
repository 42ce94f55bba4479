import type { Scalar } from 'yaml';
import type { Rule } from '../../../core/rule.js';
import type { CircleModel, Job } from '../../../platforms/circleci/model.js';
import { resolveExecutor, resolveJob, workflowEntries } from '../../../platforms/circleci/resolve.js';
import { checksOut, deploymentOf, FORK_BRANCH, gateFor, gateForArbitraryBranch } from '../../../platforms/circleci/workflow.js';
import { loc, related } from '../util.js';

const SETTING = '"Pass secrets to builds from forked pull requests"';

export const rule: Rule<CircleModel> = {
  meta: {
    id: 'untrusted-checkout-exec',
    title: 'Job with secrets or a self-hosted runner builds pull request code',
    platform: 'circleci',
    severity: 'medium',
    confidence: 'low',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-829', 'CWE-94'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const { file, workflow, job: entry } of workflowEntries(model)) {
      if (entry.type && String(entry.type.value) === 'approval') continue;
      const job = resolveJob(file.defs, entry.ref);
      if (!job || !checksOut(file, entry)) continue;
      if (gateFor(file, workflow, entry, FORK_BRANCH)) continue;
      // A deployment that runs on every branch is unprotected-deployment's finding; one finding per problem.
      if (deploymentOf(file, entry) && !gateForArbitraryBranch(file, workflow, entry)) continue;
      const where = `job "${entry.id}" in workflow "${workflow.name}"`;
      const checkout = related(file, entry.refNode, 'no branch filter, workflow condition or approval job keeps pull request builds out');
      if (entry.contexts.length > 0) {
        const ctx = entry.contexts.map((c) => `"${String(c.value)}"`).join(', ');
        report({
          message: `${where} receives the secrets of context ${ctx} and checks out and runs the code of every branch, including pull requests from forks (built as ${FORK_BRANCH}) if ${SETTING} is on; keep it to protected branches with filters, or restrict the context to them`,
          location: loc(file, entry.contexts[0]),
          related: [checkout],
          route: `workflows.${workflow.name}.jobs.${entry.id}.context`,
        });
      }
      const runner = selfHostedClass(job);
      if (runner) {
        report({
          message: `${where} runs on the self-hosted runner resource class "${String(runner.value)}" and checks out and runs the code of every branch, including pull requests from forks (built as ${FORK_BRANCH}); keep it to protected branches with filters, or build untrusted code on CircleCI's ephemeral machines`,
          location: loc(file, runner),
          related: [related(file, entry.refNode, `used by ${where}`)],
          route: `workflows.${workflow.name}.jobs.${entry.id}.resource_class`,
        });
      }
    }
  },
};

/** `resource_class: namespace/name` on the job or its local executor: a self-hosted runner. */
function selfHostedClass(job: Job): Scalar | undefined {
  const candidates = [job.resourceClass];
  if (job.executorRef) candidates.push(resolveExecutor(job.owner, job.executorRef.name)?.resourceClass);
  for (const rc of candidates) {
    const v = rc && typeof rc.value === 'string' ? rc.value.trim() : undefined;
    if (v && !v.includes('<<') && /^[\w.-]+\/[\w.-]+$/.test(v)) return rc;
  }
  return undefined;
}
