import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const D = 'a'.repeat(64);

describe('unpinned-images (circleci)', () => {
  it('grades images in jobs and executors by how far their reference can move', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          executors:
            py:
              docker:
                - image: python
          jobs:
            build:
              docker:
                - image: cimg/node:20.11
                - image: postgres:16.2
                - image: redis:latest
              steps: [checkout]
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:5:16-5:22 high/high executor "py" runs in python, which has no tag and pulls whatever "latest" is at run time; pin it by digest (image@sha256:...)',
      '.circleci/config.yml:9:16-9:31 low/high job "build" runs in cimg/node:20.11, a CircleCI convenience image whose tag "20.11" CircleCI rebuilds for security patches; pin it by digest (image@sha256:...)',
      '.circleci/config.yml:10:16-10:29 medium/high job "build" starts the service container postgres:16.2, whose tag "16.2" the publisher can re-point at a different build; pin it by digest (image@sha256:...)',
      '.circleci/config.yml:11:16-11:28 high/high job "build" starts the service container redis:latest, whose tag "latest" is a channel that moves to new builds; pin it by digest (image@sha256:...)',
    ]);
  });

  it('accepts digests, resolves parameter defaults, skips what it cannot resolve', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          executors:
            node:
              parameters:
                tag: { type: string, default: "20.1" }
              docker:
                - image: node:<< parameters.tag >>
          jobs:
            a:
              docker:
                - image: cimg/base:2024.01@sha256:${D}
                - image: << pipeline.parameters.img >>
              steps: [checkout]
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:7:16-7:41 medium/medium executor "node" runs in node:20.1, whose tag "20.1" the publisher can re-point at a different build; pin it by digest (image@sha256:...)',
    ]);
  });
});
