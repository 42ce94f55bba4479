import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('untrusted-checkout-exec (azure)', () => {
  it('flags PR builds on a self-hosted pool, at the job', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          pool: build-agents
          jobs:
            - job: test
              steps:
                - script: make test
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:3:10-3:14 high/medium job "test" checks out and runs pull-request code on self-hosted pool "build-agents"; a fork\'s build scripts run on your machine and can persist there or reach its network — build PRs on Microsoft-hosted agents or exclude them with a condition on Build.Reason',
    ]);
  });

  it('flags PR builds that hold secrets, at the explicit checkout', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          pr:
            branches:
              include: [main]
          variables:
            - group: npm-publish
          steps:
            - checkout: self
            - script: npm ci && npm test
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:7:15-7:19 medium/low job "Job" checks out and runs pull-request code with variable group "npm-publish"; builds of same-repository branches (and of forks when "Make secrets available to builds of forks" is on) give that code the secrets — keep secrets out of PR jobs or exclude PRs with a condition on Build.Reason',
    ]);
  });

  it('does not flag pr: none, hosted pools without secrets, conditions that exclude PRs, or checkout: none', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          pr: none
          pool: build-agents
          steps:
            - script: make
        `,
      }),
    ).toEqual([]);
    expect(
      run({
        'azure-pipelines.yml': yaml`
          pool:
            vmImage: ubuntu-latest
          variables:
            - group: secrets
            - name: isMain
              value: $[eq(variables['Build.SourceBranch'], 'refs/heads/main')]
          jobs:
            - job: plain
              variables: []
              steps:
                - checkout: none
                - script: ./deploy.sh
            - job: guarded
              condition: and(succeeded(), eq(variables.isMain, true))
              steps:
                - script: ./publish.sh
            - \${{ if ne(variables['Build.Reason'], 'PullRequest') }}:
              - job: release
                steps:
                  - script: ./release.sh
        `,
      }),
    ).toEqual([]);
  });
});
