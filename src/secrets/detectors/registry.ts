/** Package and container registries: npm, PyPI, RubyGems, Docker Hub, NuGet, crates.io, JFrog... */
import type { Detector, Validation } from '../types.js';
import { validateBase62Checksum } from '../validators/github.js';
import { validatePypiToken } from '../validators/pypi.js';
import { decoyReason, plausibleToken } from './decoys.js';
import { keyed, raw, token } from './build.js';

const family = 'registry';

/** JFrog reference tokens are base64 of `reftkn:01:<expiry>:<id>:<secret>`. */
function validateJfrogReference(secret: string): Validation {
  const text = Buffer.from(secret, 'base64').toString('latin1');
  return text.startsWith('reftkn:01:') ? { status: 'valid', note: 'decodes to a reftkn:01 reference token' } : { status: 'invalid', note: 'does not decode to reftkn:01' };
}

/** Bundler credentials are `user:password` (or a bare token): check the password part. */
function validateBundler(secret: string): Validation {
  const pass = secret.slice(secret.indexOf(':') + 1);
  return plausibleToken(pass);
}

export const REGISTRY_DETECTORS: Detector[] = [
  // Private Packagist (Composer): `packagist_` + a 3-letter kind (`ort` organization read-only,
  // `out` organization update, `uut` user update, and a fourth) + `_` + 60 hex + an 8-hex checksum,
  // as Private Packagist documents it; the checksum algorithm is not published.
  token({
    id: 'packagist-token',
    title: 'Private Packagist authentication token',
    family,
    keywords: ['packagist_'],
    pattern: 'packagist_[a-z]{3}_[a-fA-F0-9]{68}',
    minEntropy: 3,
  }),
  token({
    id: 'npm-access-token',
    title: 'npm access token',
    family,
    severity: 'critical',
    keywords: ['npm_'],
    pattern: 'npm_[A-Za-z0-9]{36}',
    minEntropy: 3,
    validate: validateBase62Checksum,
  }),
  token({
    id: 'pypi-upload-token',
    title: 'PyPI API token',
    family,
    severity: 'critical',
    keywords: ['pypi-ageichlwas5vcmc'],
    pattern: 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,2000}={0,2}',
    after: '(?![A-Za-z0-9_=-])',
    validate: validatePypiToken,
  }),
  token({
    id: 'testpypi-upload-token',
    title: 'TestPyPI API token',
    family,
    severity: 'low',
    keywords: ['pypi-agendgvzdc5wexbplm9yzw'],
    pattern: 'pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,2000}={0,2}',
    after: '(?![A-Za-z0-9_=-])',
    validate: validatePypiToken,
  }),
  token({ id: 'rubygems-api-key', title: 'RubyGems API key', family, severity: 'critical', keywords: ['rubygems_'], pattern: 'rubygems_[a-f0-9]{48}', minEntropy: 3 }),
  token({
    id: 'docker-hub-pat',
    title: 'Docker Hub personal access token',
    family,
    keywords: ['dckr_pat_'],
    pattern: 'dckr_pat_[A-Za-z0-9_-]{27}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  token({
    id: 'docker-hub-oat',
    title: 'Docker Hub organization access token',
    family,
    keywords: ['dckr_oat_'],
    pattern: 'dckr_oat_[A-Za-z0-9_-]{27,40}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  token({ id: 'nuget-api-key', title: 'NuGet API key', family, keywords: ['oy2'], pattern: 'oy2[a-z0-9]{43}', minEntropy: 3.5 }),
  token({ id: 'clojars-api-token', title: 'Clojars deploy token', family, keywords: ['clojars_'], pattern: 'CLOJARS_[a-z0-9]{60}', minEntropy: 3.5 }),
  token({ id: 'crates-io-api-token', title: 'crates.io API token', family, keywords: ['cio'], pattern: 'cio[A-Za-z0-9]{32}', minEntropy: 3.8 }),
  token({ id: 'jfrog-api-key', title: 'JFrog Artifactory API key', family, keywords: ['akcp'], pattern: 'AKCp[A-Za-z0-9]{69}', minEntropy: 4 }),
  token({
    id: 'jfrog-reference-token',
    title: 'JFrog access (reference) token',
    family,
    keywords: ['cmvmdgtuojaxo'],
    pattern: 'cmVmdGtuOjAxO[A-Za-z0-9]{51,80}',
    validate: validateJfrogReference,
  }),
  keyed({
    id: 'gradle-plugin-portal-secret',
    title: 'Gradle Plugin Portal publishing secret',
    family,
    keywords: ['gradle.publish.secret', 'gradle_publish_secret'],
    names: ['gradle[._]publish[._]secret'],
    value: '[A-Za-z0-9]{32}',
    minEntropy: 3.5,
  }),
  raw({
    id: 'bundler-credentials',
    title: 'Bundler private gem source credentials',
    family,
    keywords: ['bundle_'],
    source: 'BUNDLE_[A-Z0-9_]{1,100}__[A-Z]{2,10}[ \\t]{0,4}[=:][ \\t]{0,4}["\']?(?<secret>[A-Za-z0-9._%+-]{1,100}:[A-Za-z0-9._%+!-]{8,200})(?![A-Za-z0-9._%+!:-])',
    validate: validateBundler,
  }),
  keyed({
    id: 'quay-robot-token',
    title: 'Quay.io robot account token',
    family,
    keywords: ['quay'],
    names: ['quay[A-Za-z0-9_.-]{0,20}(?:token|password)'],
    value: '[A-Z0-9]{64}',
    minEntropy: 4,
  }),
  // nuget.config `<packageSourceCredentials>`: the password stored unencrypted. A `%VAR%`
  // value is an environment variable NuGet expands, not the password.
  raw({
    id: 'nuget-cleartext-password',
    title: 'NuGet feed password (nuget.config ClearTextPassword)',
    family,
    confidence: 'medium',
    keywords: ['cleartextpassword'],
    source: `<add[ \\t]{1,10}key[ \\t]{0,4}=[ \\t]{0,4}["']ClearTextPassword["'][ \\t]{1,10}value[ \\t]{0,4}=[ \\t]{0,4}(?<q>["'])(?<secret>[^"'\\r\\n]{1,200})\\k<q>`,
    flags: 'i',
    validate: (secret) => {
      const reason = decoyReason(secret);
      if (reason) return { status: 'invalid', note: reason };
      // nuget.config expands `%NAME%`; a `%` on its own is part of the password.
      return /%[A-Za-z_][A-Za-z0-9_]*%/.test(secret) ? { status: 'invalid', note: 'environment variable reference' } : { status: 'unknown' };
    },
  }),
];
