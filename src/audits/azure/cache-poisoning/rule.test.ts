import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('cache-poisoning (azure)', () => {
  it('flags a release job on the self-hosted pool that also builds pull requests', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          jobs:
            - job: build
              pool: shared-agents
              steps:
                - script: make
            - deployment: release
              pool:
                name: shared-agents
              environment: prod
              strategy:
                runOnce:
                  deploy:
                    steps:
                      - script: ./release.sh
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:8:7-8:26 medium/low deployment job "release" releases from self-hosted pool "shared-agents", where job "build" builds pull requests; what a PR build leaves on those agents (tool caches, package caches, Docker layers, files outside the workspace) is picked up by the release — give releases their own pool or use agents reimaged after every job',
    ]);
  });

  it('does not flag separate pools, hosted agents, or pipelines that do not build PRs', () => {
    const pipeline = (pr: string, buildPool: string) => `${pr}\n` + yaml`
      jobs:
        - job: build
          pool: ${buildPool}
          steps:
            - script: make
        - deployment: release
          pool: release-agents
          environment: prod
          strategy:
            runOnce:
              deploy:
                steps:
                  - script: ./release.sh
    `;
    expect(run({ 'azure-pipelines.yml': pipeline('', 'build-agents') })).toEqual([]);
    expect(run({ 'azure-pipelines.yml': pipeline('pr: none', 'release-agents') })).toEqual([]);
    expect(run({ 'azure-pipelines.yml': pipeline('', 'Azure Pipelines') })).toEqual([]);
    // Azure Repos (self declared type: git): only project members open pull requests.
    const azureRepos = 'resources:\n  repositories:\n    - repository: self\n      type: git';
    expect(run({ 'azure-pipelines.yml': pipeline(azureRepos, 'release-agents') })).toEqual([]);
    expect(run({ 'azure-pipelines.yml': pipeline(azureRepos.replace('type: git', 'type: github'), 'release-agents') })).toEqual([
      'azure-pipelines.yml:11:11-11:25 medium/low deployment job "release" releases from self-hosted pool "release-agents", where job "build" builds pull requests; what a PR build leaves on those agents (tool caches, package caches, Docker layers, files outside the workspace) is picked up by the release — give releases their own pool or use agents reimaged after every job',
    ]);
  });
});
