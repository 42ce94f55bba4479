import type { Ecosystem } from '../model.js';
import { composerScheme, mavenScheme, nugetScheme } from './maven.js';
import { pep440Scheme } from './pep440.js';
import { rubygemsScheme } from './rubygems.js';
import { cargoScheme, goScheme, npmScheme } from './semver.js';
import type { VersionScheme } from './types.js';

export type { VersionScheme } from './types.js';

export const SCHEMES: Record<Ecosystem, VersionScheme> = {
  npm: npmScheme,
  PyPI: pep440Scheme,
  Go: goScheme,
  'crates.io': cargoScheme,
  RubyGems: rubygemsScheme,
  Packagist: composerScheme,
  NuGet: nugetScheme,
  Maven: mavenScheme,
};
