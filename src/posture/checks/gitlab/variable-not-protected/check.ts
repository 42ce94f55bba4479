import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { eachVariable, SECRET_NAME } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/variable-not-protected',
    title: 'Credential variable available to unprotected branches',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'medium',
    owasp: ['CICD-SEC-6', 'CICD-SEC-4'],
    cwe: ['CWE-522'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api and the Maintainer role on each project; Owner role for group variables',
    settings: 'settings/ci_cd',
  },
  check(d, ctx) {
    eachVariable(d, ctx, (target, v) => {
      if (v.protected !== false) return;
      // Masked or hidden means someone considered it secret; otherwise judge by the name.
      if (!(v.masked || v.hidden || SECRET_NAME.test(v.key))) return;
      const scope = v.environment_scope && v.environment_scope !== '*' ? ` (environment ${v.environment_scope})` : '';
      ctx.report(target, {
        message: `CI/CD variable ${v.key}${scope} of ${target.name} is not protected: a pipeline on any branch a developer pushes can read it`,
        route: `variable:${v.key}:${v.environment_scope ?? '*'}`,
        properties: { variable: v.key },
      });
    });
  },
};
