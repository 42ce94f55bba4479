import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { deploymentSites, eachDeployment } from '../environments.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/environment-self-review',
    title: 'Deployment can be approved by whoever triggered it',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'repo (read) for workflows and environments; write access for environment secrets',
    settings: 'settings/environments',
  },
  check(d, ctx) {
    eachDeployment(d, ctx, (repo, target, dep) => {
        const rule = dep.settings?.protection_rules?.find((r) => r.type === 'required_reviewers');
        if (!rule || rule.prevent_self_review === true) return;
        ctx.report(target, {
          message: `environment ${dep.name} of ${repo.info.full_name} lets the person who triggered a deployment approve it: a required reviewer can push and approve their own change`,
          route: `env:${dep.name.toLowerCase()}`,
          ...deploymentSites(repo, dep),
          properties: { environment: dep.name },
        });
    });
  },
};
