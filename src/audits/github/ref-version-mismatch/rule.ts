import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { inInterval, parseVersion, versionSpan } from '../../../platforms/github/uses-policy.js';
import { commentVersionText, onlineFacts, repoKey, restOfLine, shortSha, tagCandidates } from '../../../online/facts.js';
import { repoUsesSites } from '../../../online/rule-sites.js';
import { loc } from '../util.js';

/**
 * `uses: owner/repo@<sha> # v4.1.2` where tag v4.1.2 is a different commit. Reviewers,
 * Dependabot and known-vulnerable-actions all trust the comment; a wrong one hides what really
 * runs (by mistake, or to slip an old vulnerable or a malicious commit past review).
 *
 * A floating comment (`# v4`, `# v4.1`) is a claim about a line of releases, and its tag moves
 * on: the pin is only wrong when the commit is a release outside that line (e.g. `# v4` on a
 * v3.2.1 commit). A comment naming a tag that does not exist is left alone.
 */
export const rule: Rule<GithubModel> = {
  meta: {
    id: 'ref-version-mismatch',
    title: 'SHA pin comment names a different version than the pinned commit',
    platform: 'github',
    severity: 'medium',
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
      const comment = commentVersionText(restOfLine(site.source, uses));
      if (!comment) continue;
      const repo = facts.repos[repoKey(uses.owner, uses.repo)];
      const known = repo?.tagCommits;
      if (!known) continue;
      const name = tagCandidates(comment).find((n) => typeof known[n] === 'string');
      if (!name) continue; // no such tag (or not looked up): nothing to compare against
      const tagSha = known[name]!;
      const sha = uses.ref.toLowerCase();
      if (tagSha === sha) continue;
      const version = parseVersion(comment);
      const pinnedTags = (repo.tags ?? []).filter((t) => t.sha === sha).map((t) => t.name);
      if (version && version.parts < 3) {
        // `# v4`: fine while the commit is some v4.x.y release; wrong only when it is provably another line.
        const span = versionSpan(version);
        const versions = pinnedTags.map((t) => parseVersion(t)).filter((v) => v !== undefined);
        if (versions.length === 0 || versions.some((v) => inInterval(v, span))) continue;
      }
      const actual = pinnedTags.length ? `the pinned commit is ${pinnedTags.slice(0, 3).join(', ')}` : 'the pinned commit is not that release';
      report({
        message: `${site.who} ${site.verb} ${site.target} with comment "${comment}", but tag ${name} of ${uses.owner}/${uses.repo} is commit ${shortSha(tagSha)} and ${actual}; make the SHA and the comment agree`,
        location: loc(site.source, uses.node),
        route: `${site.route}:${uses.owner.toLowerCase()}/${uses.repo.toLowerCase()}@${sha}:${comment}`,
        properties: { commit: sha, comment, tagCommit: tagSha },
      });
    }
  },
};
