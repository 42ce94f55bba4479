import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { lookAlikeOf, usesSites, usesTarget } from '../../../platforms/github/supply-chain.js';
import { loc } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'typosquat-uses',
    title: 'Action name looks like a popular action but is not it',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of usesSites(model)) {
      const { uses } = site;
      if (uses.kind !== 'repo') continue;
      const hit = lookAlikeOf(uses.owner, uses.repo);
      if (!hit) continue;
      const target = usesTarget(uses);
      const message = hit.otherOwner
        ? `${site.who} uses ${target}, which looks like ${hit.target} but is not it: ${hit.why}, so whoever owns "${uses.owner}" decides what runs; use ${hit.target} if that was meant`
        : `${site.who} uses ${target}, which is not a known action of "${uses.owner}": ${hit.why}; use ${hit.target} if that was meant`;
      report({
        message,
        location: loc(site.source, uses.node),
        severity: hit.otherOwner ? 'high' : 'low',
        confidence: hit.confidence,
        route: `${site.route}:${target.toLowerCase()}`,
        properties: { lookalikeOf: hit.target },
      });
    }
  },
};
