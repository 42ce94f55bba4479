import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/status-checks-not-required',
    title: 'Merge requests can merge without a successful pipeline',
    platform: 'gitlab',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-693'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api (Maintainer to see the setting)',
    settings: 'settings/merge_requests',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const v = p.info.only_allow_merge_if_pipeline_succeeds;
      if (v === undefined) {
        ctx.notEvaluated(target, { reason: 'scope', detail: 'needs read_api and the Maintainer role (only_allow_merge_if_pipeline_succeeds not returned)' });
        continue;
      }
      if (!v) ctx.report(target, { message: `merge requests in ${p.info.path_with_namespace} can merge when the pipeline failed or never ran: tests and security jobs are advisory`, route: 'pipeline-must-succeed' });
    }
  },
};
