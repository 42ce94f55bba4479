import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { eachSecurityAnalysis, isPublic } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/secret-scanning-off',
    title: 'Secret scanning off',
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
      const status = sa?.secret_scanning?.status;
      if (status === 'enabled') return;
      // Free for public repositories; private ones need GitHub Secret Protection, so say so rather than pretend it is a switch.
      const note = status === undefined && !isPublic(repo) ? ' (needs GitHub Secret Protection for private repositories)' : '';
      ctx.report(target, {
        message: `secret scanning is off for ${repo.info.full_name}${note}: credentials committed to it, or printed by its workflows, go unnoticed`,
        route: 'secret-scanning',
        severity: isPublic(repo) ? 'high' : 'medium',
      });
    });
  },
};
