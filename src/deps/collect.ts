import { relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../core/finding.js';
import { walkTree } from '../sources/walk.js';
import { isCiPath } from '../audit/pipeline.js';
import { formatOf } from './lockfiles/index.js';

export interface CollectedFile {
  abs: string;
  /** Relative to the working directory (what findings show). */
  path: string;
  /** Relative to the scanned root. */
  repoPath: string;
}

export interface Collected {
  root: string;
  lockfiles: CollectedFile[];
  ci: CollectedFile[];
  dockerfiles: CollectedFile[];
  /** Renovate configs and other update-tool markers found. */
  renovate?: string;
  /** `.npmrc` and `.yarnrc.yml` files (they can turn dependency scripts off). */
  managerConfigs: CollectedFile[];
  diagnostics: Diagnostic[];
}

/** Folders of installed or generated dependencies: their lockfiles belong to other projects. */
const SKIP_DIRS = ['node_modules', 'bower_components', '.venv', 'venv', '.tox', '.nox', '__pypackages__', 'site-packages'];
const MANAGER_CONFIG = /(?:^|\/)(?:\.npmrc|\.yarnrc\.yml)$/;
const RENOVATE = /^(?:renovate\.json5?|\.renovaterc(?:\.json5?)?|\.github\/renovate\.json5?|\.gitlab\/renovate\.json5?)$/;

export function isDockerfile(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return /^(?:Dockerfile|Containerfile)(?:[.-][\w.-]+)?$/.test(base) || /\.(?:dockerfile|Dockerfile)$/.test(base);
}

/** Lockfiles, CI definitions and Dockerfiles under `root` (gitignore-aware; links never followed). */
export function collectDepsFiles(root: string, cwd = process.cwd()): Collected {
  const abs = resolve(root);
  const out: Collected = { root: abs, lockfiles: [], ci: [], dockerfiles: [], managerConfigs: [], diagnostics: [] };
  const display = (p: string): string => relative(cwd, p).split(sep).join('/') || p;
  const accept = (rel: string): boolean => formatOf(rel) !== undefined || isCiPath(rel) || isDockerfile(rel) || RENOVATE.test(rel) || MANAGER_CONFIG.test(rel);
  for (const e of walkTree(abs, { skipDirs: SKIP_DIRS, accept }, (d) => out.diagnostics.push({ ...d, ...(d.file && { file: display(resolve(abs, d.file)) }) }))) {
    const f = { abs: e.abs, path: display(e.abs), repoPath: e.rel };
    if (RENOVATE.test(e.rel)) out.renovate = f.path;
    if (MANAGER_CONFIG.test(e.rel)) out.managerConfigs.push(f);
    if (formatOf(e.rel)) out.lockfiles.push(f);
    else if (isDockerfile(e.rel)) out.dockerfiles.push(f);
    else if (isCiPath(e.rel)) out.ci.push(f);
  }
  const byPath = (a: CollectedFile, b: CollectedFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  out.lockfiles.sort(byPath);
  out.ci.sort(byPath);
  out.dockerfiles.sort(byPath);
  return out;
}
