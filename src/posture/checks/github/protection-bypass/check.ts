import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { eachProtectedDefaultBranch } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/protection-bypass',
    title: 'Default branch protection can be bypassed',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin on the repository (bypass lists and enforce_admins are only shown to admins)',
    settings: 'settings/rules',
  },
  check(d, ctx) {
    eachProtectedDefaultBranch(d, ctx, (repo, target, facts) => {
      const who: string[] = [];
      const c = facts.classic;
      if (c) {
        if (c.enforce_admins?.enabled !== true) who.push('repository admins (classic protection does not include administrators)');
        const allow = c.required_pull_request_reviews?.bypass_pull_request_allowances;
        const names = [...(allow?.users ?? []).map((u) => u.login), ...(allow?.teams ?? []).map((t) => `team ${t.slug}`), ...(allow?.apps ?? []).map((a) => `app ${a.slug}`)];
        if (names.length > 0) who.push(`${names.join(', ')} (may skip required reviews)`);
      } else if (c === undefined && facts.rules.length === 0) {
        ctx.notEvaluated(target, facts.classicWhy!);
        return;
      }
      const ids = new Set(facts.rules.map((r) => r.ruleset_id).filter((x): x is number => x !== undefined));
      if (ids.size > 0) {
        if (!repo.rulesets.ok) {
          ctx.notEvaluated(target, repo.rulesets.why);
          return;
        }
        for (const rs of repo.rulesets.value) {
          if (!ids.has(rs.id)) continue;
          if (rs.bypass_actors === undefined) {
            ctx.notEvaluated(target, { reason: 'scope', detail: 'needs admin on the repository (bypass actors are only shown to admins)' });
            return;
          }
          const always = rs.bypass_actors.filter((a) => a.bypass_mode !== 'pull_request');
          if (always.length > 0) who.push(`${always.map((a) => a.actor_type + (a.actor_id ? ` ${a.actor_id}` : '')).join(', ')} (bypass ruleset "${rs.name}")`);
        }
      }
      if (who.length === 0) return;
      ctx.report(target, {
        message: `protection of ${facts.name} in ${repo.info.full_name} can be bypassed by ${who.join('; ')}: one privileged account can push unreviewed changes`,
        route: `bypass:${facts.name}`,
        properties: { branch: facts.name },
      });
    });
  },
};
