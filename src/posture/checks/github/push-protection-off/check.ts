import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { eachSecurityAnalysis, isPublic } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/push-protection-off',
    title: 'Secret scanning push protection off',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-798'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin on the repository (security_and_analysis is only shown to admins)',
    settings: 'settings/security_analysis',
  },
  check(d, ctx) {
    eachSecurityAnalysis(d, ctx, (repo, target, sa) => {
      // Without secret scanning, push protection cannot be on: secret-scanning-off already says it.
      if (sa?.secret_scanning?.status !== 'enabled') return;
      if (sa.secret_scanning_push_protection?.status === 'enabled') return;
      ctx.report(target, {
        message: `push protection is off for ${repo.info.full_name}: a pushed credential is found after it is public, not blocked before`,
        route: 'push-protection',
        severity: isPublic(repo) ? 'medium' : 'low',
      });
    });
  },
};
