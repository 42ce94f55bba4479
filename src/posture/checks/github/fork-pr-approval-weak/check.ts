import type { PostureCheck } from '../../../check.js';
import type { ForkPrApproval, GithubOrgData } from '../../../github/model.js';
import { isPublic, orgTarget, repoTarget } from '../util.js';

export const POLICY_WORDS: Record<NonNullable<ForkPrApproval['approval_policy']>, string> = {
  first_time_contributors_new_to_github: 'only users new to GitHub need approval',
  first_time_contributors: 'only first-time contributors need approval',
  all_external_contributors: 'every outside contributor needs approval',
};

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/fork-pr-approval-weak',
    title: 'Fork pull request workflows from outside contributors run without approval',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-4'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org for the organisation; admin on each public repository for its own setting',
    settings: 'settings/actions',
  },
  check(d, ctx) {
    const org = orgTarget(d);
    if (!d.repos.some(isPublic)) return; // the setting only governs public repositories
    const orgPolicy = ctx.need(org, d.forkPrApproval)?.approval_policy;
    if (orgPolicy && orgPolicy !== 'all_external_contributors') {
      ctx.report(org, {
        message: `in ${d.org}, ${POLICY_WORDS[orgPolicy]} before fork pull request workflows run: an outside contributor with one merged change runs code in your workflows without anyone looking`,
        route: 'org',
        severity: orgPolicy === 'first_time_contributors_new_to_github' ? 'high' : 'medium',
        properties: { approval_policy: orgPolicy },
      });
    }
    for (const repo of d.repos.filter(isPublic)) {
      const target = repoTarget(repo);
      const policy = ctx.need(target, repo.forkPrApproval)?.approval_policy;
      // Only a repository looser than its organisation is worth its own finding.
      if (!policy || policy === 'all_external_contributors' || policy === orgPolicy) continue;
      ctx.report(target, {
        message: `in ${repo.info.full_name}, ${POLICY_WORDS[policy]} before fork pull request workflows run`,
        route: 'repo',
        severity: policy === 'first_time_contributors_new_to_github' ? 'high' : 'medium',
        properties: { approval_policy: policy },
      });
    }
  },
};
