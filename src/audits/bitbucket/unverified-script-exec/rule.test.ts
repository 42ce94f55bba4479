import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('unverified-script-exec (bitbucket)', () => {
  it('flags curl | bash and a downloaded file run in a later script item', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        name: Tools
        script:
          - curl -sSL https://get.example.com/install.sh | bash
          - curl -fsSLo tool.sh https://example.com/tool.sh && echo "\${SUM}  tool.sh" | sha256sum -c && bash tool.sh
          - wget https://example.com/setup.sh
          - sh setup.sh
`),
    ).toEqual([
      "bitbucket-pipelines.yml:6:13-6:64 medium/high step \"Tools\" pipes a script downloaded with curl into bash without verifying it; download it to a file and check a pinned SHA-256 checksum or signature before running it",
      "bitbucket-pipelines.yml:9:13-9:24 medium/medium step \"Tools\" runs setup.sh, downloaded with wget, without verifying it; check a pinned SHA-256 checksum (sha256sum -c) or signature before running it",
    ]);
  });

  it('accepts a checksum check before running, and downloads that are not executed', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        script:
          - curl -fsSLo tool.sh https://example.com/tool.sh
          - echo "\${SUM}  tool.sh" | sha256sum -c
          - bash tool.sh
          - curl -sSL https://example.com/data.json | jq .
`),
    ).toEqual([]);
  });
});
