import type { JobFacts, WorkflowFacts } from '../../workflows.js';
import type { Environment, GithubOrgData, GithubRepoData } from '../../github/model.js';
import type { PostureContext, PostureTarget } from '../../check.js';
import { fileUrl, repoTarget } from './util.js';
import type { Location, RelatedLocation } from '../../../core/finding.js';

/** A deployment environment and the workflow jobs that deploy to it (found by the static audit). */
export interface Deployment {
  name: string;
  /** The environment's settings, or undefined when it does not exist (GitHub creates it, unprotected, on first use). */
  settings?: Environment;
  jobs: Array<{ workflow: WorkflowFacts; job: JobFacts }>;
}

/** Deployment environments of a repository's workflows, grouped by name (case-insensitive, like GitHub). */
export function deployments(workflows: readonly WorkflowFacts[], environments: readonly Environment[]): Deployment[] {
  const byName = new Map<string, Deployment>();
  for (const wf of workflows) {
    for (const job of wf.jobs) {
      const env = job.environment;
      if (!env || env.dynamic) continue;
      const key = env.name.toLowerCase();
      let dep = byName.get(key);
      if (!dep) {
        const settings = environments.find((e) => e.name.toLowerCase() === key);
        dep = { name: settings?.name ?? env.name, ...(settings ? { settings } : {}), jobs: [] };
        byName.set(key, dep);
      }
      dep.jobs.push({ workflow: wf, job });
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The first deploying job's `environment:` line as the location; the others as related. */
export function deploymentSites(repo: GithubRepoData, dep: Deployment): { location: Location; related: RelatedLocation[] } {
  const sites = dep.jobs.map(({ workflow, job }) => ({
    file: fileUrl(repo, workflow.path),
    startLine: job.environment!.line,
    startColumn: 1,
    endLine: job.environment!.line,
    endColumn: 1,
    message: `job ${job.id} deploys to ${dep.name}`,
  }));
  const [first, ...rest] = sites;
  const { message: _m, ...location } = first!;
  return { location, related: rest };
}

export function jobList(dep: Deployment): string {
  const names = dep.jobs.map(({ workflow, job }) => `${workflow.path.replace(/^\.github\/workflows\//, '')}:${job.id}`);
  return names.slice(0, 4).join(', ') + (names.length > 4 ? ', …' : '');
}

/** Every deployment of every repository whose workflows and environments could be read. */
export function eachDeployment(d: GithubOrgData, ctx: PostureContext, fn: (repo: GithubRepoData, target: PostureTarget, dep: Deployment) => void): void {
  for (const repo of d.repos) {
    const target = repoTarget(repo);
    const workflows = ctx.need(target, repo.workflows);
    if (!workflows) continue;
    const envs = ctx.need(target, repo.environments);
    if (!envs) continue;
    for (const dep of deployments(workflows, envs)) fn(repo, target, dep);
  }
}
