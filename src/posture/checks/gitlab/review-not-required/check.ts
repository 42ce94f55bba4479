import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { ACCESS_NAMES, projectTarget, rulesFor } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/review-not-required',
    title: 'Default branch accepts changes without an approving review',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api and the Maintainer role on each project; approval rules need GitLab Premium',
    settings: 'settings/merge_requests',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const branch = p.info.default_branch;
      if (!branch) continue;
      const rules = ctx.need(target, p.protectedBranches);
      if (!rules) continue;
      const applying = rulesFor(rules, branch);
      if (applying.length === 0) continue; // default-branch-unprotected
      const pushers = new Set<string>();
      let below = false; // someone below Maintainer (developers, a user, a group, a deploy key) can push
      for (const r of applying) {
        for (const a of r.push_access_levels ?? []) {
          if (a.access_level === 0) continue;
          pushers.add(a.access_level_description ?? ACCESS_NAMES[a.access_level ?? -1] ?? 'someone');
          if (a.access_level === null || a.access_level < 40) below = true;
        }
      }
      const causes: string[] = [];
      if (pushers.size > 0) causes.push(`${[...pushers].sort().join(', ')} can push to it directly`);
      const approvalRules = ctx.need(target, p.approvalRules);
      if (!approvalRules) continue;
      const required = approvalRules
        .filter((r) => r.applies_to_all_protected_branches !== false || (r.protected_branches ?? []).some((b) => b.name === branch))
        .reduce((n, r) => Math.max(n, r.approvals_required), 0);
      if (required === 0) causes.push('merge requests need no approval');
      if (causes.length === 0) continue;
      ctx.report(target, {
        message: `changes reach ${branch} of ${p.info.path_with_namespace} without review: ${causes.join('; ')}`,
        route: `reviews:${branch}`,
        // Maintainer-only direct pushes with approvals otherwise required: GitLab's default, a smaller gap.
        severity: below || required === 0 ? 'high' : 'medium',
        properties: { branch },
      });
    }
  },
};
