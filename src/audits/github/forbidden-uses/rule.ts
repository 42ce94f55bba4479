import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { matchingPattern, parseUsesPatternOptions, usesSites, usesTarget } from '../../../platforms/github/supply-chain.js';
import { loc } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'forbidden-uses',
    title: 'Action not allowed by the repository policy',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-8', 'CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report, options) {
    // Validate before looking at the model: a broken policy is an error even in an empty repo.
    const policy = parseUsesPatternOptions(options);
    if (!policy) return; // off until configured
    for (const site of usesSites(model)) {
      const { uses } = site;
      // Local actions and workflows are part of the repository; docker:// images are not actions.
      if (uses.kind !== 'repo') continue;
      const target = usesTarget(uses);
      const hit = matchingPattern(policy.patterns, uses.owner, uses.repo, uses.path);
      if (policy.mode === 'deny' && hit === undefined) continue;
      if (policy.mode === 'allow' && hit !== undefined) continue;
      report({
        message:
          policy.mode === 'deny'
            ? `${site.who} uses ${target}, which the deny list forbids (pattern "${hit}"); remove it or use an approved action`
            : `${site.who} uses ${target}, which no pattern of the allow list covers; remove it, use an approved action or add it to the allow list`,
        location: loc(site.source, uses.node),
        route: `${site.route}:${target.toLowerCase()}`,
      });
    }
  },
};
