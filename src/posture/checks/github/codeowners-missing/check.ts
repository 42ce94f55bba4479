import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/codeowners-missing',
    title: 'Repository without CODEOWNERS',
    platform: 'github',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'repo (read)',
    settings: '',
  },
  check(d, ctx) {
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      const owners = ctx.need(target, repo.codeowners);
      if (owners !== null) continue;
      const workflows = repo.workflows.ok ? repo.workflows.value.length : 0;
      ctx.report(target, {
        message: `${repo.info.full_name} has no CODEOWNERS file: nobody in particular has to review changes${workflows > 0 ? ` to its ${workflows} workflow${workflows === 1 ? '' : 's'}` : ''}`,
        route: 'codeowners',
        severity: workflows > 0 ? 'medium' : 'low',
      });
    }
  },
};
