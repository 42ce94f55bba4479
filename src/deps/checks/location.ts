import type { Location } from '../../core/finding.js';
import type { Lockfile, Package } from '../model.js';

/** The package's entry in its lockfile, as a finding location. */
export function packageLocation(lockfile: Lockfile, pkg: Package): Location {
  return { file: lockfile.path, startLine: pkg.line, startColumn: pkg.column, endLine: pkg.line, endColumn: pkg.column + 1 };
}

export function docsUrl(id: string): URL {
  return new URL(`./${id}/README.md`, import.meta.url);
}
