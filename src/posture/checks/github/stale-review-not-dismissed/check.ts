import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { requireOnDefaultBranch } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/stale-review-not-dismissed',
    title: 'Approvals survive new commits',
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
      (r) => r.type === 'pull_request' && r.parameters?.dismiss_stale_reviews_on_push === true,
      (p) => p.required_pull_request_reviews?.dismiss_stale_reviews === true,
      (b) => `approvals on pull requests to ${b} are kept when new commits are pushed: an approved change can be swapped for another before merging`,
      'stale',
    );
  },
};
