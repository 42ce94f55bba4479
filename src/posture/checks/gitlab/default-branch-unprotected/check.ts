import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/default-branch-unprotected',
    title: 'Default branch without protection',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api',
    settings: 'settings/repository',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const branch = p.info.default_branch;
      if (!branch) continue; // empty repository
      const branches = ctx.need(target, p.branches);
      const b = branches?.find((x) => x.name === branch);
      if (!b || b.protected !== false) continue;
      ctx.report(target, {
        message: `default branch ${branch} of ${p.info.path_with_namespace} is not protected: developers can push, force-push or delete it, and change .gitlab-ci.yml without a merge request`,
        route: `branch:${branch}`,
        properties: { branch },
      });
    }
  },
};
