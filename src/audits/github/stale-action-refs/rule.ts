import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { onlineFacts, repoKey, shortSha } from '../../../online/facts.js';
import { repoUsesSites } from '../../../online/rule-sites.js';
import { loc } from '../util.js';

/**
 * A SHA pin to a commit that is not the commit of any tag: code between releases, which the
 * maintainers never published as a version (and which Dependabot cannot update as one).
 * Only reported when the full tag list is known, the repository has tags at all, and the commit
 * is in the repository (impostor-commit reports the rest).
 */
export const rule: Rule<GithubModel> = {
  meta: {
    id: 'stale-action-refs',
    title: 'Action pinned to a commit that is not a release tag',
    platform: 'github',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-1104'],
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
      const repo = facts.repos[repoKey(uses.owner, uses.repo)];
      if (!repo?.tags || !repo.tagsComplete || repo.tags.length === 0) continue;
      const reach = repo.commits[sha]?.reachability;
      if (reach === 'unreachable' || reach === 'missing') continue;
      if (repo.tags.some((t) => t.sha === sha)) continue;
      const latest = repo.latestRelease ? ` (latest release: ${repo.latestRelease})` : '';
      report({
        message: `${site.who} ${site.verb} ${site.target}, but commit ${shortSha(sha)} is not the commit of any tag of ${uses.owner}/${uses.repo}: it is unreleased code between versions; pin the commit of a release tag${latest}`,
        location: loc(site.source, uses.node),
        route: `${site.route}:${uses.owner.toLowerCase()}/${uses.repo.toLowerCase()}@${sha}`,
        properties: { commit: sha, ...(repo.latestRelease ? { latestRelease: repo.latestRelease } : {}) },
      });
    }
  },
};
