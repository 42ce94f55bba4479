import type { GithubModel } from '../platforms/github/model.js';
import { stepName } from '../platforms/github/uses-policy.js';
import type { SourceText } from '../yaml/load.js';
import { jobSites, stepSites } from '../audits/github/util.js';
import type { RepoUses } from './facts.js';

/** One `owner/repo[/path]@ref` in the scanned files, with what online rules need to report it. */
export interface RepoUsesSite {
  source: SourceText;
  uses: RepoUses;
  /** `step "Build" of job "ci"`, `job "release"`. */
  who: string;
  /** `uses`, or `calls reusable workflow` for `jobs.x.uses`. */
  verb: string;
  /** Stable route of the `uses:` key, e.g. `jobs.ci.steps[build].uses`. */
  route: string;
  /** A reusable workflow call rather than an action. */
  workflow: boolean;
  /** `owner/repo/path@ref` as written. */
  target: string;
}

/** Every third-party `uses:` (steps of workflows and local composite actions, reusable workflow calls), expressions skipped. */
export function* repoUsesSites(model: GithubModel): Generator<RepoUsesSite> {
  for (const site of stepSites(model)) {
    const uses = site.step.uses;
    if (uses?.kind !== 'repo' || uses.raw.includes('${{')) continue;
    const owner = site.action ? `action "${site.action.name ?? (site.action.dir || '.')}"` : `job "${site.job!.id}"`;
    yield { source: site.source, uses, who: `${stepName(site.step)} of ${owner}`, verb: 'uses', route: `${site.route}.uses`, workflow: false, target: uses.raw.trim() };
  }
  for (const { source, job } of jobSites(model)) {
    if (job.uses?.kind !== 'repo' || job.uses.raw.includes('${{')) continue;
    yield { source, uses: job.uses, who: `job "${job.id}"`, verb: 'calls reusable workflow', route: `jobs.${job.id}.uses`, workflow: true, target: job.uses.raw.trim() };
  }
}
