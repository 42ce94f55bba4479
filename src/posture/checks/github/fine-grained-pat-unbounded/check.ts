import type { PostureCheck } from '../../../check.js';
import { PAT_LIST } from '../../../github/collect.js';
import type { FineGrainedPat, GithubOrgData } from '../../../github/model.js';
import { ageDays, orgTarget, daysOption } from '../util.js';

export const DEFAULT_MAX_UNUSED_DAYS = 90;

/**
 * Repository permissions whose write access changes what a pipeline runs or what it can reach:
 * workflow files, the code they build, their secrets and environments, the settings that protect them.
 */
const PIPELINE_PERMISSIONS = new Set(['actions', 'administration', 'contents', 'environments', 'secrets', 'workflows']);

function writes(perms: Record<string, string> | undefined): string[] {
  return Object.entries(perms ?? {})
    .filter(([, level]) => level === 'write' || level === 'admin')
    .map(([name]) => name)
    .sort();
}

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/fine-grained-pat-unbounded',
    title: 'Fine-grained token with lasting write access to the organisation',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-2', 'CICD-SEC-6'],
    cwe: ['CWE-324'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: PAT_LIST,
    settings: 'settings/personal-access-tokens/active',
  },
  check(d, ctx, options) {
    const maxUnused = daysOption(options, 'maxUnusedDays', DEFAULT_MAX_UNUSED_DAYS);
    const target = orgTarget(d);
    const tokens = ctx.need(target, d.fineGrainedPats);
    if (!tokens) return;
    for (const t of [...tokens].sort((a, b) => a.id - b.id)) {
      if (t.token_expired === true) continue; // GitHub already refuses it
      const orgWrites = writes(t.permissions?.organization);
      const repoWrites = writes(t.permissions?.repository);
      if (orgWrites.length === 0 && repoWrites.length === 0) continue;
      // Only an explicit null means "no expiry"; a missing field is not evidence either way.
      const neverExpires = t.token_expires_at === null;
      const unused = ageDays(t.token_last_used_at ?? t.access_granted_at, d.asOf);
      const stale = unused !== undefined && unused > maxUnused;
      if (!neverExpires && !stale) continue;
      const pipelineWrites = repoWrites.filter((p) => PIPELINE_PERMISSIONS.has(p));
      const everyRepo = t.repository_selection === 'all';
      const high = neverExpires && (orgWrites.length > 0 || (everyRepo && pipelineWrites.length > 0));
      ctx.report(target, {
        message: describe(t, d.org, orgWrites, repoWrites, everyRepo, neverExpires, stale ? (t.token_last_used_at ? `has not been used for ${unused} days` : `has not been used in the ${unused} days since it was granted`) : undefined),
        route: `pat:${t.id}`,
        severity: high ? 'high' : 'medium',
        properties: {
          token_id: t.id,
          owner: t.owner?.login ?? '',
          never_expires: neverExpires,
          ...(unused !== undefined ? { days_since_last_use: unused } : {}),
        },
      });
    }
  },
};

function describe(t: FineGrainedPat, org: string, orgWrites: string[], repoWrites: string[], everyRepo: boolean, neverExpires: boolean, staleness: string | undefined): string {
  const who = `fine-grained token ${t.token_name ? `"${t.token_name}" ` : ''}(id ${t.id}) of ${t.owner?.login ?? 'an unknown user'}`;
  const grants: string[] = [];
  if (orgWrites.length > 0) grants.push(`organisation ${orgWrites.join(', ')}`);
  if (repoWrites.length > 0) grants.push(`${repoWrites.join(', ')} on ${everyRepo ? `every repository of ${org}` : 'selected repositories'}`);
  const why = [neverExpires ? 'never expires' : '', staleness ?? ''].filter(Boolean).join(' and ');
  return `${who} can write ${grants.join('; ')}; it ${why}: whoever holds it changes code and pipelines as that person until someone revokes it`;
}
