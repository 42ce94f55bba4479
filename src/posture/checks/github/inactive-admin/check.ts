import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { INACTIVITY_DAYS } from '../../../github/collect.js';
import { orgTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/inactive-admin',
    title: 'Organisation owner inactive for 90 days',
    platform: 'github',
    severity: 'medium',
    // Contributions are a proxy: an owner may administer without committing, reviewing or filing issues.
    confidence: 'medium',
    owasp: ['CICD-SEC-2'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read:org, GraphQL (read:user for private contributions)',
    settings: 'people?query=role%3Aowner',
  },
  check(d, ctx) {
    const target = orgTarget(d);
    const activity = ctx.need(target, d.ownerActivity);
    if (!activity) return;
    for (const login of Object.keys(activity).sort()) {
      if (activity[login] !== null) continue;
      ctx.report(target, {
        message: `owner ${login} has no contributions to ${d.org} in the last ${INACTIVITY_DAYS} days: a dormant owner account is an unwatched key to the whole organisation`,
        route: `owner:${login.toLowerCase()}`,
        properties: { user: login },
      });
    }
  },
};
