import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { requireOnDefaultBranch } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/branch-deletion-allowed',
    title: 'The default branch can be deleted',
    platform: 'github',
    severity: 'medium',
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
      (r) => r.type === 'deletion',
      (p) => p.allow_deletions?.enabled !== true,
      (b) => `${b} can be deleted by anyone with write access (and recreated without its history)`,
      'deletion',
    );
  },
};
