import type { Scalar } from 'yaml';
import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel } from '../../../platforms/bitbucket/model.js';
import { loc, pipelineLabel, PRODUCTION_ENV, related, stepRoute, stepUses, type StepUse } from '../util.js';

/**
 * Bitbucket caches belong to the repository, not to a branch: the first successful step that
 * uses a missing (expired after 7 days, deleted, or new key) cache saves it, and every pipeline
 * restores it. A step of an unreviewed pipeline can therefore plant what a release step runs.
 */
export const rule: Rule<BitbucketModel> = {
  meta: {
    id: 'cache-poisoning',
    title: 'Cache shared between unreviewed and release or deployment pipelines',
    platform: 'bitbucket',
    severity: 'medium',
    confidence: 'medium',
    owasp: ['CICD-SEC-9'],
    cwe: ['CWE-349'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const writers = new Map<string, Array<{ use: StepUse; node: Scalar }>>();
    const readers: Array<{ use: StepUse; name: string; node: Scalar }> = [];
    for (const use of stepUses(model)) {
      for (const c of use.step.caches) {
        if (use.pipeline.trust === 'unreviewed' && use.pipeline.kind !== 'shared') {
          const list = writers.get(c.name) ?? [];
          list.push({ use, node: c.node });
          writers.set(c.name, list);
        }
        if (isPrivileged(use)) readers.push({ use, name: c.name, node: c.node });
      }
    }
    const seen = new Set<string>();
    for (const r of readers) {
      const w = writers.get(r.name);
      if (!w) continue;
      const { step, pipeline } = r.use;
      const key = `${stepRoute(step)}:${r.name}:${r.node.range?.[0]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const why = step.deployment ? `deploys to "${step.deployment.name}"` : `runs in the ${pipelineLabel(pipeline)} pipeline`;
      const first = w[0]!;
      report({
        message: `step "${step.label}" ${why} and restores cache "${r.name}", which the ${pipelineLabel(first.use.pipeline)} pipeline can save from unreviewed code (Bitbucket caches are shared by all branches); use a separate cache for release steps, or none`,
        location: loc(step.source, r.node),
        related: [related(first.use.step.source, first.node, `saved by step "${first.use.step.label}" in the ${pipelineLabel(first.use.pipeline)} pipeline`)],
        severity: step.deployment && PRODUCTION_ENV.test(step.deployment.name) ? 'high' : 'medium',
        route: `${stepRoute(step)}.caches:${r.name}`,
      });
    }
  },
};

function isPrivileged(use: StepUse): boolean {
  return use.step.deployment !== undefined || use.pipeline.trust === 'protected';
}
