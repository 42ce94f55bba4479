import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const file = yaml`
  version: 2
  updates:
    - package-ecosystem: npm
      directory: /
      schedule:
        interval: weekly
    - package-ecosystem: github-actions
      directory: /
      schedule:
        interval: weekly
      cooldown:
        default-days: 1
    - package-ecosystem: pip
      directory: /py
      schedule:
        interval: daily
      cooldown:
        semver-major-days: 14
    - package-ecosystem: cargo
      directory: /
      schedule:
        interval: weekly
      cooldown:
        default-days: 7
    - package-ecosystem: docker
      directory: /
      schedule:
        interval: weekly
      open-pull-requests-limit: 0
`;

describe('dependabot-cooldown', () => {
  it('flags a missing cooldown (medium) and a short or default-less one (low); skips long cooldowns and security-only updates', () => {
    expect(summarize(auditFiles(rule, { '.github/dependabot.yml': file }))).toEqual([
      '.github/dependabot.yml:3:5-6:23 medium/high Dependabot update for npm in "/" has no cooldown, so a release is proposed the moment it is published, before a compromised version can be noticed and pulled; add cooldown: with default-days: 3 or more',
      '.github/dependabot.yml:12:21-12:22 low/high Dependabot update for github-actions in "/" waits only 1 day before proposing a new release; raise default-days to 3 or more',
      '.github/dependabot.yml:18:7-18:28 low/high Dependabot update for pip in "/py" sets a cooldown without default-days, so releases not covered by its semver-*-days are proposed at once; add default-days: 3 or more',
    ]);
  });

  it('honours min-days and validates it', () => {
    expect(summarize(auditFiles(rule, { '.github/dependabot.yml': file }, { 'min-days': 10 })).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      '.github/dependabot.yml:3:5-6:23 medium/high',
      '.github/dependabot.yml:12:21-12:22 low/high',
      '.github/dependabot.yml:18:7-18:28 low/high',
      '.github/dependabot.yml:24:21-24:22 low/high',
    ]);
    expect(() => auditFiles(rule, { '.github/dependabot.yml': file }, { 'min-days': 'three' })).toThrow(/min-days/);
    expect(() => auditFiles(rule, { '.github/dependabot.yml': file }, { days: 3 })).toThrow(/unknown option "days"/);
  });
});
