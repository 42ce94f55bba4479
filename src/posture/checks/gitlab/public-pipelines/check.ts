import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/public-pipelines',
    title: 'Job logs and artifacts of a public project are public',
    platform: 'gitlab',
    severity: 'low',
    confidence: 'medium',
    owasp: ['CICD-SEC-10', 'CICD-SEC-6'],
    cwe: ['CWE-532'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api',
    settings: 'settings/ci_cd',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      if (p.info.visibility === 'private' || p.info.public_jobs !== true) continue;
      if (p.info.builds_access_level === 'disabled' || p.info.jobs_enabled === false) continue;
      ctx.report(target, {
        message: `job logs and artifacts of ${p.info.visibility} project ${p.info.path_with_namespace} are visible to ${p.info.visibility === 'public' ? 'everyone' : 'every signed-in user'}: anything a job prints or archives (unmasked values, internal hosts) is published`,
        route: 'public-jobs',
      });
    }
  },
};
