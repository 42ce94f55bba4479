import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { onlineFacts, repoKey } from '../../../online/facts.js';
import { repoUsesSites } from '../../../online/rule-sites.js';
import { loc } from '../util.js';

/**
 * `@ref` that names both a tag and a branch of the action's repository. Which one runs depends
 * on GitHub's resolution order, and anyone allowed to push a branch (a much wider group than
 * those allowed to publish release tags, and unprotected by tag rules) can make one named like
 * a release and get their code run.
 */
export const rule: Rule<GithubModel> = {
  meta: {
    id: 'ref-confusion',
    title: 'Action ref names both a branch and a tag',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-706'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const facts = onlineFacts(model);
    if (!facts) return;
    for (const site of repoUsesSites(model)) {
      const { uses } = site;
      if (uses.pinnedToSha) continue;
      const info = facts.repos[repoKey(uses.owner, uses.repo)]?.refs[uses.ref];
      if (!info?.tag || !info.branch) continue;
      report({
        message: `${site.who} ${site.verb} ${site.target}, but "${uses.ref}" names both a tag and a branch of ${uses.owner}/${uses.repo}, so whoever can push that branch can decide which code runs; pin a full commit SHA`,
        location: loc(site.source, uses.node),
        route: `${site.route}:${uses.owner.toLowerCase()}/${uses.repo.toLowerCase()}@${uses.ref}`,
        properties: { ref: uses.ref, tag: info.tag, branch: info.branch },
      });
    }
  },
};
