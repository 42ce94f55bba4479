import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('variable-injection (azure)', () => {
  it('flags setvariable and prependpath fed by attacker-controlled data', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - bash: |
                echo "##vso[task.setvariable variable=msg]$MSG"
                echo "##vso[task.prependpath]$(Build.SourcesDirectory)/$(System.PullRequest.SourceBranch)"
                echo "##vso[task.setvariable variable=sub]$(git log -1 --format=%s)"
              env:
                MSG: $(Build.SourceVersionMessage)
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:3:13-3:53 high/medium step "step 1" sets variable "msg" from $MSG (Build.SourceVersionMessage) with ##vso[task.setvariable]; later $(msg) macros substitute it into scripts and a line break in it issues further logging commands — validate it against a strict pattern first, or keep it in an env variable',
      'azure-pipelines.yml:4:13-4:96 high/high step "step 1" prepends $(System.PullRequest.SourceBranch) (System.PullRequest.SourceBranch) to PATH with ##vso[task.prependpath]; every later step then runs programs from a directory whose name an attacker chooses — use a fixed path',
      'azure-pipelines.yml:5:13-5:74 high/medium step "step 1" sets variable "sub" from $(git log -1 --format=%s) (the commit message) with ##vso[task.setvariable]; later $(sub) macros substitute it into scripts and a line break in it issues further logging commands — validate it against a strict pattern first, or keep it in an env variable',
    ]);
  });

  it('flags printing a multi-line attacker value to the log, not branch names or files', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - pwsh: |
                Write-Host "Commit: $env:BUILD_SOURCEVERSIONMESSAGE"
                Write-Host "Branch: $env:BUILD_SOURCEBRANCHNAME"
            - bash: |
                echo "$BUILD_SOURCEVERSIONMESSAGE" > message.txt
                echo '$BUILD_SOURCEVERSIONMESSAGE'
                echo "$(echo hi)"
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:3:7-3:59 medium/medium step "step 1" prints "BUILD_SOURCEVERSIONMESSAGE" (Build.SourceVersionMessage) to the log; the agent runs every "##vso[" line a job prints, so that text can set variables or prepend PATH for later steps — print it only after removing "##vso[" (or not at all)',
    ]);
  });

  it('does not flag constant or trusted values', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - bash: |
                echo "##vso[task.setvariable variable=ver]1.2.3"
                echo "##vso[task.prependpath]$(Agent.ToolsDirectory)/bin"
                echo "##vso[task.setvariable variable=id]$(Build.BuildId)"
        `,
      }),
    ).toEqual([]);
  });
});
