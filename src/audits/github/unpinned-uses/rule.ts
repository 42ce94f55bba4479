import type { Severity } from '../../../core/finding.js';
import type { RawFinding, Rule } from '../../../core/rule.js';
import type { GithubModel, UsesRef } from '../../../platforms/github/model.js';
import type { SourceText } from '../../../yaml/load.js';
import { classifyRef, GITHUB_OWNED, parsePolicyOptions, policyFor, stepName, type PolicyTable } from '../../../platforms/github/uses-policy.js';
import { jobSites, loc, stepSites } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'unpinned-uses',
    title: 'Action or reusable workflow not pinned to a commit SHA',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-829'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report, options) {
    const table = parsePolicyOptions(options);
    for (const site of stepSites(model)) {
      const who = `${stepName(site.step)} of ${site.action ? `action "${site.action.name ?? (site.action.dir || '.')}"` : `job "${site.job!.id}"`}`;
      if (site.step.uses) checkUses(site.source, site.step.uses, who, 'uses', `${site.route}.uses`, table, report);
    }
    for (const { source, job } of jobSites(model)) {
      if (job.uses) checkUses(source, job.uses, `job "${job.id}"`, 'calls reusable workflow', `jobs.${job.id}.uses`, table, report);
    }
  },
};

type Report = (f: RawFinding) => void;

const FIX = 'pin it to a full 40-character commit SHA (keep the version in a trailing comment)';

function checkUses(source: SourceText, uses: UsesRef, who: string, verb: string, route: string, table: PolicyTable, report: Report): void {
  // Local actions and workflows come from the same commit; docker:// images have their own rule.
  if (uses.kind === 'local' || uses.kind === 'docker') return;
  // Expressions are not allowed in `uses:`; GitHub rejects the workflow, so there is nothing to pin.
  if (uses.raw.includes('${{')) return;
  if (uses.kind === 'invalid') {
    const target = uses.raw.trim();
    // Only `owner/repo[/path]` without any @ref: that is an unpinned reference, not a typo elsewhere.
    if (uses.reason !== 'missing @ref' || !/^[^/\s@]+\/[^/\s@]+(\/[^\s@]*)?$/.test(target)) return;
    const [owner, repo, ...rest] = target.split('/');
    if (policyFor(table, owner!, repo!, rest.join('/')).policy === 'any') return;
    report({
      message: `${who} ${verb} ${target} with no @ref, so it is not pinned at all; ${FIX}`,
      location: loc(source, uses.node),
      severity: 'high',
      route: `${route}:${target.toLowerCase()}`,
    });
    return;
  }
  if (uses.pinnedToSha) return;
  const { policy, pattern } = policyFor(table, uses.owner, uses.repo, uses.path);
  if (policy !== 'hash-pin') return; // `ref-pin` and `any` accept any @ref
  const kind = classifyRef(uses.ref);
  const target = `${uses.owner}/${uses.repo}${uses.path ? `/${uses.path}` : ''}@${uses.ref}`;
  const why = pattern ? ` (policy "${pattern}": hash-pin)` : '';
  const { what, severity } = describe(kind, uses.owner);
  report({
    message: `${who} ${verb} ${target}, ${what}${why}; ${FIX}`,
    location: loc(source, uses.node),
    severity,
    route: `${route}:${target.toLowerCase()}`,
    properties: { ref: uses.ref, refKind: kind, policy },
  });
}

function describe(kind: ReturnType<typeof classifyRef>, owner: string): { what: string; severity: Severity } {
  switch (kind) {
    case 'short-sha':
      return { what: 'an abbreviated SHA that GitHub resolves as a branch or tag name, not as a commit', severity: 'high' };
    case 'version':
      // GitHub-owned tags are just as mutable, but moving them takes a compromise of GitHub itself.
      return { what: 'a tag its owner can move to different code at any time', severity: GITHUB_OWNED.has(owner.toLowerCase()) ? 'low' : 'medium' };
    default:
      return { what: 'a branch-like ref whose code changes with every push', severity: 'high' };
  }
}
