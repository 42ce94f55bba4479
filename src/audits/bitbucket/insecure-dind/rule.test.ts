import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('insecure-dind (bitbucket)', () => {
  it('flags privileged docker on self-hosted runners', () => {
    expect(
      run(`pipelines:
  pull-requests:
    '**':
      - step:
          name: Build image
          runs-on: [self.hosted, linux]
          services: [docker]
          script:
            - docker run --privileged --rm builder:1 make
            - docker run -v /var/run/docker.sock:/var/run/docker.sock tool:1
            - docker build .
  default:
    - step:
        runtime:
          cloud:
            version: 3
        script:
          - docker run --privileged alpine:3 true
`),
    ).toEqual([
      "bitbucket-pipelines.yml:9:15-9:58 high/medium step \"Build image\" runs a Docker container with --privileged on a self-hosted runner, which gives the step root on the runner machine and the pull-requests \"**\" pipeline runs it for unreviewed code; drop the flag, or use an ephemeral runner per build",
      "bitbucket-pipelines.yml:10:15-10:77 high/medium step \"Build image\" runs a Docker container with the Docker socket mounted on a self-hosted runner, which gives the step root on the runner machine and the pull-requests \"**\" pipeline runs it for unreviewed code; drop the flag, or use an ephemeral runner per build",
    ]);
  });

  it('ignores cloud runtime v3 and plain docker run', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        runtime:
          cloud:
            version: 3
        services: [docker]
        script:
          - docker run --privileged alpine:3 true
    - step:
        runs-on: self.hosted
        script:
          - docker run --rm builder:1 make
`),
    ).toEqual([]);
  });
});
