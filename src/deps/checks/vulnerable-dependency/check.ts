import type { Rule, RuleMeta } from '../../../core/rule.js';
import type { DepsModel } from '../../deps-model.js';
import { jobsClause, linkRelated, privilegedInstallsOf, raise } from '../ci-link.js';
import { depsMeta, packageLocation } from '../location.js';

export const meta: RuleMeta = depsMeta(
  { id: 'vulnerable-dependency', title: 'Dependency version with a known vulnerability', severity: 'medium', confidence: 'high', owasp: ['CICD-SEC-3'], cwe: ['CWE-1395'] },
  new URL('./README.md', import.meta.url),
);

/**
 * One finding per problem per package entry: advisories that alias each other (GHSA, CVE,
 * PYSEC...) count once. Severity is the advisory's (GHSA rating, else CVSS v3); unrated ones are
 * medium with medium confidence. Installed by a CI job with publishing credentials: one step higher.
 */
export const rule: Rule<DepsModel> = {
  meta,
  check(model, report) {
    for (const entry of model.advisories ?? []) {
      const { lockfile, pkg } = entry;
      const links = privilegedInstallsOf(model, lockfile);
      for (const g of entry.groups) {
        if (g.malicious) continue;
        const base = g.severity ?? 'medium';
        const aliases = g.aliases.length > 0 ? ` (${g.aliases.join(', ')})` : '';
        const fixed = g.fixed.length > 0 ? `fixed in ${g.fixed.join(', ')}` : 'no fixed version named';
        const count = entry.groups.filter((x) => !x.malicious).length;
        const upgrade = entry.smallestFix ? (count > 1 ? `; smallest upgrade that fixes all ${count} advisories: ${entry.smallestFix}` : `; upgrade to ${entry.smallestFix}`) : '';
        const ci = links.length > 0 ? `; ${jobsClause(links)}` : '';
        report({
          message: `${pkg.name} ${pkg.version} is affected by ${g.id}${aliases} [${g.severity ?? 'unrated'}${g.score !== undefined ? ` ${g.score}` : ''}]: ${g.summary || 'no summary'}; ${fixed}${upgrade}${pkg.dev ? ' (development dependency)' : ''}${ci}`,
          location: packageLocation(lockfile, pkg),
          severity: links.length > 0 ? raise(base) : base,
          confidence: g.severity ? 'high' : 'medium',
          route: `${pkg.ecosystem}:${pkg.name}:${g.id}`,
          related: linkRelated(links),
          properties: {
            ecosystem: pkg.ecosystem,
            package: pkg.name,
            version: pkg.version,
            advisory: g.id,
            aliases: g.aliases.join(','),
            advisorySeverity: g.severity ?? 'unrated',
            ...(g.score !== undefined && { cvssScore: g.score }),
            fixedVersions: g.fixed.join(','),
            ...(entry.smallestFix && { smallestFix: entry.smallestFix }),
            dev: pkg.dev === true,
            ...(links.length > 0 && { installedBy: links.map((l) => `${l.install.job.file}#${l.install.job.name}`).join(',') }),
            ...(g.references[0] && { reference: g.references[0] }),
          },
        });
      }
    }
  },
};
