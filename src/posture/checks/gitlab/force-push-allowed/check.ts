import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget, rulesFor } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/force-push-allowed',
    title: 'Force pushes allowed on the default branch',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api and the Maintainer role on each project',
    settings: 'settings/repository',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const branch = p.info.default_branch;
      if (!branch) continue;
      const rules = ctx.need(target, p.protectedBranches);
      if (!rules) continue;
      const applying = rulesFor(rules, branch);
      if (applying.length === 0) continue; // unprotected: default-branch-unprotected
      if (!applying.some((r) => r.allow_force_push === true)) continue;
      ctx.report(target, { message: `protected branch ${branch} of ${p.info.path_with_namespace} allows force pushes: history can be rewritten to hide a malicious commit`, route: `force-push:${branch}` });
    }
  },
};
