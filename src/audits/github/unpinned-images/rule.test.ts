import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { classifyImage } from '../../../analysis/images.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const DIGEST = 'sha256:' + 'a'.repeat(64);
const FIX = 'pin it by digest (name:tag@sha256:...)';

describe('unpinned-images', () => {
  it('flags job containers, services and docker:// steps; untagged and latest high, version tags medium', () => {
    const out = run({
      '.github/workflows/ci.yml': yaml`
        on: push
        jobs:
          test:
            runs-on: ubuntu-latest
            container: node:18
            services:
              db:
                image: postgres
              cache:
                image: redis:7@${DIGEST}
              queue:
                image: ghcr.io/org/queue:latest
            steps:
              - name: Lint
                uses: docker://alpine:3.19
      `,
    });
    expect(out).toEqual([
      `.github/workflows/ci.yml:5:16-5:23 medium/high container of job "test" runs image "node:18", whose tag "18" the publisher can re-point at a different build; ${FIX}`,
      `.github/workflows/ci.yml:8:16-8:24 high/high service "db" of job "test" runs image "postgres", which has no tag and pulls whatever "latest" is at run time; ${FIX}`,
      `.github/workflows/ci.yml:12:16-12:40 high/high service "queue" of job "test" runs image "ghcr.io/org/queue:latest", whose tag "latest" is a channel that moves to new builds; ${FIX}`,
      `.github/workflows/ci.yml:15:15-15:35 medium/high step "Lint" of job "test" runs image "alpine:3.19", whose tag "3.19" the publisher can re-point at a different build; ${FIX}`,
    ]);
  });

  it('reads container.image in the mapping form and a registry port is not a tag', () => {
    const out = run({
      '.github/workflows/c.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            container:
              image: registry.local:5000/team/builder
              options: --cpus 2
            steps:
              - run: make
      `,
    });
    expect(out).toEqual([
      `.github/workflows/c.yml:6:14-6:46 high/high container of job "a" runs image "registry.local:5000/team/builder", which has no tag and pulls whatever "latest" is at run time; ${FIX}`,
    ]);
  });

  it('accepts digests with or without a tag', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              container: node@${DIGEST}
              services:
                db:
                  image: postgres:16.2@${DIGEST}
              steps:
                - uses: docker://ghcr.io/org/tool:1.2@${DIGEST}
        `,
      }),
    ).toEqual([]);
  });

  it('resolves ${{ matrix.x }} from a static matrix and reports at each matrix value', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/m.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                node: [18, "20@${DIGEST}"]
                include:
                  - node: latest
            container: node:\${{ matrix.node }}
            steps:
              - run: npm test
      `,
    });
    expect(summarize(findings)).toEqual([
      `.github/workflows/m.yml:7:16-7:18 medium/high container of job "a" (matrix.node = 18) runs image "node:18", whose tag "18" the publisher can re-point at a different build; ${FIX}`,
      `.github/workflows/m.yml:9:19-9:25 high/high container of job "a" (matrix.node = latest) runs image "node:latest", whose tag "latest" is a channel that moves to new builds; ${FIX}`,
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['10:the image is built from this matrix value here']);
  });

  it('skips images built from expressions it cannot resolve statically', () => {
    expect(
      run({
        '.github/workflows/e.yml': yaml`
          on: workflow_dispatch
          jobs:
            a:
              runs-on: ubuntu-latest
              strategy:
                matrix:
                  img: \${{ fromJSON(inputs.images) }}
              container: \${{ matrix.img }}
              services:
                db:
                  image: \${{ inputs.db_image }}
              steps:
                - run: true
        `,
      }),
    ).toEqual([]);
  });

  it('checks docker actions pulling a registry image, not those built from a Dockerfile', () => {
    const out = run({
      'lint/action.yml': yaml`
        name: lint
        runs:
          using: docker
          image: docker://ghcr.io/org/linter:v2
      `,
      'build/action.yml': yaml`
        name: build
        runs:
          using: docker
          image: Dockerfile
      `,
    });
    expect(out).toEqual([
      `lint/action.yml:4:10-4:40 medium/high docker action "lint" runs image "ghcr.io/org/linter:v2", whose tag "v2" the publisher can re-point at a different build; ${FIX}`,
    ]);
  });

  it('classifies image references', () => {
    expect(classifyImage('alpine')).toEqual({ kind: 'no-tag' });
    expect(classifyImage('localhost:5000/alpine')).toEqual({ kind: 'no-tag' });
    expect(classifyImage('alpine:')).toEqual({ kind: 'no-tag' });
    expect(classifyImage('alpine:EDGE')).toEqual({ kind: 'moving-tag', tag: 'EDGE' });
    expect(classifyImage('localhost:5000/alpine:3.20')).toEqual({ kind: 'tag', tag: '3.20' });
    expect(classifyImage(`alpine@${DIGEST}`)).toEqual({ kind: 'digest' });
    expect(classifyImage('alpine:3@sha256:abc')).toEqual({ kind: 'bad-digest' });
    // A platform may add channel tags of its own (GitLab: the Docker image's dind and git).
    expect(classifyImage('docker:dind')).toEqual({ kind: 'tag', tag: 'dind' });
    expect(classifyImage('docker:dind', new Set(['dind']))).toEqual({ kind: 'moving-tag', tag: 'dind' });
    expect(classifyImage('docker:latest', new Set(['dind']))).toEqual({ kind: 'tag', tag: 'latest' });
    expect(classifyImage('alpine@sha256:' + 'A'.repeat(64))).toEqual({ kind: 'digest' });
  });

  describe('images passed into a reusable workflow as inputs', () => {
    const callee = yaml`
      name: integration tests
      on:
        workflow_call:
          inputs:
            db-image:
              type: string
              default: postgres:16.4
            runner-image:
              type: string
              required: true
      jobs:
        integration:
          runs-on: ubuntu-latest
          container: \${{ inputs.runner-image }}
          services:
            db:
              image: \${{ inputs.db-image }}
          steps:
            - run: make integration
    `;
    const callers = yaml`
      name: ci
      on: [push, pull_request]
      jobs:
        pg15:
          uses: ./.github/workflows/integration.yml
          with:
            db-image: postgres:15
            runner-image: ghcr.io/acme/ci-runner@${DIGEST}
        pg-default:
          uses: ./.github/workflows/integration.yml
          with:
            runner-image: ghcr.io/acme/ci-runner:latest
        pg-pinned:
          uses: ./.github/workflows/integration.yml
          with:
            db-image: postgres:16.4@${DIGEST}
            runner-image: \${{ vars.RUNNER_IMAGE }}
    `;

    it('judges each literal value a caller passes (or the default) and reports it at the caller\'s with:', () => {
      const findings = auditFiles(rule, { '.github/workflows/integration.yml': callee, '.github/workflows/ci.yml': callers });
      expect(summarize(findings)).toEqual([
        `.github/workflows/ci.yml:7:17-7:28 medium/high service "db" of job "integration" of .github/workflows/integration.yml (inputs.db-image = postgres:15) runs image "postgres:15", whose tag "15" the publisher can re-point at a different build; ${FIX}`,
        `.github/workflows/ci.yml:12:21-12:50 high/high container of job "integration" of .github/workflows/integration.yml (inputs.runner-image = ghcr.io/acme/ci-runner:latest) runs image "ghcr.io/acme/ci-runner:latest", whose tag "latest" is a channel that moves to new builds; ${FIX}`,
        `.github/workflows/integration.yml:7:18-7:31 medium/high service "db" of job "integration" of .github/workflows/integration.yml (inputs.db-image = postgres:16.4) runs image "postgres:16.4", whose tag "16.4" the publisher can re-point at a different build; ${FIX}`,
      ]);
      expect(findings.map((f) => f.related.map((r) => `${r.file}:${r.startLine}:${r.startColumn} ${r.message}`))).toEqual([
        ['.github/workflows/integration.yml:17:16 the image is built from input "db-image" here; job "pg15" of .github/workflows/ci.yml passes "postgres:15"'],
        ['.github/workflows/integration.yml:14:16 the image is built from input "runner-image" here; job "pg-default" of .github/workflows/ci.yml passes "ghcr.io/acme/ci-runner:latest"'],
        ['.github/workflows/integration.yml:17:16 the image is built from input "db-image" here; the default of input "db-image" is used'],
      ]);
    });

    it('is silent with no caller in the repository, or when every caller pins by digest or passes an expression', () => {
      expect(run({ '.github/workflows/integration.yml': callee.replace('default: postgres:16.4', `default: postgres:16.4@${DIGEST}`) })).toEqual([]);
      const pinned = yaml`
        on: push
        jobs:
          t:
            uses: ./.github/workflows/integration.yml
            with:
              db-image: \${{ matrix.db }}
              runner-image: ghcr.io/acme/ci-runner:2.1@${DIGEST}
      `;
      expect(run({ '.github/workflows/integration.yml': callee, '.github/workflows/ci.yml': pinned })).toEqual([]);
    });
  });
});
