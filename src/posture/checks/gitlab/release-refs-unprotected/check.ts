import type { PostureCheck } from '../../../check.js';
import type { GitlabGroupData } from '../../../gitlab/model.js';
import { RELEASE_BRANCH } from '../../../github/collect.js';
import { projectTarget } from '../util.js';

export const check: PostureCheck<GitlabGroupData> = {
  meta: {
    id: 'posture/release-refs-unprotected',
    title: 'Release branches or tags without protection',
    platform: 'gitlab',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1', 'CICD-SEC-9'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'read_api and the Maintainer role on each project (protected tags)',
    settings: 'settings/repository',
  },
  check(d, ctx) {
    for (const p of d.projects) {
      const target = projectTarget(p);
      const branches = ctx.need(target, p.branches);
      for (const b of (branches ?? []).filter((x) => x.name !== p.info.default_branch && RELEASE_BRANCH.test(x.name) && x.protected === false).slice(0, 5)) {
        ctx.report(target, { message: `release branch ${b.name} of ${p.info.path_with_namespace} is not protected`, route: `branch:${b.name}`, properties: { branch: b.name } });
      }
      const hasTags = ctx.need(target, p.hasTags);
      if (!hasTags) continue;
      const tags = ctx.need(target, p.protectedTags);
      if (tags && tags.length === 0) {
        ctx.report(target, { message: `${p.info.path_with_namespace} has tags but no protected tags: developers can create, move or delete release tags that trigger release pipelines`, route: 'tags' });
      }
    }
  },
};
