import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/members-can-create-public-repos',
    title: 'Members can create public repositories',
    platform: 'github',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-7'],
    cwe: ['CWE-200'],
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
    if (info.members_can_create_public_repositories === undefined) {
      ctx.notEvaluated(target, { reason: 'scope', detail: 'needs admin:org (only owners see members_can_create_public_repositories)' });
      return;
    }
    if (info.members_can_create_public_repositories) {
      ctx.report(target, { message: `any member of ${d.org} can create a public repository: code, workflow logs and artifacts can be published without review`, route: 'public-repos' });
    }
  },
};
