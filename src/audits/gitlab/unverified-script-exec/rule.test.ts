import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unverified-script-exec (gitlab)', () => {
  it('flags curl | sh, and a download run in a later script line', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        setup:
          before_script:
            - curl -fsSL https://get.example.com | bash
          script:
            - wget -O install.sh https://example.com/install.sh
            - chmod +x install.sh
            - ./install.sh
      `,
    });
    expect(summarize(findings)).toEqual([
      '.gitlab-ci.yml:3:7-3:48 medium/high the before_script of job "setup" pipes a script downloaded with curl into bash without verifying it; download it to a file and check a pinned SHA-256 checksum or signature before running it',
      '.gitlab-ci.yml:7:7-7:19 medium/medium the script of job "setup" runs install.sh, downloaded with wget, without verifying it; check a pinned SHA-256 checksum (sha256sum -c) or signature before running it',
    ]);
    expect(findings[1]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['5:downloaded here with wget']);
  });

  it('does not flag a checksum-verified download', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          setup:
            script:
              - curl -fsSLo tool.sh https://example.com/tool.sh
              - echo "abc123  tool.sh" | sha256sum -c -
              - sh tool.sh
        `,
      }),
    ).toEqual([]);
  });
});
