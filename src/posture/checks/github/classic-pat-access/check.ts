import type { PostureCheck } from '../../../check.js';
import type { CredentialAuthorization, GithubOrgData } from '../../../github/model.js';
import { ageDays, orgTarget, daysOption } from '../util.js';
import { DEFAULT_MAX_UNUSED_DAYS } from '../fine-grained-pat-unbounded/check.js';

/** Classic scopes that write code, pipelines, packages or organisation settings. */
const WRITE_SCOPES = new Set([
  'repo', 'public_repo', 'workflow', 'write:packages', 'delete:packages', 'delete_repo', 'admin:org', 'write:org',
  'admin:repo_hook', 'admin:org_hook', 'admin:enterprise', 'manage_runners:org', 'manage_runners:enterprise',
]);
/** Scopes that change workflows or organisation settings directly. */
const PIPELINE_SCOPES = new Set(['workflow', 'admin:org', 'admin:enterprise', 'manage_runners:org', 'manage_runners:enterprise']);

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/classic-pat-access',
    title: 'Classic personal access token with write scopes reaches the organisation',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-2', 'CICD-SEC-6'],
    cwe: ['CWE-272'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org (organisation owner); GitHub Enterprise Cloud with SAML single sign-on',
    settings: 'settings/personal-access-tokens',
  },
  check(d, ctx, options) {
    const maxUnused = daysOption(options, 'maxUnusedDays', DEFAULT_MAX_UNUSED_DAYS);
    const target = orgTarget(d);
    // Without SAML single sign-on GitHub keeps no list of the classic tokens that reach the
    // organisation: nothing to evaluate on any token (like org-sso-not-enforced), so not applicable.
    if (!d.credentialAuthorizations.ok && d.credentialAuthorizations.why.reason === 'plan') return;
    const credentials = ctx.need(target, d.credentialAuthorizations);
    if (!credentials) return;
    const classic = credentials.filter((c) => /personal access token/i.test(c.credential_type)).sort((a, b) => a.credential_id - b.credential_id);
    for (const c of classic) {
      const scopes = (c.scopes ?? []).filter((s) => WRITE_SCOPES.has(s)).sort();
      if (scopes.length === 0) continue;
      const neverExpires = c.authorized_credential_expires_at === null;
      const unused = ageDays(c.credential_accessed_at ?? c.credential_authorized_at, d.asOf);
      const stale = unused !== undefined && unused > maxUnused;
      const high = neverExpires && scopes.some((s) => PIPELINE_SCOPES.has(s));
      ctx.report(target, {
        message: describe(c, d.org, scopes, neverExpires, stale ? unused : undefined),
        route: `classic-pat:${c.credential_id}`,
        severity: high ? 'high' : 'medium',
        properties: {
          credential_id: c.credential_id,
          owner: c.login,
          scopes: scopes.join(' '),
          never_expires: neverExpires,
          ...(unused !== undefined ? { days_since_last_use: unused } : {}),
        },
      });
    }
  },
};

function describe(c: CredentialAuthorization, org: string, scopes: string[], neverExpires: boolean, unusedDays: number | undefined): string {
  const title = c.authorized_credential_title ?? c.authorized_credential_note;
  const extra = [neverExpires ? 'never expires' : '', unusedDays !== undefined ? `has not been used for ${unusedDays} days` : ''].filter(Boolean);
  return (
    `classic token ${title ? `"${title}" ` : ''}(credential ${c.credential_id}) of ${c.login} is authorised for ${org} with scopes ${scopes.join(', ')}` +
    `${extra.length > 0 ? `; it ${extra.join(' and ')}` : ''}: ` +
    `a classic token reaches every repository its owner can, in every organisation, and needs no approval; restrict classic tokens and move to fine-grained ones`
  );
}
