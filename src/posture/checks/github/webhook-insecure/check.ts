import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import type { PostureTarget } from '../../../check.js';
import type { Hook } from '../../../github/model.js';
import { orgTarget, repoTarget } from '../util.js';
import type { PostureContext } from '../../../check.js';

function hostOf(url: string | undefined): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url ?? '');
  return m ? m[1]! : 'unknown host';
}

/** Problems of one hook; its URL is printed as a host only (the path often carries a token). */
function inspect(ctx: PostureContext, target: PostureTarget, hooks: Hook[] | undefined): void {
  for (const h of [...(hooks ?? [])].sort((a, b) => a.id - b.id)) {
    if (h.active === false) continue;
    const url = h.config?.url ?? '';
    const host = hostOf(url);
    const problems: string[] = [];
    let severity: 'high' | 'medium' = 'medium';
    if (/^http:\/\//i.test(url)) {
      problems.push('plain http');
      severity = 'high';
    }
    if (String(h.config?.insecure_ssl ?? '0') === '1') {
      problems.push('TLS certificate verification off');
      severity = 'high';
    }
    if (!h.config?.secret) problems.push('no secret, so the receiver cannot tell GitHub from a forger');
    if (problems.length === 0) continue;
    ctx.report(target, { message: `webhook ${h.id} to ${host} on ${target.name}: ${problems.join('; ')}`, route: `hook:${h.id}`, severity, properties: { hook_host: host } });
  }
}

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/webhook-insecure',
    title: 'Webhook without secret, or without TLS verification',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-8', 'CICD-SEC-10'],
    cwe: ['CWE-295', 'CWE-345'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org_hook for organisation hooks; admin on the repository (read:repo_hook) for repository hooks',
    settings: 'settings/hooks',
  },
  check(d, ctx) {
    const org = orgTarget(d);
    inspect(ctx, org, ctx.need(org, d.hooks));
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      inspect(ctx, target, ctx.need(target, repo.hooks));
    }
  },
};
