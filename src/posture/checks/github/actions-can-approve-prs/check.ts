import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget, repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/actions-can-approve-prs',
    title: 'GitHub Actions can approve pull requests',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org for the organisation; admin on each repository for its own setting',
    settings: 'settings/actions',
  },
  check(d, ctx) {
    const org = orgTarget(d);
    const orgPerms = ctx.need(org, d.workflowPermissions);
    if (orgPerms?.can_approve_pull_request_reviews === true) {
      ctx.report(org, {
        message: `organisation ${d.org} lets workflows approve pull requests: anyone who can push a workflow can satisfy required reviews with the GITHUB_TOKEN`,
        route: 'org',
      });
      return;
    }
    if (orgPerms) return; // repositories cannot turn it on when the organisation forbids it
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      const perms = ctx.need(target, repo.workflowPermissions);
      if (perms?.can_approve_pull_request_reviews === true) {
        ctx.report(target, { message: `workflows in ${repo.info.full_name} can approve pull requests, so a workflow change can approve itself`, route: 'repo' });
      }
    }
  },
};
