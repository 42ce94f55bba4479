import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel } from '../../../platforms/bitbucket/model.js';
import { isManuallyGated, loc, pipelineLabel, PRODUCTION_ENV, related, stepRoute, STAGING_ENV, stepUses, WorstOf } from '../util.js';

export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'unprotected-deployment',
    title: 'Production or staging deployment runs automatically for unreviewed branches',
    platform: 'bitbucket',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-1', 'CICD-SEC-5'],
    cwe: ['CWE-284'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const out = new WorstOf();
    for (const use of stepUses(model)) {
      const { step, pipeline } = use;
      const dep = step.deployment;
      if (!dep || pipeline.trust !== 'unreviewed') continue;
      // Custom pipelines are started by hand (the person picks the branch), shared ones where we cannot see.
      if (pipeline.kind === 'custom' || pipeline.kind === 'shared') continue;
      const prod = PRODUCTION_ENV.test(dep.name);
      if (!prod && !STAGING_ENV.test(dep.name)) continue;
      if (isManuallyGated(use)) continue;
      const who = pipeline.kind === 'pull-requests' ? 'every pull request from a branch of this repository' : pipeline.kind === 'default' ? 'every push to a branch no other pipeline matches' : `every push to a branch matching "${pipeline.pattern}"`;
      out.add({
        message: `step "${step.label}" deploys to "${dep.name}"${dep.fromStage ? ' (through its stage)' : ''} automatically in the ${pipelineLabel(pipeline)} pipeline, which runs for ${who}; move it to a pipeline for protected branches, add trigger: manual, and restrict the environment's deployment permissions`,
        location: loc(step.source, dep.node),
        related: [related(pipeline.source, pipeline.keyNode, `the ${pipelineLabel(pipeline)} pipeline runs code nobody has reviewed`)],
        severity: prod ? 'high' : 'medium',
        route: `${stepRoute(step)}.deployment:${dep.name}`,
      });
    }
    out.flush(report);
  },
};
