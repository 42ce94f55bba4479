import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('template-injection (azure)', () => {
  it('flags a PR source branch macro in a script, at the macro; with no pr: key the PR build is only the default (medium confidence, noted at the top)', () => {
    const findings = auditFiles(rule, {
      'azure-pipelines.yml': yaml`
        pool:
          vmImage: ubuntu-latest
        steps:
          - script: |
              echo "Building $(System.PullRequest.SourceBranch)"
            displayName: Announce
      `,
    });
    expect(summarize(findings)).toEqual([
      'azure-pipelines.yml:5:22-5:56 medium/medium "$(System.PullRequest.SourceBranch)" is attacker-controlled (the pull request author names the source branch) and is substituted into the script of step "Announce" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
      '1:1 no pr: key here, so Azure builds every pull request when the repository is on GitHub or Bitbucket (Azure Repos builds pull requests only under a build-validation branch policy); pr: none turns it off',
    ]);
  });

  it('keeps high confidence when an explicit pr: trigger says pull requests are built', () => {
    const findings = auditFiles(rule, {
      'azure-pipelines.yml': yaml`
        pr:
          branches:
            include: [main, release/*]
        pool:
          vmImage: ubuntu-latest
        steps:
          - script: echo "Building $(System.PullRequest.SourceBranch)"
            displayName: Announce
      `,
    });
    expect(summarize(findings)).toEqual([
      'azure-pipelines.yml:7:28-7:62 medium/high "$(System.PullRequest.SourceBranch)" is attacker-controlled (the pull request author names the source branch) and is substituted into the script of step "Announce" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
    expect(findings[0]!.related).toEqual([]);
  });

  it('does not flag the env mapping read as "$VAR", or values an outsider cannot choose', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          trigger: [main]
          steps:
            - bash: echo "$BRANCH $SYSTEM_PULLREQUEST_SOURCEBRANCH"
              env:
                BRANCH: $(System.PullRequest.SourceBranch)
            - script: echo $(Build.SourceBranchName) $(Build.BuildId) $(System.PullRequest.TargetBranch)
            - script: echo \${{ eq(variables['Build.SourceBranch'], 'refs/heads/main') }}
        `,
      }),
    ).toEqual([]);
  });

  it('follows variables and template parameters, and raises severity for privileged jobs', () => {
    const findings = auditFiles(rule, {
      'azure-pipelines.yml': yaml`
        variables:
          - group: deploy-secrets
          - name: msg
            value: $(Build.SourceVersionMessage)
        jobs:
          - job: build
            steps:
              - template: ci/notify.yml
                parameters:
                  text: $(msg)
      `,
      'ci/notify.yml': yaml`
        parameters:
          - name: text
            type: string
        steps:
          - task: AzureCLI@2
            inputs:
              azureSubscription: prod
              scriptType: pscore
              scriptLocation: inlineScript
              inlineScript: Write-Host "\${{ parameters.text }}"
      `,
    });
    expect(summarize(findings)).toEqual([
      'ci/notify.yml:10:33-10:55 high/medium "${{ parameters.text }}" (carrying Build.SourceVersionMessage) is attacker-controlled (the commit author writes the commit message) and is substituted into the "inlineScript" input of AzureCLI@2 of step "AzureCLI@2" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
    expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine}:${r.message}`)).toEqual([
      'azure-pipelines.yml:10:parameter "text" of template "ci/notify.yml" is given attacker-controlled data here',
      'azure-pipelines.yml:4:variable "msg" is set from attacker-controlled data here',
      'azure-pipelines.yml:2:the job has variable group "deploy-secrets"',
      'ci/notify.yml:7:the job has service connection "prod" (AzureCLI@2)',
    ]);
  });

  it('flags free-form queue-time parameters but not typed or restricted ones', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          trigger: none
          pr: none
          parameters:
            - name: version
              type: string
            - name: count
              type: number
              default: 1
            - name: flavour
              type: string
              default: debug
              values: [debug, release]
          steps:
            - pwsh: ./build.ps1 -Version \${{ parameters.version }} -Count \${{ parameters.count }} -Flavour \${{ parameters.flavour }}
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:14:32-14:57 medium/medium "${{ parameters.version }}" is attacker-controlled (anyone who can queue a run sets it) and is substituted into the script of step "step 1" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
  });

  it('only counts branch names when the trigger lets a pusher choose them', () => {
    const pipeline = (trigger: string) => yaml`
      ${trigger}
      pr: none
      steps:
        - bash: git tag "v-$(Build.SourceBranchName)"
    `;
    expect(run({ 'azure-pipelines.yml': pipeline('trigger: [main, release]') })).toEqual([]);
    expect(run({ 'azure-pipelines.yml': pipeline('trigger: [main, feature/*]') })).toEqual([
      'azure-pipelines.yml:4:22-4:47 low/medium "$(Build.SourceBranchName)" is attacker-controlled (whoever pushes a branch or tag names it) and is substituted into the script of step "step 1" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
  });

  it('lowers confidence for PR-only values when pr: none', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          pr: none
          steps:
            - script: echo $(System.PullRequest.SourceBranch)
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:3:18-3:52 medium/low "$(System.PullRequest.SourceBranch)" is attacker-controlled (the pull request author names the source branch) and is substituted into the script of step "step 1" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
  });

  it('flags eval and bash -c re-parsing a tainted env variable, but not single-quoted use', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - bash: |
                eval "echo $MSG"
                bash -c 'echo "$MSG"'
                echo "$MSG" | wc -c
              env:
                MSG: $(Build.SourceVersionMessage)
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:3:18-3:22 medium/medium "MSG" carries Build.SourceVersionMessage (the commit author writes the commit message) and eval in step "step 1" re-parses it as code; pass it as an argument or compare it as data instead',
    ]);
  });

  it('follows ##vso[task.setvariable] from an earlier step', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - bash: echo "##vso[task.setvariable variable=title]$(Build.RequestedFor)"
            - bash: echo "$(title)"
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:2:55-2:76 medium/high "$(Build.RequestedFor)" is attacker-controlled (the user who triggered the run chooses their display name) and is substituted into the script of step "step 1" before it runs; map it to an env: variable and read "$VAR" instead',
      'azure-pipelines.yml:3:17-3:25 medium/medium "$(title)" (carrying Build.RequestedFor) is attacker-controlled (the user who triggered the run chooses their display name) and is substituted into the script of step "step 2" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
  });

  it('follows a field of an object parameter into the template script', () => {
    const files = (field: string) => ({
      'azure-pipelines.yml': yaml`
        steps:
          - template: notify.yml
            parameters:
              cfg:
                title: $(Build.SourceVersionMessage)
                channel: builds
      `,
      'notify.yml': yaml`
        parameters:
          - name: cfg
            type: object
        steps:
          - bash: echo "\${{ parameters.cfg.${field} }}"
            displayName: notify
      `,
    });
    expect(run(files('title'))).toEqual([
      'notify.yml:5:17-5:44 medium/medium "${{ parameters.cfg.title }}" (carrying Build.SourceVersionMessage) is attacker-controlled (the commit author writes the commit message) and is substituted into the script of step "notify" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
    expect(run(files('channel'))).toEqual([]);
  });

  it('ignores inline inputs of tasks set to run a file', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - task: Bash@3
              inputs:
                targetType: filePath
                filePath: build.sh
                script: echo $(System.PullRequest.SourceBranch)
        `,
      }),
    ).toEqual([]);
  });

  it('trigger: none without pr: (a manual pipeline, PR-built only on GitHub/Bitbucket hosts): low confidence, the note at trigger: none; Azure Repos (self type: git) likewise low', () => {
    const body = yaml`
      steps:
        - script: echo "Validating $(System.PullRequest.SourceBranch)"
          displayName: validate
    `;
    const manual = auditFiles(rule, { 'azure-pipelines.yml': `trigger: none\n${body}` });
    expect(summarize(manual)).toEqual([
      'azure-pipelines.yml:3:30-3:64 medium/low "$(System.PullRequest.SourceBranch)" is attacker-controlled (the pull request author names the source branch) and is substituted into the script of step "validate" before it runs; map it to an env: variable and read "$VAR" instead',
    ]);
    expect(manual[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
      '1:10 trigger: none turns off CI builds only: with no pr: key, Azure still builds every pull request when the repository is on GitHub or Bitbucket (on Azure Repos only a build-validation branch policy does); add pr: none if this pipeline is meant to run only when queued or scheduled',
    ]);
    const azureRepos = auditFiles(rule, { 'azure-pipelines.yml': `resources:\n  repositories:\n    - repository: self\n      type: git\n${body}` });
    expect(summarize(azureRepos).map((l) => l.split(' "')[0])).toEqual(['azure-pipelines.yml:6:30-6:64 medium/low']);
    expect(azureRepos[0]!.related).toEqual([]);
    const ci = auditFiles(rule, { 'azure-pipelines.yml': `trigger: [main]\n${body}` });
    expect(summarize(ci).map((l) => l.split(' "')[0])).toEqual(['azure-pipelines.yml:3:30-3:64 medium/medium']);
  });

  it('a PR-only value re-parsed by eval is low confidence where outsiders cannot open PRs (pr: none, Azure Repos self), medium under an explicit pr:', () => {
    const body = yaml`
      steps:
        - bash: eval "echo $BRANCH"
          env:
            BRANCH: $(System.PullRequest.SourceBranch)
    `;
    const conf = (head: string) => auditFiles(rule, { 'azure-pipelines.yml': `${head}\n${body}` }).filter((f) => f.message.includes('re-parses')).map((f) => `${f.location.startLine} ${f.severity}/${f.confidence}`);
    expect(conf('pr: [main]')).toEqual(['3 medium/medium']);
    expect(conf('pr: none')).toEqual(['3 medium/low']);
    expect(conf('resources:\n  repositories:\n    - repository: self\n      type: git')).toEqual(['6 medium/low']);
  });
});
