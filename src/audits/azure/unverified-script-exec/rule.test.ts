import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unverified-script-exec (azure)', () => {
  it('flags pipes into a shell in scripts and inline task scripts', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - bash: curl -fsSL https://get.example.com/install.sh | bash
            - task: PowerShell@2
              inputs:
                targetType: inline
                script: iex (iwr https://example.com/setup.ps1)
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:2:11-2:63 medium/high step "step 1" pipes a script downloaded with curl into bash without verifying it; download it to a file and check a pinned SHA-256 checksum or signature before running it',
      'azure-pipelines.yml:6:15-6:54 medium/high step "PowerShell@2" runs a script downloaded with iwr through iex without verifying it; download it to a file and check a pinned SHA-256 checksum or signature before running it',
    ]);
  });

  it('does not flag verified downloads or downloads that are only parsed', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - bash: |
                curl -fsSLo install.sh https://example.com/v1/install.sh
                echo "abc123  install.sh" | sha256sum -c -
                bash install.sh
                curl -fsSL https://example.com/data.json | jq .
        `,
      }),
    ).toEqual([]);
  });
});
