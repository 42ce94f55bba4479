/**
 * Which files the secrets scanner reads. Defaults skip files that are large, generated and
 * almost never hold a hand-written secret (lock files, source maps, vendored code); they
 * are documented in README.md and turned off by `--no-ignore`. `secrets.paths-ignore` always applies.
 */
import { matchGlob } from '../config/glob.js';

/** Directory names never entered by default (vendored third-party code). */
export const DEFAULT_SKIP_DIRS = ['node_modules', 'bower_components', 'vendor', 'third_party', 'third-party', '.yarn', '.pnpm-store', '__pycache__', '.venv', '.tox'] as const;

/** Path globs skipped by default. */
export const DEFAULT_PATH_IGNORES = [
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/bun.lockb',
  '**/Cargo.lock',
  '**/Gemfile.lock',
  '**/poetry.lock',
  '**/Pipfile.lock',
  '**/composer.lock',
  '**/go.sum',
  '**/packages.lock.json',
  '**/gradle.lockfile',
  '**/flake.lock',
  // Minified JavaScript (`*.min.js`, `*.bundle.js`) is read: a project's own built bundle is where
  // build-time values (`VITE_*`, `REACT_APP_*`) end up; third-party copies sit in the skipped
  // directories. Source maps repeat the sources already scanned; minified CSS holds no credentials.
  '**/*.min.css',
  '**/*.js.map',
  '**/*.css.map',
  ...DEFAULT_SKIP_DIRS.map((d) => `**/${d}/**`),
] as const;

export class PathFilter {
  private readonly globs: string[];
  private readonly cache = new Map<string, boolean>();

  constructor(pathsIgnore: readonly string[], useDefaults: boolean) {
    this.globs = [...(useDefaults ? DEFAULT_PATH_IGNORES : []), ...pathsIgnore];
  }

  /** True when `rel` (repo-relative, `/`-separated) should be scanned. */
  accepts(rel: string): boolean {
    let v = this.cache.get(rel);
    if (v === undefined) {
      v = !this.globs.some((g) => matchGlob(g, rel));
      // History scans see the same paths in many commits; the cache is bounded so huge repos stay flat.
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(rel, v);
    }
    return v;
  }
}
