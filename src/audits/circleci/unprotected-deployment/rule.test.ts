import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

const JOBS = `
jobs:
  build:
    docker: [{ image: cimg/base:2024.01 }]
    steps: [checkout, { run: make }]
  publish:
    docker: [{ image: cimg/node:20.11 }]
    steps:
      - checkout
      - run: npm publish
  release-notes:
    docker: [{ image: cimg/base:2024.01 }]
    steps: [checkout, { run: ./notes.sh }]
`;

describe('unprotected-deployment (circleci)', () => {
  it('flags a publishing job and a job named like a release that run on every branch', () => {
    expect(
      run({
        '.circleci/config.yml': `version: 2.1\n${JOBS}workflows:\n  main:\n    jobs:\n      - build\n      - publish:\n          context: npm\n          requires: [build]\n      - release-notes\n`,
      }),
    ).toEqual([
      '.circleci/config.yml:19:9-19:16 medium/medium job "publish" in workflow "main" runs "npm publish" and runs for a push to any branch with no approval job before it; restrict it with filters (branches: only: [main] or a tags filter) and require a type: approval job',
      '.circleci/config.yml:22:9-22:22 medium/low job "release-notes" in workflow "main" is named "release-notes" and runs for a push to any branch with no approval job before it; restrict it with filters (branches: only: [main] or a tags filter) and require a type: approval job',
    ]);
  });

  it('accepts branch and tag filters, approval jobs upstream, filtered upstream jobs and workflow conditions', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          parameters:
            do-release: { type: boolean, default: false }
          ${JOBS.replace(/\n/g, '\n          ')}
          workflows:
            a:
              jobs:
                - publish:
                    filters:
                      branches: { only: [main] }
            b:
              jobs:
                - hold: { type: approval }
                - publish: { requires: [hold] }
            c:
              jobs:
                - build:
                    filters: { branches: { ignore: /.*/ }, tags: { only: /^v.*/ } }
                - publish:
                    requires: [build]
                    filters: { tags: { only: /^v.*/ } }
            d:
              when: << pipeline.parameters.do-release >>
              jobs: [publish]
            e:
              when:
                equal: [main, << pipeline.git.branch >>]
              jobs: [release-notes]
        `,
      }),
    ).toEqual([]);
  });

  it('still flags when a branch filter admits arbitrary branches or the workflow condition excludes only main', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          ${JOBS.replace(/\n/g, '\n          ')}
          workflows:
            a:
              jobs:
                - publish:
                    filters: { branches: { only: /.*/ } }
            b:
              unless:
                equal: [main, << pipeline.git.branch >>]
              jobs: [publish]
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:19:9-19:16 medium/medium job "publish" in workflow "a" runs "npm publish" and runs for a push to any branch with no approval job before it; restrict it with filters (branches: only: [main] or a tags filter) and require a type: approval job',
      '.circleci/config.yml:24:12-24:19 medium/medium job "publish" in workflow "b" runs "npm publish" and runs for a push to any branch with no approval job before it; restrict it with filters (branches: only: [main] or a tags filter) and require a type: approval job',
    ]);
  });
});
