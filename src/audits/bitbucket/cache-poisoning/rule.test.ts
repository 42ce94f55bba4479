import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('cache-poisoning (bitbucket)', () => {
  it('flags caches restored by release steps and saved by unreviewed pipelines', () => {
    expect(
      run(`definitions:
  caches:
    deps:
      key:
        files:
          - package-lock.json
      path: node_modules
  steps:
    - step: &build
        name: Build
        caches:
          - node
        script:
          - npm ci
pipelines:
  pull-requests:
    '**':
      - step: *build
  branches:
    main:
      - step: *build
      - step:
          name: Release
          deployment: production
          caches:
            - deps
            - pip
          script:
            - npm publish
  default:
    - step:
        caches:
          - deps
        script:
          - npm ci
`),
    ).toEqual([
      "bitbucket-pipelines.yml:12:13-12:17 medium/medium step \"Build\" runs in the branches \"main\" pipeline and restores cache \"node\", which the pull-requests \"**\" pipeline can save from unreviewed code (Bitbucket caches are shared by all branches); use a separate cache for release steps, or none",
      "bitbucket-pipelines.yml:26:15-26:19 high/medium step \"Release\" deploys to \"production\" and restores cache \"deps\", which the default pipeline can save from unreviewed code (Bitbucket caches are shared by all branches); use a separate cache for release steps, or none",
    ]);
  });

  it('ignores caches that only one side uses', () => {
    expect(
      run(`pipelines:
  pull-requests:
    '**':
      - step:
          caches:
            - node
          script:
            - npm ci
  branches:
    main:
      - step:
          deployment: production
          script:
            - npm ci
            - npm publish
`),
    ).toEqual([]);
  });
});
