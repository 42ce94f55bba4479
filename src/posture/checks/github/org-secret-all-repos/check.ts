import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/org-secret-all-repos',
    title: 'Organisation secret visible to every repository',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-668'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org (fine-grained: Secrets read)',
    settings: 'settings/secrets/actions',
  },
  check(d, ctx) {
    const target = orgTarget(d);
    const secrets = ctx.need(target, d.secrets);
    for (const s of [...(secrets ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (s.visibility !== 'all' && s.visibility !== 'private') continue;
      const scope = s.visibility === 'all' ? 'every repository' : 'every private and internal repository';
      ctx.report(target, {
        message: `organisation secret ${s.name} is available to ${scope} of ${d.org}: any workflow in any of them (and any new repository) can read it; select the repositories that need it`,
        route: `secret:${s.name}`,
        severity: s.visibility === 'all' ? 'medium' : 'low',
        properties: { secret: s.name, visibility: s.visibility },
      });
    }
  },
};
