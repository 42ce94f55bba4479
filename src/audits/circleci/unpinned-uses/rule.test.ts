import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unpinned-uses (circleci)', () => {
  it('flags volatile, dev: and range versions, split by namespace', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          orbs:
            node: circleci/node@5
            aws: circleci/aws-cli@4.1
            slack: circleci/slack@volatile
            tools: acme/tools@dev:alpha
            helper: acme/helper@2
            edge: acme/edge@volatile
            url: https://example.com/orbs/tool.yml
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:3:9-3:24 low/high orb "node" is imported as circleci/node@5, a version range that follows every new 5.x release; pin an exact version (@X.Y.Z); published orb versions are immutable',
      '.circleci/config.yml:4:8-4:28 low/high orb "aws" is imported as circleci/aws-cli@4.1, a version range that follows every new 4.1.x release; pin an exact version (@X.Y.Z); published orb versions are immutable',
      '.circleci/config.yml:5:10-5:33 medium/high orb "slack" is imported as circleci/slack@volatile, which resolves to whatever CircleCI published last; pin an exact version (@X.Y.Z); published orb versions are immutable',
      '.circleci/config.yml:6:10-6:30 high/high orb "tools" is imported as acme/tools@dev:alpha, a development version that the "acme" namespace can overwrite at any time (and that expires after 90 days); pin an exact version (@X.Y.Z); published orb versions are immutable',
      '.circleci/config.yml:7:11-7:24 medium/high orb "helper" is imported as acme/helper@2, a version range that follows every new 2.x release; pin an exact version (@X.Y.Z); published orb versions are immutable',
      '.circleci/config.yml:8:9-8:27 high/high orb "edge" is imported as acme/edge@volatile, which resolves to whatever the "acme" namespace published last; pin an exact version (@X.Y.Z); published orb versions are immutable',
      '.circleci/config.yml:9:8-9:41 medium/medium orb "url" is imported as https://example.com/orbs/tool.yml, a URL orb whose content changes whenever the file at that address does; point it at an immutable address (a commit SHA) or publish it to the registry and pin an exact version',
    ]);
  });

  it('accepts exact versions, inline orbs and parameterised versions; checks orbs inside inline orbs', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          orbs:
            node: circleci/node@5.2.0
            other: acme/other@1.0.3
            local:
              orbs:
                inner: acme/inner@volatile
              commands:
                hi:
                  steps: [{ run: echo hi }]
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:7:14-7:33 high/high orb "inner" is imported as acme/inner@volatile, which resolves to whatever the "acme" namespace published last; pin an exact version (@X.Y.Z); published orb versions are immutable',
    ]);
  });
});
