import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/org-base-permission',
    title: 'Base repository permission above read',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-2', 'CICD-SEC-5'],
    cwe: ['CWE-269'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org (organisation owner): the field is hidden from members',
    settings: 'settings/member_privileges',
  },
  check(d, ctx) {
    const target = orgTarget(d);
    const info = ctx.need(target, d.info);
    if (!info) return;
    const base = info.default_repository_permission;
    if (base === undefined || base === null) {
      ctx.notEvaluated(target, { reason: 'scope', detail: 'needs admin:org (only owners see default_repository_permission)' });
      return;
    }
    if (base === 'write' || base === 'admin') {
      ctx.report(target, {
        message: `every member of ${d.org} has ${base} access to every repository (base permission "${base}"): any member account can push to any pipeline`,
        route: 'base-permission',
        severity: base === 'admin' ? 'critical' : 'high',
        properties: { base_permission: base },
      });
    }
  },
};
