import type { RelatedLocation, Severity } from '../../core/finding.js';
import type { Install } from '../ci/installs.js';
import type { CiPrivilege } from '../ci/model.js';
import type { DepsModel } from '../deps-model.js';
import type { Lockfile } from '../model.js';
import { dirOf } from '../paths.js';

/** Credentials that let installed code publish or push: what turns a bad package into a supply-chain foothold. */
export function powerfulPrivileges(privileges: CiPrivilege[]): CiPrivilege[] {
  return privileges.filter((p) => p.kind === 'publish' || p.kind === 'write-token' || p.kind === 'oidc');
}


/** Whether a CI install command installs this lockfile's packages. */
export function installsLockfile(install: Install, lockfile: Lockfile): boolean {
  if (install.kind !== 'project' || install.ecosystem !== lockfile.ecosystem) return false;
  if (install.files.length > 0) return install.files.includes(lockfile.repoPath);
  if (lockfile.format === 'requirements.txt') return false;
  return dirOf(lockfile.repoPath) === install.dir;
}

export interface PrivilegedInstall {
  install: Install;
  privileges: CiPrivilege[];
}

/** Jobs that install the lockfile while holding publishing credentials or write tokens. */
export function privilegedInstallsOf(model: DepsModel, lockfile: Lockfile): PrivilegedInstall[] {
  const out: PrivilegedInstall[] = [];
  const seen = new Set<string>();
  for (const install of model.installs) {
    if (!installsLockfile(install, lockfile)) continue;
    const privileges = powerfulPrivileges(install.job.privileges);
    if (privileges.length === 0) continue;
    const key = `${install.job.file}\0${install.job.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ install, privileges });
  }
  return out;
}

export function describePrivileges(privileges: CiPrivilege[]): string {
  const names = [...new Set(privileges.map((p) => p.name))];
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`;
}

export function jobsClause(links: PrivilegedInstall[]): string {
  const first = links[0]!;
  const more = links.length > 1 ? ` (and ${links.length - 1} more job${links.length > 2 ? 's' : ''})` : '';
  return `installed by job "${first.install.job.name}" in ${first.install.job.file}, which holds ${describePrivileges(first.privileges)}${more}`;
}

export function linkRelated(links: PrivilegedInstall[]): RelatedLocation[] {
  return links.map((l) => ({ ...l.install.command.location, message: `job "${l.install.job.name}" installs this lockfile here with ${describePrivileges(l.privileges)} in reach` }));
}

const UP: Record<Severity, Severity> = { info: 'low', low: 'medium', medium: 'high', high: 'critical', critical: 'critical' };

export function raise(s: Severity): Severity {
  return UP[s];
}
