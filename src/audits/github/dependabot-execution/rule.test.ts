import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const MSG = (eco: string, dir: string) =>
  `Dependabot update for ${eco} in "${dir}" sets insecure-external-code-execution: allow, so code in the dependency manifests runs during updates with access to the update's registry credentials; remove it (the default is deny)`;

describe('dependabot-execution', () => {
  it('flags insecure-external-code-execution: allow at the key, naming the registries it exposes', () => {
    const findings = auditFiles(rule, {
      '.github/dependabot.yml': yaml`
        version: 2
        registries:
          gems:
            type: rubygems-server
            url: https://gems.example.com
            token: \${{ secrets.GEMS_TOKEN }}
        updates:
          - package-ecosystem: bundler
            directory: /
            schedule:
              interval: weekly
            registries:
              - gems
            insecure-external-code-execution: allow
      `,
    });
    expect(summarize(findings)).toEqual([`.github/dependabot.yml:14:5-14:37 high/high ${MSG('bundler', '/')}`]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['13:registry credentials this update can use are exposed to that code']);
  });

  it('is medium confidence for ecosystems that do not honour the setting', () => {
    expect(
      run({
        '.github/dependabot.yml': yaml`
          version: 2
          updates:
            - package-ecosystem: npm
              directory: /web
              schedule:
                interval: daily
              insecure-external-code-execution: allow
        `,
      }),
    ).toEqual([`.github/dependabot.yml:7:5-7:37 high/medium ${MSG('npm', '/web')}`]);
  });

  it('ignores deny, absent keys and other files', () => {
    expect(
      run({
        '.github/dependabot.yml': yaml`
          version: 2
          updates:
            - package-ecosystem: pip
              directory: /
              schedule:
                interval: daily
              insecure-external-code-execution: deny
            - package-ecosystem: mix
              directory: /
              schedule:
                interval: daily
        `,
      }),
    ).toEqual([]);
  });

  it('keeps one finding per update entry with a stable fingerprint', () => {
    const a = auditFiles(rule, {
      '.github/dependabot.yml': yaml`
        version: 2
        updates:
          - package-ecosystem: pip
            directory: /
            insecure-external-code-execution: allow
          - package-ecosystem: pip
            directory: /docs
            insecure-external-code-execution: allow
      `,
    });
    expect(a).toHaveLength(2);
    expect(new Set(a.map((f) => f.fingerprint)).size).toBe(2);
  });
});
