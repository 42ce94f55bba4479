import type { Pipeline } from './model.js';

/**
 * Who can make this pipeline build pull-request code, as far as its YAML tells.
 *
 * - `none`: `pr: none`.
 * - `azure-repos`: the pipeline declares its own repository (`resources.repositories` entry
 *   `self`) as `type: git`, i.e. Azure Repos Git. YAML `pr:` triggers do not apply there; pull
 *   requests are built only under a build-validation branch policy, and only people with access to
 *   the project can open them: no outsider reaches the build.
 * - `explicit`: a `pr:` trigger with branches.
 * - `default`: no `pr:` key while CI builds are on. On GitHub and Bitbucket Cloud that builds every
 *   pull request; on Azure Repos only a branch policy does. The YAML does not say which host.
 * - `ci-off-default`: `trigger: none` and no `pr:` key. `trigger: none` turns off CI builds only,
 *   so on GitHub or Bitbucket every pull request is still built, while on Azure Repos the pipeline
 *   runs only when queued by hand, on its schedules, on resource triggers, or under a branch
 *   policy. Such files are nearly always meant to be manual or scheduled: whether PRs reach them
 *   depends on the host and on settings the YAML does not show.
 */
export type PrReach = 'none' | 'azure-repos' | 'explicit' | 'default' | 'ci-off-default';

/** The `type:` the pipeline gives its own repository (`- repository: self`), lower-cased. */
export function selfRepositoryType(p: Pipeline): string | undefined {
  return p.repositories.find((r) => r.alias.toLowerCase() === 'self')?.type?.trim().toLowerCase();
}

export function prReach(p: Pipeline): PrReach {
  if (p.pr.kind === 'none') return 'none';
  if (selfRepositoryType(p) === 'git') return 'azure-repos';
  if (p.pr.kind === 'filtered') return 'explicit';
  return p.trigger.kind === 'none' ? 'ci-off-default' : 'default';
}

/** Can someone outside the project (a fork's author) get pull-request code built, by the YAML? */
export function outsiderPrBuilds(p: Pipeline): boolean {
  const r = prReach(p);
  return r === 'explicit' || r === 'default' || r === 'ci-off-default';
}

export const CI_OFF_PR_NOTE =
  'trigger: none turns off CI builds only: with no pr: key, Azure still builds every pull request when the repository is on GitHub or Bitbucket (on Azure Repos only a build-validation branch policy does); add pr: none if this pipeline is meant to run only when queued or scheduled';
