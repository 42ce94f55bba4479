import semver from 'semver';
import type { VersionScheme } from './types.js';

/**
 * Semantic Versioning 2.0 as npm implements it (the `semver` package): prereleases sort before
 * their release, numeric identifiers numerically, build metadata is ignored. Cargo uses the same order.
 */
export const npmScheme: VersionScheme = {
  valid: (v) => semver.valid(v) !== null,
  compare: (a, b) => semver.compare(a, b),
};

export const cargoScheme: VersionScheme = npmScheme;

/**
 * Go modules: semver with a `v` prefix (`v1.2.3`), and OSV writes Go versions without it.
 * Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.20191109021931-daa7c04131f5`)
 * are semver prereleases of the next version and sort by their timestamp, as Go intends;
 * `+incompatible` is build metadata and does not affect the order.
 */
export const goScheme: VersionScheme = {
  valid: (v) => semver.valid(stripV(v)) !== null,
  compare: (a, b) => semver.compare(stripV(a), stripV(b)),
};

function stripV(v: string): string {
  return v.startsWith('v') ? v.slice(1) : v;
}
