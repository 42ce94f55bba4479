import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('unpinned-uses (bitbucket)', () => {
  it('flags pipes without an exact version, docker:// pipes without digest and imports from branches', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        name: Ship
        script:
          - pipe: atlassian/aws-s3-deploy:1.1.0
          - pipe: atlassian/aws-s3-deploy:1
          - pipe: atlassian/slack-notify
          - pipe: docker://acme/pipe:2.0
          - pipe: docker://acme/pipe@sha256:${'b'.repeat(64)}
  custom:
    shared:
      import: shared-pipelines:main:build
    released:
      import: shared-pipelines:v1.2.0:build
`),
    ).toEqual([
      "bitbucket-pipelines.yml:7:19-7:44 medium/high step \"Ship\" runs pipe atlassian/aws-s3-deploy at \"1\", which moves to every new release in that line; pin an exact version (atlassian/aws-s3-deploy:1.x.y)",
      "bitbucket-pipelines.yml:8:19-8:41 high/high step \"Ship\" runs pipe atlassian/slack-notify without a version, so it gets whatever was published last; pin an exact version (atlassian/slack-notify:1.2.3)",
      "bitbucket-pipelines.yml:9:19-9:41 medium/high step \"Ship\" runs the pipe image \"acme/pipe:2.0\" by the tag \"2.0\", which can be re-pushed; pin it by digest (docker://acme/pipe:2.0@sha256:...)",
      "bitbucket-pipelines.yml:13:15-13:42 medium/medium import \"shared-pipelines:main:build\" runs pipeline \"build\" from the \"main\" branch of repository shared-pipelines, which can change without review here; import from a release tag instead",
    ]);
  });

  it('accepts exact versions and digests', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        script:
          - pipe: atlassian/aws-s3-deploy:1.1.0
          - pipe: docker://acme/pipe:2.0@sha256:${'d'.repeat(64)}
          - echo not a pipe
  custom:
    released:
      import: shared-pipelines:v1.2.0:build
`),
    ).toEqual([]);
  });
});
