import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/dependabot-alerts-off',
    title: 'Dependabot alerts off',
    platform: 'github',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-1395'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin on the repository (classic: repo)',
    settings: 'settings/security_analysis',
  },
  check(d, ctx) {
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      const on = ctx.need(target, repo.vulnerabilityAlerts);
      if (on === false) {
        ctx.report(target, { message: `Dependabot alerts are off for ${repo.info.full_name}: known-vulnerable dependencies and actions go unreported`, route: 'dependabot-alerts' });
      }
    }
  },
};
