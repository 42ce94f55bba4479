import type { VersionScheme } from './types.js';

/** OSV `affected[].ranges[]` and `versions` (https://ossf.github.io/osv-schema/#affectedranges-field). */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

export interface AffectedVersions {
  ranges: OsvRange[];
  versions: string[];
}

function eventVersion(e: OsvEvent): string {
  return e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '';
}

/**
 * Whether `version` is affected, following the OSV evaluation algorithm: in each SEMVER or
 * ECOSYSTEM range, walk the events in version order; `introduced` switches on, `fixed` and
 * `limit` switch off at that version, `last_affected` switches off above it. Plus exact matches in
 * `versions`. GIT ranges name commits, which a lockfile version cannot be compared with.
 * Events the scheme cannot parse are skipped (never guessed).
 */
export function isAffected(scheme: VersionScheme, version: string, affected: AffectedVersions): boolean {
  for (const listed of affected.versions) {
    if (listed === version || (scheme.valid(listed) && scheme.compare(listed, version) === 0)) return true;
  }
  for (const range of affected.ranges) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    if (inRange(scheme, version, range.events)) return true;
  }
  return false;
}

function inRange(scheme: VersionScheme, version: string, events: OsvEvent[]): boolean {
  const usable = events.filter((e) => {
    const v = eventVersion(e);
    return (e.introduced === '0') || (v !== '' && scheme.valid(v));
  });
  usable.sort((a, b) => {
    if (a.introduced === '0') return b.introduced === '0' ? 0 : -1;
    if (b.introduced === '0') return 1;
    return scheme.compare(eventVersion(a), eventVersion(b));
  });
  let affected = false;
  for (const e of usable) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || scheme.compare(version, e.introduced) >= 0) affected = true;
    } else if (e.fixed !== undefined) {
      if (scheme.compare(version, e.fixed) >= 0) affected = false;
    } else if (e.limit !== undefined) {
      if (scheme.compare(version, e.limit) >= 0) affected = false;
    } else if (e.last_affected !== undefined) {
      if (scheme.compare(version, e.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

/** Every `fixed` version named by the ranges, for remediation advice. */
export function fixedVersions(scheme: VersionScheme, affected: AffectedVersions): string[] {
  const out: string[] = [];
  for (const r of affected.ranges) {
    if (r.type !== 'SEMVER' && r.type !== 'ECOSYSTEM') continue;
    for (const e of r.events) if (e.fixed !== undefined && scheme.valid(e.fixed) && !out.includes(e.fixed)) out.push(e.fixed);
  }
  return out.sort((a, b) => scheme.compare(a, b));
}

/**
 * The smallest version above `current` that none of the advisories affects, among the versions
 * they name as fixed (the only versions known to exist and to fix something). Undefined when no
 * such version is named, e.g. when one advisory has no fix yet.
 */
export function smallestFix(scheme: VersionScheme, current: string, advisories: AffectedVersions[]): string | undefined {
  const candidates = new Set<string>();
  for (const a of advisories) for (const f of fixedVersions(scheme, a)) if (scheme.compare(f, current) > 0) candidates.add(f);
  const sorted = [...candidates].sort((a, b) => scheme.compare(a, b));
  return sorted.find((c) => advisories.every((a) => !isAffected(scheme, c, a)));
}
