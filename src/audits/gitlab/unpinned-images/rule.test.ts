import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const DIGEST = 'sha256:' + 'a'.repeat(64);

describe('unpinned-images (gitlab)', () => {
  it('flags job, default and service images not pinned by digest, once per place', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          default:
            image: node:20
          a:
            script: [make]
          b:
            script: [make]
            services:
              - name: postgres
                alias: db
              - redis:7@${DIGEST}
          c:
            image:
              name: python:latest
              entrypoint: [""]
            script: [make]
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:2:10-2:17 medium/high the default image of job "a" and 1 other job is "node:20", whose tag "20" the publisher can re-point at a different build; pin it by digest (name:tag@sha256:...)',
      '.gitlab-ci.yml:8:13-8:21 high/high the service of job "b" is "postgres", which has no tag and pulls whatever "latest" is at run time; pin it by digest (name:tag@sha256:...)',
      '.gitlab-ci.yml:13:11-13:24 high/high the image of job "c" is "python:latest", whose tag "latest" is a channel that moves to new builds; pin it by digest (name:tag@sha256:...)',
    ]);
  });

  it('counts the Docker image\'s own channels (dind, git) as moving tags, unlike the other platforms', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          build:
            image: docker:git
            services: [docker:DinD, docker:27.3]
            script: [docker build .]
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:2:10-2:20 high/high the image of job "build" is "docker:git", whose tag "git" is a channel that moves to new builds; pin it by digest (name:tag@sha256:...)',
      '.gitlab-ci.yml:3:14-3:25 high/high the service of job "build" is "docker:DinD", whose tag "DinD" is a channel that moves to new builds; pin it by digest (name:tag@sha256:...)',
      '.gitlab-ci.yml:3:27-3:38 medium/high the service of job "build" is "docker:27.3", whose tag "27.3" the publisher can re-point at a different build; pin it by digest (name:tag@sha256:...)',
    ]);
  });

  it('resolves an image from a variable and skips the project registry', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        variables:
          BUILDER: golang:1.22
        a:
          image: $BUILDER
          script: [make]
        b:
          image: $CI_REGISTRY_IMAGE/builder:$CI_COMMIT_SHA
          script: [make]
        c:
          image: $UNKNOWN_IMAGE
          script: [make]
      `,
    });
    expect(summarize(findings)).toEqual([
      '.gitlab-ci.yml:4:10-4:18 medium/high the image of job "a" is "golang:1.22" (from a variable), whose tag "1.22" the publisher can re-point at a different build; pin it by digest (name:tag@sha256:...)',
    ]);
    expect(findings[0]!.related[0]!.startLine).toBe(2);
  });

  it('does not flag images of templates no job uses', () => {
    expect(run({ '.gitlab-ci.yml': '.t:\n  image: node\na:\n  image: node@' + DIGEST + '\n  script: [make]\n' })).toEqual([]);
  });
});
