import type { PostureCheck } from '../../../check.js';
import type { ForkPrPrivate, GithubOrgData } from '../../../github/model.js';
import { isPublic, orgTarget, repoTarget } from '../util.js';

function problems(s: ForkPrPrivate): string[] {
  if (!s.run_workflows_from_fork_pull_requests) return [];
  const out: string[] = [];
  if (s.send_write_tokens_to_workflows) out.push('a read-write GITHUB_TOKEN');
  if (s.send_secrets_and_variables) out.push('secrets and variables');
  return out;
}

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/fork-pr-secrets-private',
    title: 'Fork pull request workflows in private repositories get write tokens or secrets',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-4', 'CICD-SEC-6'],
    cwe: ['CWE-269'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org for the organisation; admin on each private repository for its own setting',
    settings: 'settings/actions',
  },
  check(d, ctx) {
    const org = orgTarget(d);
    const orgSettings = ctx.need(org, d.forkPrPrivate);
    if (orgSettings) {
      const p = problems(orgSettings);
      if (p.length > 0) {
        ctx.report(org, {
          message: `fork pull request workflows in ${d.org}'s private repositories receive ${p.join(' and ')}${orgSettings.require_approval_for_fork_pr_workflows ? '' : ', without approval'}: anyone who can fork gets them`,
          route: 'org',
          severity: orgSettings.require_approval_for_fork_pr_workflows ? 'high' : 'critical',
        });
      }
    }
    for (const repo of d.repos.filter((r) => !isPublic(r))) {
      const target = repoTarget(repo);
      const s = ctx.need(target, repo.forkPrPrivate);
      if (!s) continue;
      const p = problems(s);
      if (p.length === 0 || (orgSettings && problems(orgSettings).join() === p.join())) continue;
      ctx.report(target, {
        message: `fork pull request workflows in ${repo.info.full_name} receive ${p.join(' and ')}${s.require_approval_for_fork_pr_workflows ? '' : ', without approval'}`,
        route: 'repo',
        severity: s.require_approval_for_fork_pr_workflows ? 'high' : 'critical',
      });
    }
  },
};
