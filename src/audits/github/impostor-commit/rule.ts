import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { onlineFacts, repoKey, shortSha } from '../../../online/facts.js';
import { repoUsesSites } from '../../../online/rule-sites.js';
import { loc } from '../util.js';

/**
 * A SHA pin to a commit that no branch or tag of the action's repository contains. GitHub
 * shares one object store across a repository and all its forks, so `owner/repo@<sha>` runs a
 * commit pushed to any fork: a pin can look like `actions/checkout` and run an attacker's code.
 * Reachability is decided by prefetch (online/prefetch.ts); "undecided" is never reported. A pin
 * GitHub does not know at all (`missing`: 404 for the commit) is reported high/medium.
 */
export const rule: Rule<GithubModel> = {
  meta: {
    id: 'impostor-commit',
    title: 'Pinned commit is not in the action repository (fork-network impostor commit)',
    platform: 'github',
    severity: 'critical',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    const facts = onlineFacts(model);
    if (!facts) return;
    for (const site of repoUsesSites(model)) {
      const { uses } = site;
      if (!uses.pinnedToSha) continue;
      const sha = uses.ref.toLowerCase();
      const info = facts.repos[repoKey(uses.owner, uses.repo)]?.commits[sha];
      if (info?.reachability === 'missing') {
        // GitHub answers 404 for the commit under this name, fork network included: the pin is
        // not the action's code (a mistyped or rewritten SHA, or history that was deleted), and
        // nothing shows what it was meant to run. zizmor reports these as impostors too.
        report({
          message: `${site.who} ${site.verb} ${site.target}, but GitHub does not know commit ${shortSha(sha)} in ${uses.owner}/${uses.repo} or its forks (404): the pin names no code of the action (a mistyped or rewritten SHA, or deleted history), so the step fails or was never checked against what it runs; pin a commit from the repository's own history`,
          location: loc(site.source, uses.node),
          severity: 'high',
          confidence: 'medium',
          route: `${site.route}:${uses.owner.toLowerCase()}/${uses.repo.toLowerCase()}@${sha}:missing`,
          properties: { commit: sha },
        });
        continue;
      }
      if (info?.reachability !== 'unreachable') continue;
      report({
        message: `${site.who} ${site.verb} ${site.target}, but commit ${shortSha(sha)} is on no branch or tag of ${uses.owner}/${uses.repo}: it can only come from a fork, whose code GitHub serves under the original name; pin a commit from the repository's own history`,
        location: loc(site.source, uses.node),
        route: `${site.route}:${uses.owner.toLowerCase()}/${uses.repo.toLowerCase()}@${sha}`,
        properties: { commit: sha },
      });
    }
  },
};
