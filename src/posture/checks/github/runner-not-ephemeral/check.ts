import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/runner-not-ephemeral',
    title: 'Self-hosted runner is not ephemeral',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-7'],
    cwe: ['CWE-668'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org (fine-grained: Self-hosted runners read)',
    settings: 'settings/actions/runners',
  },
  check(d, ctx) {
    const target = orgTarget(d);
    const runners = ctx.need(target, d.runners);
    if (!runners) return;
    for (const r of [...runners].sort((a, b) => a.id - b.id)) {
      if (r.ephemeral === undefined) {
        // Older servers do not say: neither a pass nor a finding.
        ctx.notEvaluated(target, { reason: 'unsupported', detail: 'the API does not report whether runners are ephemeral' });
        continue;
      }
      if (r.ephemeral) continue;
      ctx.report(target, {
        message: `self-hosted runner "${r.name}" is persistent: one job can leave a backdoor, a poisoned cache or stolen credentials for the next job on it`,
        route: `runner:${r.name}`,
        properties: { runner: r.name },
      });
    }
  },
};
