import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/actions-allowed-all',
    title: 'Any third-party action may run',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-3', 'CICD-SEC-8'],
    cwe: ['CWE-829'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org (fine-grained: Administration read)',
    settings: 'settings/actions',
  },
  check(d, ctx) {
    const target = orgTarget(d);
    const perms = ctx.need(target, d.actionsPermissions);
    if (!perms) return;
    if (perms.enabled_repositories === 'none') return; // Actions is off: nothing runs.
    if (perms.allowed_actions === 'all') {
      ctx.report(target, {
        message: `organisation ${d.org} allows every action and reusable workflow from any repository: one compromised or typosquatted action runs with your workflows' tokens and secrets`,
        route: 'allowed-actions',
      });
      return;
    }
    if (perms.allowed_actions !== 'selected') return;
    const selected = ctx.need(target, d.selectedActions);
    if (!selected) return;
    const wildcard = (selected.patterns_allowed ?? []).filter((p) => /^\*(?:\/\*)?(?:@\*)?$/.test(p.trim()));
    if (wildcard.length > 0) {
      ctx.report(target, {
        message: `organisation ${d.org} restricts actions to a list, but the pattern "${wildcard[0]}" allows every action`,
        route: 'allowed-actions:wildcard',
      });
    }
  },
};
