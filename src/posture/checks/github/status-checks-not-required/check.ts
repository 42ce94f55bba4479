import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { requireOnDefaultBranch } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/status-checks-not-required',
    title: 'No required status checks on the default branch',
    platform: 'github',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-693'],
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
      (r) => r.type === 'required_status_checks' && (r.parameters?.required_status_checks?.length ?? 0) > 0,
      (p) => (p.required_status_checks?.contexts?.length ?? 0) + (p.required_status_checks?.checks?.length ?? 0) > 0,
      (b) => `${b} requires no status checks: changes merge even when tests and security scans fail or never ran`,
      'status-checks',
    );
  },
};
