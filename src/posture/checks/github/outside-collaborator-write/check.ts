import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/outside-collaborator-write',
    title: 'Outside collaborator with write or admin access',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-2'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'repo, write access to each repository',
    settings: 'settings/access',
  },
  check(d, ctx) {
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      const people = ctx.need(target, repo.outsideCollaborators);
      if (!people) continue;
      for (const p of [...people].sort((a, b) => (a.login < b.login ? -1 : 1))) {
        const perms = p.permissions ?? {};
        const level = perms.admin ? 'admin' : perms.maintain ? 'maintain' : perms.push ? 'write' : undefined;
        if (!level) continue;
        ctx.report(target, {
          message: `outside collaborator ${p.login} has ${level} access to ${repo.info.full_name}: someone outside the organisation's 2FA, SSO and offboarding can change its code and workflows`,
          route: `collaborator:${p.login.toLowerCase()}`,
          severity: level === 'admin' ? 'high' : 'medium',
          properties: { user: p.login, permission: level },
        });
      }
    }
  },
};
