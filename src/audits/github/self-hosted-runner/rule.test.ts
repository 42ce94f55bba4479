import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, files, options));

describe('self-hosted-runner', () => {
  it('is high when outside users can start it, at the label', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/ci.yml': yaml`
        on: [push, pull_request_target]
        jobs:
          test:
            runs-on: [self-hosted, linux, x64]
            steps:
              - run: make test
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/ci.yml:4:15-4:26 high/high job "test" runs on a self-hosted runner and can be started by outside users through "pull_request_target", so their code or input reaches a machine that keeps state between jobs; use a GitHub-hosted or ephemeral runner',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn}`)).toEqual(['1:12']);
  });

  it('leaves fork pull requests on a self-hosted label to pr-runs-on-self-hosted (one finding per problem)', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: [push, pull_request]
          jobs:
            test:
              runs-on: [self-hosted, linux]
              steps:
                - run: make test
        `,
      }),
    ).toEqual([]);
  });

  it('is low for triggers only people with write access can cause', () => {
    expect(
      run({
        '.github/workflows/nightly.yml': yaml`
          on:
            schedule:
              - cron: '0 0 * * *'
            workflow_dispatch:
          jobs:
            build:
              runs-on: self-hosted
              steps:
                - run: make
        `,
      }),
    ).toEqual([
      '.github/workflows/nightly.yml:7:14-7:25 low/high job "build" runs on a self-hosted runner, which keeps state between jobs; no trigger of this workflow lets outside users start it',
    ]);
  });

  it('treats fork-excluding and event_name gates as closing the outside path', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: [push, pull_request_target]
          jobs:
            same-repo:
              if: github.event.pull_request.head.repo.full_name == github.repository
              runs-on: self-hosted
              steps:
                - run: make
            push-only:
              if: \${{ github.event_name == 'push' }}
              runs-on: self-hosted
              steps:
                - run: make
        `,
      }).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['.github/workflows/ci.yml:5:14-5:25 low/high', '.github/workflows/ci.yml:10:14-10:25 low/high']);
  });

  it('resolves runs-on from static matrix values and expression branches', () => {
    expect(
      run({
        '.github/workflows/m.yml': yaml`
          on: pull_request
          jobs:
            a:
              strategy:
                matrix:
                  os: [ubuntu-latest, windows-latest]
                  include:
                    - os: self-hosted
              runs-on: \${{ matrix.os }}
              steps:
                - run: make
            b:
              runs-on: \${{ github.repository == 'o/r' && 'gpu-box' || 'ubuntu-latest' }}
              steps:
                - run: make
            c:
              strategy:
                matrix:
                  os: [ubuntu-latest, macos-latest]
              runs-on: \${{ matrix.os }}
              steps:
                - run: make
        `,
      }),
    ).toEqual([
      '.github/workflows/m.yml:13:14-13:79 low/low job "b" runs on runner label "gpu-box" (chosen by an expression; neither a known GitHub-hosted label nor "self-hosted": possibly self-hosted) and can be started by outside users through "pull_request", so their code or input reaches a machine that keeps state between jobs; use a GitHub-hosted or ephemeral runner',
    ]);
  });

  it('accepts larger GitHub-hosted runner labels from the options, and reports groups at low confidence', () => {
    const files = {
      '.github/workflows/big.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: build-fleet
            steps:
              - run: make
          b:
            runs-on:
              group: big-runners
            steps:
              - run: make
      `,
    };
    expect(run(files)).toEqual([
      '.github/workflows/big.yml:4:14-4:25 low/low job "a" runs on runner label "build-fleet" (neither a known GitHub-hosted label nor "self-hosted": possibly self-hosted), which keeps state between jobs; no trigger of this workflow lets outside users start it',
      '.github/workflows/big.yml:9:14-9:25 low/low job "b" runs on runner group "big-runners" (self-hosted unless it holds larger GitHub-hosted runners), which keeps state between jobs; no trigger of this workflow lets outside users start it',
    ]);
    expect(run(files, { 'github-hosted-labels': ['build-fleet'] })).toHaveLength(1);
  });

  it('does not flag GitHub-hosted runners or unresolvable expressions', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-24.04
              steps:
                - run: make
            b:
              runs-on: \${{ inputs.runner }}
              steps:
                - run: make
            c:
              uses: ./.github/workflows/x.yml
        `,
      }),
    ).toEqual([]);
  });

  it('rejects a malformed option', () => {
    expect(() => auditFiles(rule, { '.github/workflows/a.yml': 'on: push\njobs:\n  a:\n    runs-on: self-hosted\n    steps:\n      - run: x\n' }, { 'github-hosted-labels': 'x' })).toThrow(
      /github-hosted-labels/,
    );
  });

  it('judges a reusable workflow by the triggers of its local callers', () => {
    expect(
      run({
        '.github/workflows/called.yml': yaml`
          on: workflow_call
          jobs:
            build:
              runs-on: [self-hosted]
              steps:
                - run: make
        `,
        '.github/workflows/pr.yml': yaml`
          on: pull_request_target
          jobs:
            call:
              uses: ./.github/workflows/called.yml
        `,
      }).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['.github/workflows/called.yml:4:15-4:26 high/high']);
  });

  it('larger GitHub-hosted runner names and per-job runner services are not self-hosted', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request
          jobs:
            a:
              runs-on: ubuntu-22.04-16core
              steps: [{ run: make }]
            b:
              runs-on: 16-core-ubuntu
              steps: [{ run: make }]
            c:
              runs-on: windows-latest-8-cores
              steps: [{ run: make }]
            d:
              runs-on: ubuntu-24.04-arm64-xl
              steps: [{ run: make }]
            e:
              runs-on: macos-15-xlarge
              steps: [{ run: make }]
            f:
              runs-on: depot-ubuntu-24.04-arm-16
              steps: [{ run: make }]
            g:
              runs-on: blacksmith-4vcpu-ubuntu-2404
              steps: [{ run: make }]
            h:
              runs-on: [self-hosted, linux, arm64]
              steps: [{ run: make }]
        `,
      }),
    ).toEqual([]);
  });

  it('matrix values that are expressions are not labels; exclude removes combinations', () => {
    expect(
      run({
        '.github/workflows/m.yml': yaml`
          on: pull_request
          jobs:
            dyn:
              strategy:
                matrix:
                  os: \${{ fromJSON(needs.setup.outputs.os) }}
              runs-on: \${{ matrix.os }}
              steps: [{ run: make }]
            ex:
              strategy:
                matrix:
                  os: [ubuntu-latest, gpu-box]
                  node: [18, 20]
                  exclude:
                    - os: gpu-box
              runs-on: \${{ matrix.os }}
              steps: [{ run: make }]
            partly:
              strategy:
                matrix:
                  os: [ubuntu-latest, gpu-box]
                  node: [18, 20]
                  exclude:
                    - os: gpu-box
                      node: 18
              runs-on: \${{ matrix.os }}
              steps: [{ run: make }]
        `,
      }).map((l) => l.split(' (')[0]),
    ).toEqual(['.github/workflows/m.yml:26:14-26:30 low/low job "partly" runs on runner label "gpu-box"']);
  });

  it('a workflow_run fed only by pushes is not reachable by outsiders', () => {
    const files = (upstream: string) => ({
      '.github/workflows/build.yml': yaml`
        name: Build
        on: ${upstream}
        jobs:
          b:
            runs-on: ubuntu-latest
            steps: [{ run: make }]
      `,
      '.github/workflows/after.yml': yaml`
        on:
          workflow_run:
            workflows: [Build]
            types: [completed]
        jobs:
          report:
            runs-on: [self-hosted]
            steps: [{ run: ./report.sh }]
      `,
    });
    expect(run(files('push')).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['.github/workflows/after.yml:7:15-7:26 low/high']);
    expect(run(files('pull_request')).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['.github/workflows/after.yml:7:15-7:26 high/high']);
  });
});
