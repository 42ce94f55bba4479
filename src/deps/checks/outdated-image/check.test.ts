import { describe, expect, it } from 'vitest';
import { findingsOf } from '../testing.js';
import { imagesData } from './data.js';
import { eolOf, splitImage } from './check.js';

describe('outdated-image', () => {
  it('Dockerfile FROM with ARG defaults, stages and scratch; CI images of every platform', async () => {
    const rows = await findingsOf('outdated-image', {
      Dockerfile: 'ARG NODE=16\nFROM node:${NODE}-alpine AS build\nFROM build AS test\nFROM scratch\nFROM docker.io/library/python:3.12-slim\n',
      'docker/api.Dockerfile': 'FROM --platform=linux/amd64 ruby:2.7.8-bullseye\n',
      '.gitlab-ci.yml': 'test:\n  image: python:3.11-alpine3.16\n  script: [pytest]\n',
      '.circleci/config.yml': 'version: 2.1\njobs:\n  build:\n    docker:\n      - image: cimg/node:14.21\n    steps: [checkout]\nworkflows:\n  main:\n    jobs: [build]\n',
      'bitbucket-pipelines.yml': 'image: golang:1.21\npipelines:\n  default:\n    - step:\n        script: [go test ./...]\n',
      'azure-pipelines.yml': 'resources:\n  containers:\n    - container: db\n      image: postgres:12\nsteps:\n  - script: echo hi\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    container: ubuntu:focal\n    services:\n      db:\n        image: mysql:5.7\n    steps:\n      - uses: docker://alpine:3.15\n',
    });
    expect(rows).toEqual([
      '.circleci/config.yml:5 medium cimg/node:14.21 (job "build") is node 14, which reached end of life on 2023-04-30: it gets no security fixes; move to a supported version',
      '.github/workflows/ci.yml:5 medium ubuntu:focal (container of job "t") is ubuntu focal, which reached end of life on 2025-05-31: it gets no security fixes; move to a supported version',
      '.github/workflows/ci.yml:8 medium mysql:5.7 (service "db" of job "t") is mysql 5.7, which reached end of life on 2023-10-21: it gets no security fixes; move to a supported version',
      '.github/workflows/ci.yml:10 medium alpine:3.15 (step "docker://alpine:3.15" of job "t") is alpine 3.15, which reached end of life on 2023-11-01: it gets no security fixes; move to a supported version',
      '.gitlab-ci.yml:2 medium python:3.11-alpine3.16 (image of job "test") is alpine 3.16, which reached end of life on 2024-05-23: it gets no security fixes; move to a supported version',
      'Dockerfile:2 medium node:16-alpine (FROM) is node 16, which reached end of life on 2023-09-11: it gets no security fixes; move to a supported version',
      'azure-pipelines.yml:4 medium postgres:12 (container resource "db") is postgres 12, which reached end of life on 2024-11-21: it gets no security fixes; move to a supported version',
      'bitbucket-pipelines.yml:1 medium golang:1.21 (default image) is golang 1.21, which reached end of life on 2024-08-13: it gets no security fixes; move to a supported version',
      'docker/api.Dockerfile:1 medium ruby:2.7.8-bullseye (FROM) is ruby 2.7, which reached end of life on 2023-03-31: it gets no security fixes; move to a supported version',
    ]);
  });

  it('reads Azure pipelines where the audit finds them: a pipelines folder by content, templates through their includer', async () => {
    const rows = await findingsOf('outdated-image', {
      'build/azure-pipelines/ci.yml': 'trigger: [main]\nresources:\n  containers:\n    - container: db\n      image: postgres:12\njobs:\n  - template: jobs.yml\n',
      'build/azure-pipelines/jobs.yml': 'jobs:\n  - job: t\n    container: node:14\n    steps:\n      - script: npm test\n',
      'build/azure-pipelines/unused.yml': 'jobs:\n  - job: u\n    container: node:16\n    steps:\n      - script: npm test\n',
    });
    expect(rows).toEqual([
      'build/azure-pipelines/ci.yml:5 medium postgres:12 (container resource "db") is postgres 12, which reached end of life on 2024-11-21: it gets no security fixes; move to a supported version',
      'build/azure-pipelines/jobs.yml:3 medium node:14 (container of job "t") is node 14, which reached end of life on 2023-04-30: it gets no security fixes; move to a supported version',
    ]);
  });

  it('dates are compared with today; unversioned tags, digests-only and other registries are not judged', () => {
    const data = imagesData();
    expect(eolOf('node:20', data, '2026-04-29')).toEqual([]);
    expect(eolOf('node:20', data, '2026-04-30').map((v) => v.version)).toEqual(['20']);
    expect(eolOf('node:lts', data, '2030-01-01')).toEqual([]);
    expect(eolOf('node@sha256:abc', data, '2030-01-01')).toEqual([]);
    expect(eolOf('ghcr.io/acme/node:10', data, '2030-01-01')).toEqual([]);
    expect(eolOf('python:${PY}', data, '2030-01-01')).toEqual([]);
    expect(splitImage('localhost:5000/node:10')).toBeUndefined();
    expect(splitImage('library/node:16@sha256:0123abcd')).toEqual({ name: 'node', tag: '16' });
  });
});
