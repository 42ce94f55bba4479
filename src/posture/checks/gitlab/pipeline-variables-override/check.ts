import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/pipeline-variables-override',
    title: 'Developers can override pipeline variables',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-4', 'CICD-SEC-5'],
    cwe: ['CWE-15'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api (Maintainer to see the setting)',
    settings: 'settings/ci_cd',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const role = p.info.ci_pipeline_variables_minimum_override_role;
      const restricted = p.info.restrict_user_defined_variables;
      if (role === undefined && restricted === undefined) {
        ctx.notEvaluated(target, { reason: 'scope', detail: 'needs read_api and the Maintainer role (pipeline variable settings not returned)' });
        continue;
      }
      // Restriction off lets every Developer override; on, the minimum role decides (newer GitLab).
      const developers = restricted === false || role === 'developer';
      if (!developers) continue;
      ctx.report(target, {
        message: `developers can run pipelines in ${p.info.path_with_namespace} with their own variable values, overriding what jobs trust (registry URLs, scripts, feature flags)`,
        route: 'variables-override',
      });
    }
  },
};
