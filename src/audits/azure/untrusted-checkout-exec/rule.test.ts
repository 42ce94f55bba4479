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
      'azure-pipelines.yml:3:10-3:14 high/low job "test" checks out and runs pull-request code on self-hosted pool "build-agents"; a fork\'s build scripts run on your machine and can persist there or reach its network — build PRs on Microsoft-hosted agents or exclude them with a condition on Build.Reason',
    ]);
  });

  it('no pr: key means PR builds by default (GitHub/Bitbucket hosts): low confidence and a note; an explicit pr: keeps medium', () => {
    const body = yaml`
      pool: build-agents
      jobs:
        - job: test
          steps:
            - script: make test
    `;
    const byDefault = auditFiles(rule, { 'azure-pipelines.yml': body });
    expect(byDefault.map((f) => `${f.severity}/${f.confidence}`)).toEqual(['high/low']);
    expect(byDefault[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
      '1:1 no pr: key here, so Azure builds every pull request when the repository is on GitHub or Bitbucket (Azure Repos builds pull requests only under a build-validation branch policy); pr: none turns it off',
      '1:7 the job has self-hosted pool "build-agents"',
    ]);
    const explicit = auditFiles(rule, { 'azure-pipelines.yml': `pr:\n  branches:\n    include: [main]\n${body}` });
    expect(summarize(explicit)).toEqual([
      'azure-pipelines.yml:6:10-6:14 high/medium job "test" checks out and runs pull-request code on self-hosted pool "build-agents"; a fork\'s build scripts run on your machine and can persist there or reach its network — build PRs on Microsoft-hosted agents or exclude them with a condition on Build.Reason',
    ]);
    expect(explicit[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
      '2:3 pull requests are built here',
      '4:7 the job has self-hosted pool "build-agents"',
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

  it('a variable group added only under ${{ if notin(Build.Reason, PullRequest) }}, an each-loop group name and an empty pool parameter are not PR privileges', () => {
    const files = {
      'azure-pipelines.yml': yaml`
        pr:
          branches:
            include: [main]
        parameters:
          - name: agentPool
            type: string
            default: ''
          - name: extraGroups
            type: object
            default: []
        variables:
          - name: internal
            value: false
          - \${{ if and(ne(variables['System.TeamProject'], 'public'), notin(variables['Build.Reason'], 'PullRequest', 'Manual')) }}:
            - group: signing-secrets
          - \${{ each g in parameters.extraGroups }}:
            - group: \${{ g }}
        jobs:
          - job: build
            pool: \${{ parameters.agentPool }}
            steps:
              - script: ./build.sh
      `,
    };
    expect(run(files)).toEqual([]);
    // The same group without the guard is a privilege PR code can reach.
    const unguarded = { 'azure-pipelines.yml': files['azure-pipelines.yml'].replace(/notin\(variables\['Build\.Reason'\], 'PullRequest', 'Manual'\)/, "eq(variables['Agent.OS'], 'Linux')") };
    expect(run(unguarded)).toEqual([
      'azure-pipelines.yml:19:10-19:15 medium/low job "build" checks out and runs pull-request code with variable group "signing-secrets"; builds of same-repository branches (and of forks when "Make secrets available to builds of forks" is on) give that code the secrets — keep secrets out of PR jobs or exclude PRs with a condition on Build.Reason',
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

  describe('trigger: none without pr: (reachable by PRs only on GitHub/Bitbucket hosts)', () => {
    const release = (head: string) =>
      `# Release build: queued by hand, never on pushes.\n${head}\n` +
      yaml`
      stages:
        - stage: Build
          pool: release-agents
          jobs:
            - job: compile
              steps:
                - script: ./build.cmd -ci
            - job: sign
              pool:
                vmImage: windows-latest
              steps:
                - script: ./build.cmd -sign
                - task: EsrpCodeSigning@5
                  inputs:
                    ConnectedServiceName: esrp-signing
        - stage: Docs
          jobs:
            - job: docs
              pool:
                vmImage: ubuntu-latest
              steps:
                - script: make docs
    `;

    it('host unknown: one low note at trigger: none naming what PR code would reach, no per-job claim', () => {
      const findings = auditFiles(rule, { 'release/azure-pipelines.yml': release('trigger: none') });
      expect(summarize(findings)).toEqual([
        'release/azure-pipelines.yml:2:10-2:14 low/low this pipeline turns off CI builds (trigger: none) but has no pr: key, so on a GitHub or Bitbucket repository Azure still builds every pull request, and 2 jobs would then run pull-request code with self-hosted pool "release-agents", service connection "esrp-signing" (EsrpCodeSigning@5); add pr: none if it is meant to run only when queued or scheduled',
      ]);
      expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '7:14 job "Build.compile" checks out the pipeline\'s repository',
        '10:14 job "Build.sign" checks out the pipeline\'s repository',
      ]);
    });

    it('declared Azure Repos self repository (type: git): PRs come only from project members, nothing to report', () => {
      const head = 'trigger: none\nresources:\n  repositories:\n    - repository: self\n      type: git\n      ref: main';
      expect(run({ 'release/azure-pipelines.yml': release(head) })).toEqual([]);
    });

    it('pr: none makes it manual-only; an explicit pr: keeps the per-job findings', () => {
      expect(run({ 'release/azure-pipelines.yml': release('trigger: none\npr: none') })).toEqual([]);
      expect(run({ 'release/azure-pipelines.yml': release('trigger: none\npr: [main]') })).toEqual([
        'release/azure-pipelines.yml:8:14-8:21 high/medium job "Build.compile" checks out and runs pull-request code on self-hosted pool "release-agents"; a fork\'s build scripts run on your machine and can persist there or reach its network — build PRs on Microsoft-hosted agents or exclude them with a condition on Build.Reason',
        'release/azure-pipelines.yml:11:14-11:18 medium/low job "Build.sign" checks out and runs pull-request code with service connection "esrp-signing" (EsrpCodeSigning@5); builds of same-repository branches (and of forks when "Make secrets available to builds of forks" is on) give that code the secrets — keep secrets out of PR jobs or exclude PRs with a condition on Build.Reason',
      ]);
    });
  });

  describe('service connections and conditions passed as template parameters (arcade-style eng/common templates)', () => {
    const token = yaml`
      parameters:
        - name: federatedServiceConnection
          type: string
        - name: signing
          type: object
          default: {}
      steps:
        - task: AzureCLI@2
          displayName: Get feed token
          inputs:
            azureSubscription: \${{ parameters.federatedServiceConnection }}
            scriptType: pscore
            scriptLocation: inlineScript
            inlineScript: az account get-access-token --output tsv
        - task: EsrpCodeSigning@5
          inputs:
            ConnectedServiceName: \${{ parameters.signing.serviceName }}
        - \${{ if notin(variables['Build.Reason'], 'PullRequest', 'Manual') }}:
          - task: AzureCLI@2
            displayName: Publish index
            inputs:
              azureSubscription: 'source-index-publish'
              scriptType: ps
              scriptLocation: inlineScript
              inlineScript: ./upload.ps1
    `;
    const job = yaml`
      parameters:
        serviceConnection: ''
        signing: {}
        condition: ''
        name: build
      jobs:
        - job: \${{ parameters.name }}
          condition: \${{ parameters.condition }}
          pool:
            vmImage: windows-latest
          steps:
            - script: eng/common/build.ps1 -restore -build -ci
            - template: /eng/common/steps/token.yml
              parameters:
                federatedServiceConnection: \${{ parameters.serviceConnection }}
                signing: \${{ parameters.signing }}
    `;
    const pipeline = (jobs: string) => `pr:\n  branches:\n    include: [main]\n` + yaml`
      trigger: none
      jobs:
    ` + jobs;

    it('names the connection the caller passes, through two templates, and a field of an object parameter', () => {
      const findings = auditFiles(rule, {
        'azure-pipelines.yml': pipeline(`  - template: /eng/common/job.yml\n    parameters:\n      serviceConnection: dnceng-feeds-read\n      signing:\n        serviceName: esrp-prod\n`),
        'eng/common/job.yml': job,
        'eng/common/steps/token.yml': token,
      });
      expect(summarize(findings)).toEqual([
        'eng/common/job.yml:7:10-7:32 medium/low job "${{ parameters.name }}" checks out and runs pull-request code with service connection "dnceng-feeds-read" (AzureCLI@2, given as a template parameter), service connection "esrp-prod" (EsrpCodeSigning@5, given as a template parameter); builds of same-repository branches (and of forks when "Make secrets available to builds of forks" is on) give that code the secrets — keep secrets out of PR jobs or exclude PRs with a condition on Build.Reason',
      ]);
      expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine} ${r.message}`).slice(1)).toEqual([
        'eng/common/steps/token.yml:11 the job has service connection "dnceng-feeds-read" (AzureCLI@2, given as a template parameter)',
        'eng/common/steps/token.yml:17 the job has service connection "esrp-prod" (EsrpCodeSigning@5, given as a template parameter)',
      ]);
    });

    it('follows a wrapper template that forwards all its parameters with ${{ each parameter in parameters }}', () => {
      const wrapper = yaml`
        parameters:
          - name: federatedServiceConnection
            type: string
            default: ''
        steps:
          - template: /eng/common/steps/token.yml
            parameters:
              \${{ each parameter in parameters }}:
                \${{ parameter.key }}: \${{ parameter.value }}
      `;
      const files = (connection: string) => ({
        'azure-pipelines.yml': pipeline(`  - job: restore\n    steps:\n      - template: /eng/common/wrappers/token.yml\n        parameters:\n          federatedServiceConnection: ${connection}\n`),
        'eng/common/wrappers/token.yml': wrapper,
        'eng/common/steps/token.yml': token,
      });
      expect(run(files('dnceng-feeds-read')).map((l) => l.replace(/; builds.*/, ''))).toEqual([
        'azure-pipelines.yml:6:10-6:17 medium/low job "restore" checks out and runs pull-request code with service connection "dnceng-feeds-read" (AzureCLI@2, given as a template parameter)',
      ]);
      expect(run(files("''"))).toEqual([]);
    });

    it('no connection when the caller passes none or leaves the object field out; a PR-excluding guard or a condition given as a parameter keeps the job out', () => {
      const files = (args: string) => ({
        'azure-pipelines.yml': pipeline(`  - template: /eng/common/job.yml\n    parameters:\n${args}`),
        'eng/common/job.yml': job,
        'eng/common/steps/token.yml': token,
      });
      expect(run(files(`      name: empty\n`))).toEqual([]);
      expect(run(files(`      serviceConnection: ''\n      signing:\n        keyVault: signing-kv\n`))).toEqual([]);
      expect(
        run(files(`      serviceConnection: dnceng-feeds-read\n      condition: and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))\n`)),
      ).toEqual([]);
      // Unresolvable (no caller value, no default): kept as written.
      expect(
        run({
          'azure-pipelines.yml': pipeline(`  - job: direct\n    steps:\n      - template: /eng/common/steps/token.yml\n`),
          'eng/common/steps/token.yml': token,
        }).map((l) => l.replace(/; builds.*/, '')),
      ).toEqual([
        'azure-pipelines.yml:6:10-6:16 medium/low job "direct" checks out and runs pull-request code with service connection "${{ parameters.federatedServiceConnection }}" (AzureCLI@2)',
      ]);
    });
  });
});
