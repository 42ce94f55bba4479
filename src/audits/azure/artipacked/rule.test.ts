import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('artipacked (azure)', () => {
  it('flags persisted credentials, high when the checkout is then published', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          jobs:
            - job: a
              steps:
                - checkout: self
                  persistCredentials: true
                - script: make
            - job: b
              steps:
                - checkout: self
                  persistCredentials: true
                - task: PublishPipelineArtifact@1
                  inputs:
                    targetPath: $(Build.SourcesDirectory)
                    artifact: src
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:5:29-5:33 medium/high checkout of "self" persists the job\'s access token in .git/config, where every later step and every tool it runs (build scripts, dependencies, tests of the checked-out code) can read it; remove persistCredentials: true unless a later step must push, and keep that step minimal',
      'azure-pipelines.yml:10:29-10:33 high/high checkout of "self" persists the job\'s access token in .git/config and step "PublishPipelineArtifact@1" publishes the whole checkout as an artifact: anyone who can download it gets the token; drop persistCredentials or publish only build outputs',
    ]);
  });

  it('$(Pipeline.Workspace)/s is the checkout too; other folders under the workspace are not', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - checkout: self
              persistCredentials: true
            - publish: $(Pipeline.Workspace)/s
              artifact: src
            - publish: $(Pipeline.Workspace)/out
              artifact: out
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:3:25-3:29 high/high checkout of "self" persists the job\'s access token in .git/config and step "publish: $(Pipeline.Workspace)/s" publishes the whole checkout as an artifact: anyone who can download it gets the token; drop persistCredentials or publish only build outputs',
    ]);
  });

  it('flags publishing .git on its own, and nothing for plain checkouts and output folders', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - checkout: self
              persistCredentials: false
            - publish: $(Build.SourcesDirectory)/.git
              artifact: history
            - publish: $(Build.ArtifactStagingDirectory)
              artifact: drop
            - task: PublishBuildArtifacts@1
              inputs:
                PathtoPublish: $(Build.SourcesDirectory)
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:4:14-4:44 medium/medium step "publish: $(Build.SourcesDirectory)/.git" publishes a .git directory as an artifact: it carries the full history (including removed secrets) and any credentials a tool wrote to .git/config; publish only build outputs',
    ]);
  });
});
