import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { deploymentSites, eachDeployment, jobList } from '../environments.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/environment-no-branch-policy',
    title: 'Deployment environment open to every branch',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1', 'CICD-SEC-4'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'repo (read) for workflows and environments; write access for environment secrets',
    settings: 'settings/environments',
  },
  check(d, ctx) {
    eachDeployment(d, ctx, (repo, target, dep) => {
        // A missing environment is reported once, by environment-no-reviewers.
        if (!dep.settings || dep.settings.deployment_branch_policy) return;
        ctx.report(target, {
          message: `environment ${dep.name} of ${repo.info.full_name} accepts deployments from any branch: a pushed feature branch that edits ${jobList(dep)} gets the environment's secrets`,
          route: `env:${dep.name.toLowerCase()}`,
          ...deploymentSites(repo, dep),
          properties: { environment: dep.name },
        });
    });
  },
};
