/**
 * What the deps scanner knows about a repository's dependencies. Ecosystem names are OSV's
 * (https://ossf.github.io/osv-schema/#affectedpackage-field), so advisories match without mapping.
 */
export const ECOSYSTEMS = ['npm', 'PyPI', 'Go', 'crates.io', 'RubyGems', 'Packagist', 'NuGet', 'Maven'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

export function isEcosystem(v: string): v is Ecosystem {
  return (ECOSYSTEMS as readonly string[]).includes(v);
}

/** One resolved (or exactly declared) package version, at the line of its entry in the file. */
export interface Package {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  /** 1-based line and column of the package's entry (where a person changes it). */
  line: number;
  column: number;
  /** Only needed for development (npm `dev`, Pipfile `develop`, composer `packages-dev`...). */
  dev?: boolean;
  /** Declared by the project itself rather than pulled in transitively, when the format says. */
  direct?: boolean;
}

export type LockfileFormat =
  | 'package-lock.json'
  | 'npm-shrinkwrap.json'
  | 'yarn.lock'
  | 'pnpm-lock.yaml'
  | 'bun.lock'
  | 'requirements.txt'
  | 'poetry.lock'
  | 'uv.lock'
  | 'Pipfile.lock'
  | 'go.mod'
  | 'go.sum'
  | 'Cargo.lock'
  | 'Gemfile.lock'
  | 'composer.lock'
  | 'packages.lock.json'
  | 'pom.xml'
  | 'gradle.lockfile';

export interface Lockfile {
  /** Display path (relative to the working directory, posix). */
  path: string;
  /** Path relative to the repository root (what CI jobs' working directories are compared with). */
  repoPath: string;
  format: LockfileFormat;
  ecosystem: Ecosystem;
  packages: Package[];
  /** yarn.lock: Yarn 1 (`classic`) or Yarn 2+ (`berry`, which installs immutably in CI). */
  variant?: 'classic' | 'berry';
  /** requirements.txt: what pip resolves at install time and whether every entry is hashed. */
  requirements?: { unpinned: string[]; hashed: boolean };
}

/** A format violation, with the position of the offending text. */
export class LockfileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column = 1,
  ) {
    super(message);
  }
}
