import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { requireOnDefaultBranch } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/force-push-allowed',
    title: 'Force pushes allowed on the default branch',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'repo (read) for rulesets; admin on the repository for classic branch protection',
    settings: 'settings/rules',
  },
  check(d, ctx) {
    requireOnDefaultBranch(
      d,
      ctx,
      (r) => r.type === 'non_fast_forward',
      (p) => p.allow_force_pushes?.enabled !== true,
      (b) => `${b} accepts force pushes: history can be rewritten to hide a malicious commit`,
      'force-push',
    );
  },
};
