import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { orgTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/org-sso-not-enforced',
    title: 'Enterprise organisation without SAML single sign-on',
    platform: 'github',
    severity: 'medium',
    // An enterprise-wide SAML configuration is invisible at organisation level.
    confidence: 'medium',
    owasp: ['CICD-SEC-2'],
    cwe: ['CWE-287'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org (organisation owner), GraphQL',
    settings: 'settings/security',
  },
  check(d, ctx) {
    const target = orgTarget(d);
    // Outside GitHub Enterprise Cloud there is no SAML SSO to enforce: not applicable, not "not evaluated".
    if (!d.samlConfigured.ok && d.samlConfigured.why.reason === 'plan') return;
    const configured = ctx.need(target, d.samlConfigured);
    if (configured === false) {
      ctx.report(target, {
        message: `organisation ${d.org} has no SAML identity provider: access is not tied to the company's identity provider (if the enterprise enforces SAML for all organisations, disable this check)`,
        route: 'saml',
      });
    }
  },
};
