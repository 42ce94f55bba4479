import type { PackageAdvisories } from './advisories.js';
import type { Install } from './ci/installs.js';
import type { CiModel } from './ci/model.js';
import type { CompromisedHit } from './compromised.js';
import type { Lockfile } from './model.js';

/** Everything the deps checks see: parsed lockfiles, advisory matches, shipped incidents and CI. */
export interface DepsModel {
  lockfiles: Lockfile[];
  /** Undefined when no advisory data was available (no database and no --online). */
  advisories?: PackageAdvisories[];
  compromised: CompromisedHit[];
  ci: CiModel;
  /** Package-manager commands found in CI jobs. */
  installs: Install[];
  /** Whether a package-manager config (`.npmrc` `ignore-scripts=true`, `.yarnrc.yml` `enableScripts: false`) turns dependency scripts off for a folder. */
  scriptsDisabled?(manager: string, dir: string): boolean;
  /** YYYY-MM-DD (UTC), for end-of-life dates; injectable for tests. */
  today: string;
}
