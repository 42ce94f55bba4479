import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { branchFacts, isProtected, repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/default-branch-unprotected',
    title: 'Default branch without protection or ruleset',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'repo (read) for rulesets; admin on the repository for classic branch protection',
    settings: 'settings/rules',
  },
  check(d, ctx) {
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      const facts = branchFacts(ctx, target, repo.defaultBranch);
      if (!facts) continue;
      const prot = isProtected(facts);
      if (prot === 'unknown') ctx.notEvaluated(target, facts.classicWhy!);
      else if (!prot) {
        ctx.report(target, {
          message: `default branch ${facts.name} of ${repo.info.full_name} has no branch protection and no ruleset: anyone with write access can push, force-push or delete it, and change workflows without review`,
          route: `branch:${facts.name}`,
          properties: { branch: facts.name },
        });
      }
    }
  },
};
