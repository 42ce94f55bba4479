import type { Confidence, Severity } from '../../../core/finding.js';
import type { RawFinding, Rule } from '../../../core/rule.js';
import type { GithubModel, UsesRef } from '../../../platforms/github/model.js';
import {
  ADVISORIES_BY_PACKAGE, inInterval, matchRange, parseVersion, stepName, versionInComment, versionSpan, type Advisory, type Version,
} from '../../../platforms/github/uses-policy.js';
import type { SourceText } from '../../../yaml/load.js';
import { mergeAdvisories, onlineAdvisoriesByPackage } from '../../../online/facts.js';
import { jobSites, loc, stepSites } from '../util.js';

/**
 * Matches `uses:` references against the advisory list shipped in data/advisories (loaded by
 * uses-policy.ts when imported; this rule only reads the in-memory index).
 */
export const rule: Rule<GithubModel> = {
  meta: {
    id: 'known-vulnerable-actions',
    title: 'Action with a known vulnerability or compromise',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-3'],
    cwe: ['CWE-1395'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    // With `--online`, advisories fetched from the GitHub advisory database join the shipped list (empty offline).
    const online = onlineAdvisoriesByPackage(model);
    for (const site of stepSites(model)) {
      if (site.step.uses?.kind !== 'repo') continue;
      const owner = site.action ? `action "${site.action.name ?? (site.action.dir || '.')}"` : `job "${site.job!.id}"`;
      checkUses(site.source, site.step.uses, `${stepName(site.step)} of ${owner}`, `${site.route}.uses`, report, online);
    }
    for (const { source, job } of jobSites(model)) {
      if (job.uses?.kind === 'repo') checkUses(source, job.uses, `job "${job.id}"`, `jobs.${job.id}.uses`, report, online);
    }
  },
};

type Report = (f: RawFinding) => void;
type RepoUses = Extract<UsesRef, { kind: 'repo' }>;

interface Hit {
  /** Clause after `uses <target>`, explaining why this ref is affected. */
  how: string;
  severity: Severity;
  confidence: Confidence;
}

function checkUses(source: SourceText, uses: RepoUses, who: string, route: string, report: Report, online: ReadonlyMap<string, Advisory[]>): void {
  const pkg = `${uses.owner}/${uses.repo}${uses.path ? `/${uses.path}` : ''}`.toLowerCase();
  const advisories = mergeAdvisories(ADVISORIES_BY_PACKAGE.get(pkg), online.get(pkg));
  if (!advisories) return;
  const target = uses.raw.trim();
  for (const adv of advisories) {
    const hit = uses.pinnedToSha ? matchSha(source, uses, adv) : matchRef(uses.ref, adv);
    if (!hit) continue;
    report({
      message: `${who} uses ${target}, ${hit.how} ${label(adv)}: ${adv.summary.replace(/\.\s*$/, '')}; ${remedy(adv)}`,
      location: loc(source, uses.node),
      severity: hit.severity,
      confidence: hit.confidence,
      route: `${route}:${adv.id}`,
      properties: { advisory: adv.id, ...(adv.cve ? { cve: adv.cve } : {}), ...(adv.patched ? { patched: adv.patched } : {}) },
    });
  }
}

function label(adv: Advisory): string {
  return adv.cve ? `${adv.id} (${adv.cve})` : adv.id;
}

function remedy(adv: Advisory): string {
  if (adv.patched) return `upgrade to ${adv.patched} or later and pin it by commit SHA`;
  if (adv.vulnerable) return `no fixed release is listed (affected: ${adv.vulnerable}); remove it or pin a reviewed commit outside that range`;
  return 'pin it to a commit SHA you have reviewed';
}

/** A SHA pin: certain when the commit is a known-malicious one; else trust a `# vX.Y.Z` comment, moderately. */
function matchSha(source: SourceText, uses: RepoUses, adv: Advisory): Hit | undefined {
  if (adv.compromisedShas?.includes(uses.ref.toLowerCase())) {
    return { how: 'a commit that carried the malicious code of', severity: adv.severity, confidence: 'high' };
  }
  if (!adv.range) return undefined;
  const version = versionInComment(restOfLine(source, uses));
  if (!version) return undefined;
  const hit = matchVersion(version, adv);
  if (!hit) return undefined;
  // The comment is a claim about the SHA, not a resolution of it.
  return { ...hit, how: `pinned to a commit its comment says is ${version.parts === 3 ? '' : 'in '}${formatVersion(version)}, which is affected by`, confidence: hit.confidence === 'high' ? 'medium' : 'low' };
}

function matchRef(ref: string, adv: Advisory): Hit | undefined {
  if (adv.compromisedTags?.some((t) => t.toLowerCase() === ref.toLowerCase())) {
    // The tag was restored after the incident, but runs during the window executed malware and
    // whoever moved it once could move it again.
    return { how: `a tag that pointed at malicious code${adv.window ? ` during ${adv.window}` : ''} (then restored) per`, severity: adv.severity, confidence: 'medium' };
  }
  const version = parseVersion(ref);
  return version && adv.range ? matchVersion(version, adv) : undefined;
}

function matchVersion(version: Version, adv: Advisory): Hit | undefined {
  const m = matchRange(version, adv.range!);
  switch (m) {
    case 'none':
      return undefined;
    case 'exact':
      return { how: 'a release affected by', severity: adv.severity, confidence: 'high' };
    case 'floating-all':
      return { how: `a floating tag whose every ${formatVersion(version)}.x release is affected by`, severity: adv.severity, confidence: 'medium' };
    default: {
      const patched = adv.patched ? parseVersion(adv.patched) : undefined;
      if (patched && inInterval(patched, versionSpan(version))) {
        // The fix shipped inside this line, and floating tags move forward: the tag most likely
        // resolves to a fixed release now, but it did not always and nothing holds it there.
        return { how: `a floating tag that covers both affected and fixed releases (it most likely resolves to a fixed one now) of`, severity: 'low', confidence: 'low' };
      }
      return { how: `a floating tag whose ${formatVersion(version)}.x releases include ones affected by`, severity: adv.severity, confidence: 'medium' };
    }
  }
}

function formatVersion(v: Version): string {
  const nums = [v.major, v.minor, v.patch].slice(0, v.parts).join('.');
  return `v${nums}${v.pre ? `-${v.pre}` : ''}`;
}

/** Source text after the `uses:` value on its line (where `# v1.2.3` comments live). */
function restOfLine(source: SourceText, uses: RepoUses): string {
  const end = uses.node.range?.[1];
  if (end === undefined) return '';
  const nl = source.text.indexOf('\n', end);
  return source.text.slice(end, nl === -1 ? undefined : nl);
}
