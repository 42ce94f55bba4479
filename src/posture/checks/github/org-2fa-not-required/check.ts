import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/org-2fa-not-required',
    title: 'Organisation does not require two-factor authentication',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-2'],
    cwe: ['CWE-308'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org (organisation owner): the field is hidden from members',
    settings: 'settings/security',
  },
  check(d, ctx) {
    const target = orgTarget(d);
    const info = ctx.need(target, d.info);
    if (!info) return;
    if (info.two_factor_requirement_enabled === undefined || info.two_factor_requirement_enabled === null) {
      ctx.notEvaluated(target, { reason: 'scope', detail: 'needs admin:org (only owners see two_factor_requirement_enabled)' });
      return;
    }
    if (!info.two_factor_requirement_enabled) {
      ctx.report(target, { message: `organisation ${d.org} lets members without two-factor authentication push code and change pipelines`, route: '2fa' });
    }
  },
};
