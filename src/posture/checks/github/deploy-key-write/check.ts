import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/deploy-key-write',
    title: 'Deploy key with write access',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-2', 'CICD-SEC-6'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin on the repository (classic: repo)',
    settings: 'settings/keys',
  },
  check(d, ctx) {
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      const keys = ctx.need(target, repo.deployKeys);
      for (const k of [...(keys ?? [])].sort((a, b) => a.id - b.id)) {
        if (k.read_only !== false) continue;
        ctx.report(target, {
          message: `deploy key "${k.title ?? k.id}" can push to ${repo.info.full_name}, bypassing pull requests and tied to no person or expiry${k.last_used === null ? ' (never used)' : ''}`,
          route: `key:${k.id}`,
          properties: { key: k.title ?? String(k.id) },
        });
      }
    }
  },
};
