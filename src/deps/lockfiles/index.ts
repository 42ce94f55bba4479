import type { Ecosystem, LockfileFormat, Package } from '../model.js';
import { parseBunLock } from './bun.js';
import { parseGemfileLock } from './gemfile.js';
import { parseGoMod, parseGoSum } from './go.js';
import { parseComposerLock, parseNugetLock, parsePipfileLock } from './json-locks.js';
import { parseGradleLock, parsePom } from './maven.js';
import { parseNpmLock } from './npm.js';
import { parsePnpmLock } from './pnpm.js';
import { parseCargoLock, parsePoetryLock, parseUvLock } from './python-toml.js';
import { parseRequirementsPackages } from './requirements.js';
import { parseYarnLock } from './yarn.js';

export interface FormatInfo {
  format: LockfileFormat;
  ecosystem: Ecosystem;
  parse(text: string): Package[];
}

const BY_NAME: Record<string, FormatInfo> = {
  'package-lock.json': { format: 'package-lock.json', ecosystem: 'npm', parse: parseNpmLock },
  'npm-shrinkwrap.json': { format: 'npm-shrinkwrap.json', ecosystem: 'npm', parse: parseNpmLock },
  'yarn.lock': { format: 'yarn.lock', ecosystem: 'npm', parse: parseYarnLock },
  'pnpm-lock.yaml': { format: 'pnpm-lock.yaml', ecosystem: 'npm', parse: parsePnpmLock },
  'bun.lock': { format: 'bun.lock', ecosystem: 'npm', parse: parseBunLock },
  'poetry.lock': { format: 'poetry.lock', ecosystem: 'PyPI', parse: parsePoetryLock },
  'uv.lock': { format: 'uv.lock', ecosystem: 'PyPI', parse: parseUvLock },
  'Pipfile.lock': { format: 'Pipfile.lock', ecosystem: 'PyPI', parse: parsePipfileLock },
  'go.mod': { format: 'go.mod', ecosystem: 'Go', parse: parseGoMod },
  'go.sum': { format: 'go.sum', ecosystem: 'Go', parse: parseGoSum },
  'Cargo.lock': { format: 'Cargo.lock', ecosystem: 'crates.io', parse: parseCargoLock },
  'Gemfile.lock': { format: 'Gemfile.lock', ecosystem: 'RubyGems', parse: parseGemfileLock },
  'gems.locked': { format: 'Gemfile.lock', ecosystem: 'RubyGems', parse: parseGemfileLock },
  'composer.lock': { format: 'composer.lock', ecosystem: 'Packagist', parse: parseComposerLock },
  'packages.lock.json': { format: 'packages.lock.json', ecosystem: 'NuGet', parse: parseNugetLock },
  'pom.xml': { format: 'pom.xml', ecosystem: 'Maven', parse: parsePom },
  'gradle.lockfile': { format: 'gradle.lockfile', ecosystem: 'Maven', parse: parseGradleLock },
  'buildscript-gradle.lockfile': { format: 'gradle.lockfile', ecosystem: 'Maven', parse: parseGradleLock },
};

const REQUIREMENTS: FormatInfo = { format: 'requirements.txt', ecosystem: 'PyPI', parse: parseRequirementsPackages };
const GRADLE_LEGACY: FormatInfo = { format: 'gradle.lockfile', ecosystem: 'Maven', parse: parseGradleLock };

/** The lockfile format of a repository-relative path, by its name (as package managers find them). */
export function formatOf(rel: string): FormatInfo | undefined {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (Object.hasOwn(BY_NAME, base)) return BY_NAME[base];
  if (/^requirements[\w.-]*\.txt$/i.test(base) || /(?:^|\/)requirements\/[^/]+\.txt$/.test(rel)) return REQUIREMENTS;
  if (/(?:^|\/)gradle\/dependency-locks\/[^/]+\.lockfile$/.test(rel)) return GRADLE_LEGACY;
  return undefined;
}
