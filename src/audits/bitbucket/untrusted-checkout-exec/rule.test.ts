import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('untrusted-checkout-exec (bitbucket)', () => {
  it('flags self-hosted runners, OIDC and deployment variables in pull request pipelines', () => {
    expect(
      run(`pipelines:
  pull-requests:
    '**':
      - step:
          name: Test
          runs-on:
            - self.hosted
            - linux
          oidc: true
          script:
            - make test
      - step:
          name: Preview
          deployment: test
          script:
            - ./preview.sh
      - step:
          name: Prod
          trigger: manual
          deployment: production
          script:
            - ./deploy.sh
  branches:
    main:
      - step:
          runs-on: self.hosted
          oidc: true
          script:
            - make
`),
    ).toEqual([
      "bitbucket-pipelines.yml:7:15-7:26 high/medium step \"Test\" runs unreviewed pull request code on a self-hosted runner (runs-on: self.hosted, linux), where it can persist and reach what later jobs on that machine use; run pull request builds on Bitbucket Cloud runners or on ephemeral, isolated runners",
      "bitbucket-pipelines.yml:9:17-9:21 medium/medium step \"Test\" gets an OIDC token (oidc: true) while running unreviewed pull request code; make sure the cloud roles that trust this repository require a protected branch or deployment environment claim, or drop oidc from pull request pipelines",
      "bitbucket-pipelines.yml:14:23-14:27 medium/medium step \"Preview\" receives the deployment variables of \"test\" while running unreviewed pull request code; deploy from protected branches only",
      "bitbucket-pipelines.yml:20:23-20:33 high/medium step \"Prod\" receives the deployment variables of \"production\" while running unreviewed pull request code (after a manual trigger, which approves the pipeline, not the code); deploy from protected branches only",
    ]);
  });

  it('ignores plain pull request builds and privileged protected pipelines', () => {
    expect(
      run(`pipelines:
  pull-requests:
    '**':
      - step:
          script:
            - make test
  branches:
    main:
      - step:
          runs-on: self.hosted
          oidc: true
          deployment: production
          script:
            - make
`),
    ).toEqual([]);
  });
});
