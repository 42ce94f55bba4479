import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/deploy-token-write',
    title: 'Deploy token with write scopes',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-6', 'CICD-SEC-2'],
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
      const tokens = ctx.need(target, p.deployTokens);
      for (const t of [...(tokens ?? [])].sort((a, b) => a.id - b.id)) {
        if (t.revoked || t.expired) continue;
        const write = (t.scopes ?? []).filter((s) => s.startsWith('write_'));
        if (write.length === 0) continue;
        ctx.report(target, {
          message: `deploy token "${t.name}" of ${p.info.path_with_namespace} has ${write.join(', ')}${t.expires_at ? '' : ' and never expires'}: whoever holds it can push code, images or packages outside any review`,
          route: `token:${t.id}`,
          severity: t.expires_at ? 'medium' : 'high',
          properties: { token: t.name },
        });
      }
    }
  },
};
