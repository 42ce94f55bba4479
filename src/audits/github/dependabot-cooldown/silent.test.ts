import { describe, expect, it } from 'vitest';
import { auditFiles, yaml } from '../testing.js';
import { rule } from './rule.js';

describe('dependabot-cooldown: silent', () => {
  it('reports nothing when every ecosystem waits long enough', () => {
    const text = yaml`
      version: 2
      updates:
        - package-ecosystem: npm
          directory: /
          schedule:
            interval: weekly
          cooldown:
            default-days: 7
        - package-ecosystem: github-actions
          directory: /
          schedule:
            interval: weekly
          cooldown:
            default-days: 3
    `;
    expect(auditFiles(rule, { '.github/dependabot.yml': text })).toEqual([]);
  });
});
