import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import type { Secret } from '../../../github/model.js';
import { ageDays, orgTarget, repoTarget, daysOption } from '../util.js';

export const DEFAULT_MAX_AGE_DAYS = 365;

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/secret-stale',
    title: 'Secret not rotated for a year',
    platform: 'github',
    severity: 'low',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-324'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org for organisation secrets; write access to each repository for its secrets',
    settings: 'settings/secrets/actions',
  },
  check(d, ctx, options) {
    const max = daysOption(options, 'maxAgeDays', DEFAULT_MAX_AGE_DAYS);
    const scan = (target: ReturnType<typeof orgTarget>, secrets: Secret[] | undefined, where: string, routePrefix = ''): void => {
      for (const s of [...(secrets ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const age = ageDays(s.updated_at ?? s.created_at, d.asOf);
        if (age === undefined || age <= max) continue;
        ctx.report(target, {
          message: `secret ${s.name} (${where}) was last updated ${age} days ago (more than ${max}): a credential that leaked in that time still works`,
          route: `secret:${routePrefix}${s.name}`,
          properties: { secret: s.name, age_days: age },
        });
      }
    };
    const org = orgTarget(d);
    scan(org, ctx.need(org, d.secrets), `organisation ${d.org}`);
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      scan(target, ctx.need(target, repo.secrets), `repository ${repo.info.full_name}`);
      for (const [env, secrets] of Object.entries(repo.environmentSecrets).sort()) {
        if (secrets.ok) scan(target, secrets.value, `environment ${env} of ${repo.info.full_name}`, `${env.toLowerCase()}/`);
      }
    }
  },
};
