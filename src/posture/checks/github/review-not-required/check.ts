import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { requireOnDefaultBranch } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/review-not-required',
    title: 'Default branch accepts changes without an approving review',
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
      (r) => r.type === 'pull_request' && (r.parameters?.required_approving_review_count ?? 0) >= 1,
      (p) => (p.required_pull_request_reviews?.required_approving_review_count ?? 0) >= 1,
      (b) => `changes reach ${b} without an approving review: one account (or one stolen token) can change the code and workflows alone`,
      'reviews',
    );
  },
};
