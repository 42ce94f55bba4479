import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/self-approval-allowed',
    title: 'Authors or committers can approve their own merge request',
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
      if (!a) continue;
      const who: string[] = [];
      if (a.merge_requests_author_approval === true) who.push('authors');
      if (a.merge_requests_disable_committers_approval === false) who.push('committers');
      if (who.length === 0) continue;
      ctx.report(target, { message: `${who.join(' and ')} can approve their own merge requests in ${p.info.path_with_namespace}: required approvals can be met without a second person`, route: 'self-approval' });
    }
  },
};
