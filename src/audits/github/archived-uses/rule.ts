import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { archivedEntryFor, usesSites, usesTarget } from '../../../platforms/github/supply-chain.js';
import { loc } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'archived-uses',
    title: 'Action from an archived or deprecated repository',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-1104'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of usesSites(model)) {
      const { uses } = site;
      if (uses.kind !== 'repo') continue;
      const entry = archivedEntryFor(uses.owner, uses.repo, uses.path);
      if (!entry) continue;
      const target = usesTarget(uses);
      const instead = entry.replacement ? `switch to ${entry.replacement}` : 'switch to a maintained alternative';
      report({
        message: `${site.who} uses ${target}, whose repository was archived or deprecated (${entry.archived}) and gets no security fixes; ${instead}`,
        location: loc(site.source, uses.node),
        route: `${site.route}:${target.toLowerCase()}`,
        properties: { archived: entry.archived, source: entry.source },
      });
    }
  },
};
