import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unverified-script-exec (circleci)', () => {
  it('flags curl | bash and download-then-run in jobs and commands', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          commands:
            install:
              steps:
                - run:
                    name: Install tool
                    command: curl -fsSL https://get.example.com/install.sh | sudo bash
          jobs:
            build:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - run: |
                    wget -O setup.sh https://example.com/setup.sh
                    cat << pipeline.git.branch >> /dev/null
                    bash setup.sh
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:7:20-7:77 medium/high run step "Install tool" in command "install" pipes a script downloaded with curl into bash without verifying it; download it to a file and check a pinned SHA-256 checksum or signature before running it',
      '.circleci/config.yml:15:11-15:24 medium/medium run step 1 in job "build" runs setup.sh, downloaded with wget, without verifying it; check a pinned SHA-256 checksum (sha256sum -c) or signature before running it',
    ]);
  });

  it('accepts a checksum check between download and run, and downloads that are not executed', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            build:
              docker: [{ image: cimg/base:2024.01 }]
              steps:
                - run: |
                    curl -fsSLo setup.sh https://example.com/setup.sh
                    echo "abc123  setup.sh" | sha256sum -c -
                    bash setup.sh
                - run: curl -fsSL https://example.com/data.json | jq .
        `,
      }),
    ).toEqual([]);
  });
});
