import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { branchFacts, isProtected, repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/release-refs-unprotected',
    title: 'Release branches or tags without protection',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1', 'CICD-SEC-9'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'repo (read) for rulesets; admin on the repository for classic branch protection; repo (read) for tags and rulesets',
    settings: 'settings/rules',
  },
  check(d, ctx) {
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      const branches = ctx.need(target, repo.releaseBranches);
      for (const ref of branches ?? []) {
        const facts = branchFacts(ctx, target, ref);
        if (!facts) continue;
        const prot = isProtected(facts);
        if (prot === 'unknown') ctx.notEvaluated(target, facts.classicWhy!);
        else if (!prot) {
          ctx.report(target, {
            message: `release branch ${ref.name} of ${repo.info.full_name} has no protection or ruleset: a release line can be rewritten by anyone with write access`,
            route: `branch:${ref.name}`,
            properties: { branch: ref.name },
          });
        }
      }
      const hasTags = ctx.need(target, repo.hasTags);
      if (!hasTags) continue;
      const rulesets = ctx.need(target, repo.rulesets);
      if (!rulesets) continue;
      const guarded = rulesets.some(
        (rs) => rs.target === 'tag' && rs.enforcement === 'active' && (rs.rules ?? []).some((r) => r.type === 'update' || r.type === 'deletion' || r.type === 'non_fast_forward'),
      );
      if (!guarded) {
        ctx.report(target, {
          message: `tags of ${repo.info.full_name} are not protected by a ruleset: anyone with write access can move or delete a release tag that users and actions pin`,
          route: 'tags',
        });
      }
    }
  },
};
