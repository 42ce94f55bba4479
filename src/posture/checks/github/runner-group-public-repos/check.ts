import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/runner-group-public-repos',
    title: 'Self-hosted runner group usable by public repositories',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-7', 'CICD-SEC-4'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org (fine-grained: Self-hosted runners read)',
    settings: 'settings/actions/runner-groups',
  },
  check(d, ctx) {
    const target = orgTarget(d);
    const groups = ctx.need(target, d.runnerGroups);
    if (!groups) return;
    const runners = d.runners.ok ? d.runners.value : undefined;
    for (const g of [...groups].sort((a, b) => a.id - b.id)) {
      if (!g.allows_public_repositories) continue;
      const members = runners?.filter((r) => r.runner_group_id === g.id).length;
      if (members === 0) continue; // an empty group runs nothing today
      ctx.report(target, {
        message: `runner group "${g.name}" accepts jobs from public repositories: a fork pull request can run code on these self-hosted machines${members ? ` (${members} runner${members === 1 ? '' : 's'})` : ''}`,
        route: `group:${g.id}`,
        properties: { runner_group: g.name },
      });
    }
  },
};
