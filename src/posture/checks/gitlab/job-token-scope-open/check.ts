import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/job-token-scope-open',
    title: 'Any project job token can access this project',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-5'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api and the Maintainer role on each project',
    settings: 'settings/ci_cd',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const scope = ctx.need(target, p.jobTokenScope);
      if (scope?.inbound_enabled === false) {
        ctx.report(target, {
          message: `${p.info.path_with_namespace} does not limit which projects' CI_JOB_TOKEN can access it: a pipeline in any project where a member of this one runs jobs can read its code, packages and releases`,
          route: 'job-token-scope',
        });
      }
    }
  },
};
