import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('artipacked (bitbucket)', () => {
  it('flags .git and credential files in artifacts', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        name: Build
        artifacts:
          - dist/**
          - .git/**
          - .npmrc
    - step:
        name: Keys
        artifacts:
          paths:
            - deploy/*.pem
            - reports/*.xml
        script:
          - make
`),
    ).toEqual([
      "bitbucket-pipelines.yml:7:13-7:20 medium/high step \"Build\" publishes \".git/**\" as an artifact: the repository's .git directory (full history, including secrets removed from later commits, and any credentials written into .git/config) can be downloaded from the pipeline for 14 days by anyone who can read the repository; list only the build outputs",
      "bitbucket-pipelines.yml:8:13-8:19 high/high step \"Build\" publishes \".npmrc\" as an artifact, which holds npm registry tokens; artifacts can be downloaded from the pipeline for 14 days by anyone who can read the repository, so keep credential files out of them",
      "bitbucket-pipelines.yml:13:15-13:27 high/high step \"Keys\" publishes \"deploy/*.pem\" as an artifact, which holds private keys; artifacts can be downloaded from the pipeline for 14 days by anyone who can read the repository, so keep credential files out of them",
    ]);
  });

  it('ignores build outputs', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        artifacts:
          - dist/**
          - reports/*.xml
          - .gitignore
        script:
          - make
`),
    ).toEqual([]);
  });
});
