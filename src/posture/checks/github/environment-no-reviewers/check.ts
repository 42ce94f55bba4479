import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { deploymentSites, eachDeployment, jobList } from '../environments.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/environment-no-reviewers',
    title: 'Deployment environment without required reviewers',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1', 'CICD-SEC-5'],
    cwe: ['CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'repo (read) for workflows and environments; write access for environment secrets',
    settings: 'settings/environments',
  },
  check(d, ctx) {
    eachDeployment(d, ctx, (repo, target, dep) => {
        const reviewers = dep.settings?.protection_rules?.some((r) => r.type === 'required_reviewers') === true;
        if (reviewers) return;
        const secrets = repo.environmentSecrets[dep.settings?.name ?? ''];
        const holdsSecrets = secrets?.ok === true && secrets.value.length > 0;
        const sensitive = holdsSecrets || /prod|release|publish|deploy|live/i.test(dep.name);
        ctx.report(target, {
          message: dep.settings
            ? `environment ${dep.name} of ${repo.info.full_name} has no required reviewers: ${jobList(dep)} ${dep.jobs.length === 1 ? 'deploys' : 'deploy'}${holdsSecrets ? ` with its ${secrets.value.length} secret${secrets.value.length === 1 ? '' : 's'}` : ''} as soon as a workflow runs, with nobody approving`
            : `${jobList(dep)} in ${repo.info.full_name} ${dep.jobs.length === 1 ? 'deploys' : 'deploy'} to environment ${dep.name}, which does not exist: GitHub creates it on the first run with no reviewers and no branch policy`,
          route: `env:${dep.name.toLowerCase()}`,
          severity: sensitive ? 'high' : 'medium',
          ...deploymentSites(repo, dep),
          properties: { environment: dep.name },
        });
    });
  },
};
