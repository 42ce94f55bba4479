import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('pr-runs-on-self-hosted', () => {
  it('flags self-hosted jobs that fork pull requests reach, at the label, with the trigger as related', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/ci.yml': yaml`
        on:
          pull_request:
          push:
        jobs:
          test:
            runs-on: [self-hosted, linux]
            steps:
              - run: make test
          matrix:
            strategy:
              matrix:
                os: [ubuntu-latest, self-hosted]
            runs-on: \${{ matrix.os }}
            steps:
              - run: make test
          grouped:
            runs-on:
              group: build-farm
            steps:
              - run: make
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/ci.yml:6:15-6:26 high/high job "test" runs on a self-hosted runner for "pull_request", so a pull request from any fork runs its own code on that machine; run fork pull requests on GitHub-hosted or ephemeral runners, or exclude forks in the job\'s if:',
      '.github/workflows/ci.yml:13:14-13:30 high/high job "matrix" runs on a self-hosted runner (from the matrix) for "pull_request", so a pull request from any fork runs its own code on that machine; run fork pull requests on GitHub-hosted or ephemeral runners, or exclude forks in the job\'s if:',
      '.github/workflows/ci.yml:18:14-18:24 high/low job "grouped" runs on runner group "build-farm" for "pull_request", so a pull request from any fork runs its own code on that machine; run fork pull requests on GitHub-hosted or ephemeral runners, or exclude forks in the job\'s if:',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['2:"pull_request" runs for pull requests from forks']);
  });

  it('follows local callers of a reusable workflow', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request_review
          jobs:
            call:
              uses: ./.github/workflows/build.yml
        `,
        '.github/workflows/build.yml': yaml`
          on: workflow_call
          jobs:
            build:
              runs-on: self-hosted
              steps:
                - run: make
        `,
      }),
    ).toEqual([
      '.github/workflows/build.yml:4:14-4:25 high/high job "build" runs on a self-hosted runner for "pull_request_review", so a pull request from any fork runs its own code on that machine; run fork pull requests on GitHub-hosted or ephemeral runners, or exclude forks in the job\'s if:',
    ]);
  });

  it('does not flag fork-excluded jobs, other events, pull_request_target, or hosted runners', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: [pull_request, pull_request_target, push, issue_comment]
          jobs:
            same-repo:
              if: github.event.pull_request.head.repo.full_name == github.repository
              runs-on: self-hosted
              steps:
                - run: make
            push-only:
              if: github.event_name == 'push'
              runs-on: [self-hosted]
              steps:
                - run: make
            hosted:
              runs-on: ubuntu-latest
              steps:
                - run: make
        `,
        '.github/workflows/target.yml': yaml`
          on: pull_request_target
          jobs:
            label:
              runs-on: self-hosted
              steps:
                - run: echo labelling
        `,
      }),
    ).toEqual([]);
  });
});
