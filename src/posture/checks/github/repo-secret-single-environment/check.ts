import type { PostureCheck } from '../../../check.js';
import type { GithubOrgData } from '../../../github/model.js';
import { repoTarget } from '../util.js';

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/repo-secret-single-environment',
    title: 'Repository secret used only by one environment',
    platform: 'github',
    severity: 'medium',
    confidence: 'medium',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-522'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'write access to the repository (secrets list); repo (read) for workflows',
    settings: 'settings/secrets/actions',
  },
  check(d, ctx) {
    for (const repo of d.repos) {
      const target = repoTarget(repo);
      const workflows = ctx.need(target, repo.workflows);
      if (!workflows) continue;
      const secrets = ctx.need(target, repo.secrets);
      if (!secrets || secrets.length === 0) continue;
      const jobs = workflows.flatMap((w) => w.jobs.map((job) => ({ workflow: w, job })));
      // `secrets: inherit` passes every secret on: usage can no longer be attributed.
      if (jobs.some(({ job }) => job.inheritsSecrets) || workflows.some((w) => w.unparsed)) continue;
      for (const s of [...secrets].sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const users = jobs.filter(({ job }) => job.secrets.includes(s.name.toUpperCase()));
        if (users.length === 0) continue;
        const envs = new Set(users.map(({ job }) => (job.environment && !job.environment.dynamic ? job.environment.name.toLowerCase() : '')));
        if (envs.size !== 1 || envs.has('')) continue;
        const env = users[0]!.job.environment!.name;
        ctx.report(target, {
          message: `repository secret ${s.name} of ${repo.info.full_name} is only used by jobs deploying to ${env}: stored at repository level, any workflow on any branch can read it; move it to the ${env} environment`,
          route: `secret:${s.name}`,
          properties: { secret: s.name, environment: env },
        });
      }
    }
  },
};
