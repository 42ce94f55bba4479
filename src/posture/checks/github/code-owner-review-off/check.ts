import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { repoTarget, requireOnDefaultBranch } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/code-owner-review-off',
    title: 'Code owners do not have to review their files',
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
    // Only meaningful when a CODEOWNERS file exists: otherwise codeowners-missing says so.
    for (const r of d.repos) if (!r.codeowners.ok) ctx.notEvaluated(repoTarget(r), r.codeowners.why);
    const withOwners = { ...d, repos: d.repos.filter((r) => r.codeowners.ok && r.codeowners.value !== null) };
    requireOnDefaultBranch(
      withOwners,
      ctx,
      (r) => r.type === 'pull_request' && r.parameters?.require_code_owner_review === true,
      (p) => p.required_pull_request_reviews?.require_code_owner_reviews === true,
      (b) => `${b} has a CODEOWNERS file but does not require code owners' review: any reviewer can approve changes to workflows and other owned files`,
      'code-owners',
    );
  },
};
