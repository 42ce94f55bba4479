import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { ownersOf, parseCodeowners } from '../../../codeowners.js';
import { fileUrl, repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/workflows-not-code-owned',
    title: 'Workflow files not covered by CODEOWNERS',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1', 'CICD-SEC-4'],
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
      if (!owners) continue; // none at all: codeowners-missing
      const workflows = ctx.need(target, repo.workflows);
      if (!workflows || workflows.length === 0) continue;
      const lines = parseCodeowners(owners.text);
      const unowned = workflows.map((w) => w.path).filter((p) => ownersOf(lines, p).owners.length === 0);
      if (unowned.length === 0) continue;
      ctx.report(target, {
        message: `${unowned.length === workflows.length ? 'no' : `${unowned.length} of ${workflows.length}`} workflow file${unowned.length === 1 ? '' : 's'} in ${repo.info.full_name} ${unowned.length === 1 ? 'has' : 'have'} a code owner in ${owners.path} (${unowned.slice(0, 5).join(', ')}${unowned.length > 5 ? ', …' : ''}): pipeline changes need no review by the people responsible for CI`,
        route: 'workflows',
        location: { file: fileUrl(repo, owners.path), startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 },
        properties: { unowned: unowned.length },
      });
    }
  },
};
