import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unpinned-uses (azure)', () => {
  it('flags template repositories on a branch, a tag or no ref, at the ref', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          resources:
            repositories:
              - repository: templates
                type: github
                name: org/templates
                endpoint: gh
                ref: refs/heads/main
              - repository: tagged
                type: git
                name: proj/tagged
                ref: refs/tags/v1
              - repository: floating
                type: github
                name: org/floating
                endpoint: gh
          extends:
            template: pipeline.yml@templates
          `,
      }),
    ).toEqual([
      'azure-pipelines.yml:7:12-7:27 high/high repository resource "templates" (org/templates) supplies template "pipeline.yml@templates" but follows the branch "refs/heads/main"; whoever can push there changes what this pipeline runs — pin ref: to a full commit SHA',
    ]);
    expect(
      run({
        'azure-pipelines.yml': yaml`
          resources:
            repositories:
              - repository: tagged
                type: git
                name: proj/tagged
                ref: refs/tags/v1
              - repository: floating
                type: github
                name: org/floating
                endpoint: gh
          steps:
            - template: steps.yml@tagged
            - template: steps.yml@floating
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:6:12-6:24 medium/high repository resource "tagged" (proj/tagged) supplies template "steps.yml@tagged" but is pinned to tag "refs/tags/v1", which can be moved; whoever can push there changes what this pipeline runs — pin ref: to a full commit SHA',
      'azure-pipelines.yml:7:19-7:27 high/high repository resource "floating" (org/floating) supplies template "steps.yml@floating" but has no ref: and follows the default branch; whoever can push there changes what this pipeline runs — pin ref: to a full commit SHA',
    ]);
  });

  it('accepts SHA-pinned template repositories and repositories only checked out', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          resources:
            repositories:
              - repository: templates
                type: github
                name: org/templates
                endpoint: gh
                ref: 0123456789abcdef0123456789abcdef01234567
              - repository: docs
                type: github
                name: org/docs
                endpoint: gh
          steps:
            - checkout: docs
            - template: steps.yml@templates
        `,
      }),
    ).toEqual([]);
  });

  it('flags marketplace tasks pinned by major version only, not built-in tasks', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - task: Bash@3
              inputs:
                targetType: inline
                script: make
            - task: SonarSource.sonarcloud.SonarCloudPrepare.SonarCloudPrepare@1
            - task: acme.tools.Scan@2.4.1
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:6:11-6:71 low/medium step "SonarSource.sonarcloud.SonarCloudPrepare.SonarCloudPrepare@1" runs marketplace task "SonarSource.sonarcloud.SonarCloudPrepare.SonarCloudPrepare@1" by major version only; the publisher can ship new code under it — pin the full version (SonarSource.sonarcloud.SonarCloudPrepare.SonarCloudPrepare@X.Y.Z) and review updates',
    ]);
  });
});
