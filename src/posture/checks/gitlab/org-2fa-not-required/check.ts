import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { groupTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/org-2fa-not-required',
    title: 'Group does not require two-factor authentication',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-2'],
    cwe: ['CWE-308'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api (group member)',
    settings: 'settings/permissions',
  },
  check(d, ctx) {
    const target = groupTarget(d);
    const info = ctx.need(target, d.info);
    if (!info) return;
    if (info.require_two_factor_authentication === undefined) {
      ctx.notEvaluated(target, { reason: 'scope', detail: 'needs read_api with the Owner role (require_two_factor_authentication not returned)' });
      return;
    }
    if (!info.require_two_factor_authentication) {
      ctx.report(target, { message: `group ${d.group} does not require two-factor authentication: a phished password is enough to push code and run pipelines`, route: '2fa' });
    }
  },
};
