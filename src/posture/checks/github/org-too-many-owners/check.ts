import type { PostureCheck } from '../../../check.js';
import { RuleOptionsError } from '../../../../core/rule.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget } from '../util.js';

export const DEFAULT_MAX_OWNERS = 3;

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/org-too-many-owners',
    title: 'More organisation owners than needed',
    platform: 'github',
    severity: 'medium',
    confidence: 'medium',
    owasp: ['CICD-SEC-2'],
    cwe: ['CWE-250'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read:org',
    settings: 'people?query=role%3Aowner',
  },
  check(d, ctx, options) {
    const max = options.maxOwners ?? DEFAULT_MAX_OWNERS;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) throw new RuleOptionsError('maxOwners must be a whole number of at least 1');
    const target = orgTarget(d);
    const owners = ctx.need(target, d.owners);
    if (!owners || owners.length <= max) return;
    const names = owners.map((o) => o.login).sort();
    ctx.report(target, {
      message: `organisation ${d.org} has ${owners.length} owners (more than ${max}): each owner account can change every repository, secret and Actions policy (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''})`,
      route: 'owners',
      properties: { owners: owners.length },
    });
  },
};
