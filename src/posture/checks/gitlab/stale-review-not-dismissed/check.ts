import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/stale-review-not-dismissed',
    title: 'Approvals survive new commits',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api and the Maintainer role on each project; GitLab Premium',
    settings: 'settings/merge_requests',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const a = ctx.need(target, p.approvals);
      if (a?.reset_approvals_on_push === false) {
        ctx.report(target, { message: `approvals in ${p.info.path_with_namespace} are kept when new commits are pushed: an approved merge request can be changed before merging`, route: 'stale' });
      }
    }
  },
};
