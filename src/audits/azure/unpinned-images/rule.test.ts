import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unpinned-images (azure)', () => {
  it('flags container resources, job containers and services without a digest', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          resources:
            containers:
              - container: builder
                image: node:20
              - container: db
                image: postgres
          jobs:
            - job: a
              container: builder
              services:
                postgres: db
                redis: redis:latest
            - job: b
              container:
                image: python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
              steps:
                - script: make
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:4:14-4:21 medium/high container resource "builder" runs image "node:20", whose tag "20" the publisher can re-point at a different build; pin it by digest (name:tag@sha256:...)',
      'azure-pipelines.yml:6:14-6:22 high/high container resource "db" runs image "postgres", which has no tag and pulls whatever "latest" is at run time; pin it by digest (name:tag@sha256:...)',
      'azure-pipelines.yml:12:14-12:26 high/high service "redis" of job "a" runs image "redis:latest", whose tag "latest" is a channel that moves to new builds; pin it by digest (name:tag@sha256:...)',
    ]);
  });

  it('skips images built from expressions', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          jobs:
            - job: a
              container: $(image)
              steps:
                - script: make
        `,
      }),
    ).toEqual([]);
  });
});
