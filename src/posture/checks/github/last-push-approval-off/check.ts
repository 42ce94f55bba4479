import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { requireOnDefaultBranch } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/last-push-approval-off',
    title: 'The last pusher can approve their own push',
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
      (r) => r.type === 'pull_request' && r.parameters?.require_last_push_approval === true,
      (p) => p.required_pull_request_reviews?.require_last_push_approval === true,
      (b) => `pull requests to ${b} do not need approval of the most recent push by someone else: a reviewer can push a change to someone's pull request and approve it themselves`,
      'last-push',
    );
  },
};
