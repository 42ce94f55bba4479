import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

function hostOf(url: string | undefined): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url ?? '');
  return m ? m[1]! : 'unknown host';
}

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/webhook-insecure',
    title: 'Webhook without TLS verification',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-8', 'CICD-SEC-10'],
    cwe: ['CWE-295'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api and the Maintainer role on each project',
    settings: 'hooks',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const hooks = ctx.need(target, p.hooks);
      for (const h of [...(hooks ?? [])].sort((a, b) => a.id - b.id)) {
        const problems: string[] = [];
        if (/^http:\/\//i.test(h.url ?? '')) problems.push('plain http');
        if (h.enable_ssl_verification === false) problems.push('TLS certificate verification off');
        if (problems.length === 0) continue;
        ctx.report(target, {
          message: `webhook ${h.id} to ${hostOf(h.url)} on ${p.info.path_with_namespace}: ${problems.join('; ')}: event payloads (and the secret token header) can be read or forged in transit`,
          route: `hook:${h.id}`,
          severity: 'high',
          properties: { hook_host: hostOf(h.url) },
        });
      }
    }
  },
};
