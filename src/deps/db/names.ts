import type { Ecosystem } from '../model.js';

/**
 * The form registries compare names in: PyPI per PEP 503 (case and runs of `-_.` ignored), NuGet,
 * Packagist and crates.io case-insensitively (crates.io also treats `-` and `_` alike); the others as written.
 */
export function normalizeName(ecosystem: Ecosystem, name: string): string {
  switch (ecosystem) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'NuGet':
    case 'Packagist':
      return name.toLowerCase();
    case 'crates.io':
      return name.toLowerCase().replace(/_/g, '-');
    default:
      return name;
  }
}
