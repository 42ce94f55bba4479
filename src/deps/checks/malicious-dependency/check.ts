import type { Rule, RuleMeta } from '../../../core/rule.js';
import type { DepsModel } from '../../deps-model.js';
import { jobsClause, linkRelated, privilegedInstallsOf } from '../ci-link.js';
import { depsMeta, packageLocation } from '../location.js';

export const meta: RuleMeta = depsMeta(
  { id: 'malicious-dependency', title: 'Malicious or hijacked package release', severity: 'critical', confidence: 'high', owasp: ['CICD-SEC-3'], cwe: ['CWE-506'] },
  new URL('./README.md', import.meta.url),
);

/**
 * Releases known to be malicious: OSV malicious-package reports (MAL-) from the database, and
 * the shipped list of hijacked releases (which works with no database at all). One finding per
 * package entry; when both know it, the incident's date and sources are named with the MAL id.
 */
export const rule: Rule<DepsModel> = {
  meta,
  check(model, report) {
    const mal = new Map<string, string[]>();
    for (const entry of model.advisories ?? []) {
      const ids = entry.groups.filter((g) => g.malicious).map((g) => g.id);
      if (ids.length > 0) mal.set(`${entry.lockfile.path}\0${entry.pkg.line}\0${entry.pkg.name}`, ids);
    }
    const done = new Set<string>();
    const emit = (key: string, lockfile: (typeof model.lockfiles)[number], pkg: (typeof model.lockfiles)[number]['packages'][number], what: string, props: Record<string, string>): void => {
      if (done.has(key)) return;
      done.add(key);
      const links = privilegedInstallsOf(model, lockfile);
      const ci = links.length > 0 ? `; ${jobsClause(links)}: treat those credentials as stolen` : '';
      report({
        message: `${pkg.name} ${pkg.version} is a malicious release (${what}): remove it, reinstall from a clean lockfile and rotate every credential the machines that installed it could read${ci}`,
        location: packageLocation(lockfile, pkg),
        route: `${pkg.ecosystem}:${pkg.name}@${pkg.version}`,
        related: linkRelated(links),
        properties: { ecosystem: pkg.ecosystem, package: pkg.name, version: pkg.version, ...props, ...(links.length > 0 && { installedBy: links.map((l) => `${l.install.job.file}#${l.install.job.name}`).join(',') }) },
      });
    };
    for (const hit of model.compromised) {
      const key = `${hit.lockfile.path}\0${hit.pkg.line}\0${hit.pkg.name}`;
      const ids = mal.get(key);
      const what = `${hit.incident.title}, published ${hit.incident.date}; ${hit.incident.sources[0]}${ids ? `; ${ids.join(', ')}` : ''}`;
      emit(key, hit.lockfile, hit.pkg, what, { incident: hit.incident.id, incidentDate: hit.incident.date, source: hit.incident.sources[0]!, ...(ids && { advisory: ids.join(',') }) });
    }
    for (const entry of model.advisories ?? []) {
      const key = `${entry.lockfile.path}\0${entry.pkg.line}\0${entry.pkg.name}`;
      const ids = mal.get(key);
      if (!ids) continue;
      const g = entry.groups.find((x) => x.malicious)!;
      emit(key, entry.lockfile, entry.pkg, `${ids.join(', ')}${g.summary ? `: ${g.summary}` : ''}`, { advisory: ids.join(','), aliases: g.aliases.join(',') });
    }
  },
};
