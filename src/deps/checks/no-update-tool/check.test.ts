import { describe, expect, it } from 'vitest';
import { findingsOf, LODASH_LOCK } from '../testing.js';

describe('no-update-tool', () => {
  it('no Dependabot and no Renovate: one finding listing the ecosystems', async () => {
    expect(await findingsOf('no-update-tool', { 'package-lock.json': LODASH_LOCK, 'Dockerfile': 'FROM node:22\n' })).toEqual([
      'Dockerfile:1 low no Dependabot or Renovate configuration: nothing proposes updates for npm (package-lock.json), docker (Dockerfile); add .github/dependabot.yml (or a Renovate config)',
    ]);
  });

  it('Dependabot without an ecosystem in use is reported on the Dependabot file', async () => {
    expect(await findingsOf('no-update-tool', {
      'package-lock.json': LODASH_LOCK,
      'go.mod': 'module x\n',
      '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n',
    })).toEqual(['.github/dependabot.yml:2 low Dependabot does not update gomod (go.mod); add an `updates` entry per ecosystem (or use Renovate) so fixes for vulnerable versions arrive as pull requests']);
  });

  it('Renovate, or Dependabot covering everything, or nothing to update: no finding', async () => {
    expect(await findingsOf('no-update-tool', { 'package-lock.json': LODASH_LOCK, 'renovate.json': '{}' })).toEqual([]);
    expect(await findingsOf('no-update-tool', { 'package-lock.json': LODASH_LOCK, '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n' })).toEqual([]);
    expect(await findingsOf('no-update-tool', { 'README.md': 'hi' })).toEqual([]);
  });
});
