import { describe, expect, it } from 'vitest';
import { findingsOf } from '../testing.js';

describe('malicious-dependency', () => {
  it('flags shipped hijacked releases and MAL- advisories once, naming the incident and the advisory', async () => {
    const lock = `lockfileVersion: '9.0'

packages:

  '@ctrl/tinycolor@4.1.1':
    resolution: {integrity: sha512-a}

  '@ctrl/tinycolor@4.2.0':
    resolution: {integrity: sha512-b}

  eslint-config-prettier@10.1.7:
    resolution: {integrity: sha512-c}
`;
    expect(await findingsOf('malicious-dependency', { 'pnpm-lock.yaml': lock })).toEqual([
      'pnpm-lock.yaml:5 critical @ctrl/tinycolor 4.1.1 is a malicious release (Shai-Hulud worm: postinstall payload ran TruffleHog for tokens and republished the victims\' packages, published 2025-09-14; https://github.com/scttcper/tinycolor/issues/257): remove it, reinstall from a clean lockfile and rotate every credential the machines that installed it could read',
      'pnpm-lock.yaml:11 critical eslint-config-prettier 10.1.7 is a malicious release (Phished maintainer token: eslint-config-prettier and eslint-plugin-prettier releases dropped a Windows DLL (CVE-2025-54313), published 2025-07-18; https://github.com/prettier/eslint-config-prettier/issues/339; MAL-2025-6022): remove it, reinstall from a clean lockfile and rotate every credential the machines that installed it could read',
    ]);
  });

  it('a MAL- advisory alone (not in the shipped list) is reported; vulnerable-dependency leaves it', async () => {
    const files = { 'package-lock.json': '{"lockfileVersion": 3, "packages": {"node_modules/eslint-config-prettier": {"version": "8.10.1"}}}' };
    expect(await findingsOf('malicious-dependency', files)).toHaveLength(1);
    expect(await findingsOf('vulnerable-dependency', files)).toEqual([]);
  });

  it('names the privileged job that installs it', async () => {
    const rows = await findingsOf('malicious-dependency', {
      'package-lock.json': '{"lockfileVersion": 3, "packages": {"node_modules/chalk": {"version": "5.6.1"}}}',
      '.github/workflows/ci.yml': 'on: push\npermissions:\n  id-token: write\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci\n',
    });
    expect(rows).toEqual([expect.stringContaining('; installed by job "build" in .github/workflows/ci.yml, which holds id-token: write: treat those credentials as stolen')]);
  });
});
