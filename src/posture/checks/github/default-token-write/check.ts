import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget, repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/default-token-write',
    title: 'Workflows get a read-write GITHUB_TOKEN by default',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-5'],
    cwe: ['CWE-250'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org for the organisation default; admin on each repository for its own setting',
    settings: 'settings/actions',
  },
  check(d, ctx) {
    const org = orgTarget(d);
    const orgPerms = ctx.need(org, d.workflowPermissions);
    if (orgPerms?.default_workflow_permissions === 'write') {
      ctx.report(org, {
        message: `organisation ${d.org} gives every workflow without a permissions: block a read-write GITHUB_TOKEN (contents, packages, pull requests...)`,
        route: 'org',
      });
      return; // repositories that inherit it are covered by this one finding
    }
    // An organisation default of read binds every repository; only an unreadable one leaves repositories to check.
    if (orgPerms) return;
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      const perms = ctx.need(target, repo.workflowPermissions);
      if (perms?.default_workflow_permissions === 'write') {
        ctx.report(target, { message: `workflows in ${repo.info.full_name} get a read-write GITHUB_TOKEN unless they declare permissions:`, route: 'repo' });
      }
    }
  },
};
