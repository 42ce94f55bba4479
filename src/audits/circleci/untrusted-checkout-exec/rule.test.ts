import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('untrusted-checkout-exec (circleci)', () => {
  it('flags a context and a self-hosted runner on jobs that build every branch', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          executors:
            runner:
              machine: true
              resource_class: acme/linux-large
          jobs:
            test:
              docker: [{ image: cimg/node:20.11 }]
              steps: [checkout, { run: npm test }]
            e2e:
              executor: runner
              steps: [checkout, { run: make e2e }]
          workflows:
            ci:
              jobs:
                - test:
                    context: [sonar, npm-read]
                - e2e
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:5:21-5:37 medium/low job "e2e" in workflow "ci" runs on the self-hosted runner resource class "acme/linux-large" and checks out and runs the code of every branch, including pull requests from forks (built as pull/123); keep it to protected branches with filters, or build untrusted code on CircleCI\'s ephemeral machines',
      '.circleci/config.yml:17:21-17:26 medium/low job "test" in workflow "ci" receives the secrets of context "sonar", "npm-read" and checks out and runs the code of every branch, including pull requests from forks (built as pull/123) if "Pass secrets to builds from forked pull requests" is on; keep it to protected branches with filters, or restrict the context to them',
    ]);
  });

  it('accepts filtered jobs, approval-gated jobs, jobs without checkout, and cloud resource classes', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            test:
              docker: [{ image: cimg/node:20.11 }]
              resource_class: large
              steps: [checkout, { run: npm test }]
            notify:
              docker: [{ image: cimg/base:2024.01 }]
              steps: [{ run: ./notify.sh }]
          workflows:
            ci:
              jobs:
                - test:
                    context: sonar
                    filters:
                      branches:
                        ignore: /pull\\/[0-9]+/
                - notify:
                    context: slack
                - hold: { type: approval }
                - test:
                    name: test-gated
                    context: sonar
                    requires: [hold]
        `,
      }),
    ).toEqual([]);
  });
});
