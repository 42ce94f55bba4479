import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel } from '../../../platforms/bitbucket/model.js';
import { isManuallyGated, loc, pipelineLabel, PRODUCTION_ENV, related, stepRoute, STAGING_ENV, stepUses, WorstOf } from '../util.js';

/**
 * Pull request pipelines build the source branch merged into the destination: code nobody has
 * reviewed. Bitbucket Cloud runs them only for branches of the same repository (not forks), so
 * the author is a writer; what matters is what the pipeline hands that code beyond what a writer
 * already has: persistent self-hosted machines, OIDC identities and deployment variables.
 */
export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'untrusted-checkout-exec',
    title: 'Pull request code runs with privileged runners, OIDC or deployment variables',
    platform: 'bitbucket',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-4', 'CICD-SEC-7'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const out = new WorstOf();
    for (const use of stepUses(model)) {
      const { step, pipeline } = use;
      if (pipeline.kind !== 'pull-requests') continue;
      const ctx = related(pipeline.source, pipeline.keyNode, `the ${pipelineLabel(pipeline)} pipeline builds unreviewed pull request branches`);
      const selfHosted = step.runsOn.find((r) => r.label === 'self.hosted');
      if (selfHosted) {
        out.add({
          message: `step "${step.label}" runs unreviewed pull request code on a self-hosted runner (runs-on: ${step.runsOn.map((r) => r.label).join(', ')}), where it can persist and reach what later jobs on that machine use; run pull request builds on Bitbucket Cloud runners or on ephemeral, isolated runners`,
          location: loc(step.source, selfHosted.node),
          related: [ctx],
          severity: 'high',
          route: `${stepRoute(step)}.runs-on:${pipelineLabel(pipeline)}`,
        });
      }
      if (step.oidc) {
        out.add({
          message: `step "${step.label}" gets an OIDC token (oidc: true) while running unreviewed pull request code; make sure the cloud roles that trust this repository require a protected branch or deployment environment claim, or drop oidc from pull request pipelines`,
          location: loc(step.source, step.oidc),
          related: [ctx],
          severity: 'medium',
          route: `${stepRoute(step)}.oidc:${pipelineLabel(pipeline)}`,
        });
      }
      const dep = step.deployment;
      if (dep) {
        const prod = PRODUCTION_ENV.test(dep.name);
        const gated = isManuallyGated(use);
        // Automatic production/staging deployments are reported by unprotected-deployment.
        if ((prod || STAGING_ENV.test(dep.name)) && !gated) continue;
        out.add({
          message: `step "${step.label}" receives the deployment variables of "${dep.name}" while running unreviewed pull request code${gated ? ' (after a manual trigger, which approves the pipeline, not the code)' : ''}; deploy from protected branches only`,
          location: loc(step.source, dep.node),
          related: [ctx],
          severity: prod ? 'high' : 'medium',
          route: `${stepRoute(step)}.deployment:${dep.name}:${pipelineLabel(pipeline)}`,
        });
      }
    }
    out.flush(report);
  },
};
