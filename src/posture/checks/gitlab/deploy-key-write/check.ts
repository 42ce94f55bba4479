import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/deploy-key-write',
    title: 'Deploy key with write access',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-2', 'CICD-SEC-6'],
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
      const keys = ctx.need(target, p.deployKeys);
      for (const k of [...(keys ?? [])].sort((a, b) => a.id - b.id)) {
        if (k.can_push !== true) continue;
        ctx.report(target, {
          message: `deploy key "${k.title ?? k.id}" can push to ${p.info.path_with_namespace}, tied to no person${k.expires_at ? '' : ' and no expiry'}`,
          route: `key:${k.id}`,
          properties: { key: k.title ?? String(k.id) },
        });
      }
    }
  },
};
