import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/cache-shared-with-unprotected',
    title: 'Protected and unprotected branches share the CI cache',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-4', 'CICD-SEC-9'],
    cwe: ['CWE-349'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api (Maintainer to see the setting)',
    settings: 'settings/ci_cd',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const separated = p.info.ci_separated_caches;
      if (separated === undefined) {
        ctx.notEvaluated(target, { reason: 'scope', detail: 'needs read_api and the Maintainer role (ci_separated_caches not returned)' });
        continue;
      }
      if (!separated) {
        ctx.report(target, { message: `pipelines on unprotected branches of ${p.info.path_with_namespace} share caches with protected branches: a developer branch can poison what a release build restores`, route: 'separated-caches' });
      }
    }
  },
};
