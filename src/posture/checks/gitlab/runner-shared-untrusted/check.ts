import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/runner-shared-untrusted',
    title: 'Project runner shared with projects outside the group',
    platform: 'gitlab',
    severity: 'high',
    confidence: 'medium',
    owasp: ['CICD-SEC-7'],
    cwe: ['CWE-668'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api and the Maintainer role on each project (runner details)',
    settings: 'settings/ci_cd',
  },
  check(d, ctx) {
    const prefix = `${d.group.toLowerCase()}/`;
    for (const p of d.projects) {
      const target = projectTarget(p);
      const runners = ctx.need(target, p.runners);
      for (const r of [...(runners ?? [])].sort((a, b) => a.id - b.id)) {
        if (r.runner_type !== 'project_type' && r.is_shared !== false) continue;
        const outside = (r.projects ?? []).filter((x) => !x.path_with_namespace.toLowerCase().startsWith(prefix)).map((x) => x.path_with_namespace).sort();
        const unlocked = r.locked === false;
        if (outside.length === 0 && !unlocked) continue;
        const parts: string[] = [];
        if (outside.length > 0) parts.push(`also runs jobs of ${outside.length} project${outside.length === 1 ? '' : 's'} outside ${d.group} (${outside.slice(0, 3).join(', ')}${outside.length > 3 ? ', …' : ''})`);
        if (unlocked) parts.push('is not locked, so any project maintainer who can see it may enable it');
        ctx.report(target, {
          message: `runner ${r.id}${r.description ? ` ("${r.description}")` : ''} of ${p.info.path_with_namespace} ${parts.join(' and ')}: their jobs share the machine, its caches and credentials with yours`,
          route: `runner:${r.id}`,
          severity: outside.length > 0 ? 'high' : 'medium',
          properties: { runner: r.id },
        });
      }
    }
  },
};
