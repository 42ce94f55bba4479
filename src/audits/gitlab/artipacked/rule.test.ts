import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('artipacked (gitlab)', () => {
  it('flags .git, credential files and the whole project folder', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          build:
            script: [make]
            artifacts:
              paths:
                - dist/
                - .git
                - config/.npmrc
                - ./
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:6:9-6:13 medium/high the artifacts of job "build" include the .git folder (the repository history; older runners also leave the job token in .git/config); anyone who can see the pipeline can download them (set artifacts:access: developer at least); list only the build outputs in artifacts:paths',
      '.gitlab-ci.yml:7:9-7:22 high/high the artifacts of job "build" include the credential file config/.npmrc; anyone who can see the pipeline can download them (set artifacts:access: developer at least); list only the build outputs in artifacts:paths',
      '.gitlab-ci.yml:8:9-8:11 medium/medium the artifacts of job "build" include the whole project folder, .git included; anyone who can see the pipeline can download them (set artifacts:access: developer at least); list only the build outputs in artifacts:paths',
    ]);
  });

  it('flags untracked: true when the job writes a credential file, lower when access is restricted', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          publish:
            script:
              - echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc
              - npm pack
            artifacts:
              access: developer
              untracked: true
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:7:16-7:20 medium/medium the artifacts of job "publish" include every untracked file, including .npmrc that the job writes; project members can download them; list only the build outputs in artifacts:paths',
    ]);
  });

  it('does not flag build outputs, .env.example, untracked without credential writes, or access: none', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          a:
            script: [make]
            artifacts:
              untracked: true
              paths: [dist/, .env.example, coverage/]
          b:
            script: [make]
            artifacts:
              access: none
              paths: [.git]
        `,
      }),
    ).toEqual([]);
  });
});
