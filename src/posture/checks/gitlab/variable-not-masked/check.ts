import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { eachVariable, SECRET_NAME } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/variable-not-masked',
    title: 'Credential variable not masked in job logs',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'medium',
    owasp: ['CICD-SEC-6', 'CICD-SEC-10'],
    cwe: ['CWE-532'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api and the Maintainer role on each project; Owner role for group variables',
    settings: 'settings/ci_cd',
  },
  check(d, ctx) {
    eachVariable(d, ctx, (target, v) => {
      if (v.masked || v.hidden || v.variable_type === 'file' || !SECRET_NAME.test(v.key)) return;
      ctx.report(target, {
        message: `CI/CD variable ${v.key} of ${target.name} looks like a credential but is not masked: a job that prints it (set -x, a failing command, debug output) publishes it in the log`,
        route: `variable:${v.key}:${v.environment_scope ?? '*'}`,
        properties: { variable: v.key },
      });
    });
  },
};
