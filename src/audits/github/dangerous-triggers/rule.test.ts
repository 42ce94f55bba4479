import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('dangerous-triggers', () => {
  it('medium when a pull_request_target job checks out the PR head without running it, at the trigger key', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/pr.yml': yaml`
        on:
          pull_request_target:
            types: [opened, synchronize]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: \${{ github.event.pull_request.head.sha }}
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/pr.yml:2:3-2:22 medium/high "pull_request_target" runs with the base repository\'s secrets and a write token on pull requests from forks, and job "test" checks out the pull request\'s code; it must only be read as data',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn}`)).toEqual(['10:16']);
  });

  it('high when the checked-out PR code is run, with the executing step as related', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/pr.yml': yaml`
        on: pull_request_target
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: \${{ github.head_ref }}
              - run: make test
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/pr.yml:1:5-1:24 high/high "pull_request_target" runs with the base repository\'s secrets and a write token on pull requests from forks, and job "test" checks out and runs the pull request\'s code',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
      '8:16 step "actions/checkout@v4" checks out the pull request\'s code (github.head_ref)',
      '9:14 step "step 2" runs it ("make test")',
    ]);
  });

  it('medium for a pull_request_target workflow that runs its own steps', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request_target
          jobs:
            comment:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - run: ./scripts/comment.sh
        `,
      }),
    ).toEqual([
      '.github/workflows/pr.yml:1:5-1:24 medium/medium "pull_request_target" runs with the base repository\'s secrets and a write token on pull requests from forks; job "comment" must never run or trust the pull request\'s code',
    ]);
  });

  it('low for labeler-style workflows without a checkout', () => {
    expect(
      run({
        '.github/workflows/label.yml': yaml`
          on: [pull_request_target]
          jobs:
            label:
              runs-on: ubuntu-latest
              permissions:
                pull-requests: write
              steps:
                - uses: actions/labeler@v5
        `,
      }),
    ).toEqual([
      '.github/workflows/label.yml:1:6-1:25 low/low "pull_request_target" runs with the base repository\'s secrets and a write token on pull requests from forks; its jobs only use actions that read event metadata, which is the intended use',
    ]);
  });

  it('low when every job is restricted to same-repository pull requests', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              if: github.event.pull_request.head.repo.full_name == github.repository
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                - run: make
        `,
      }),
    ).toEqual([
      '.github/workflows/pr.yml:1:5-1:24 low/low "pull_request_target" runs with the base repository\'s secrets and a write token on pull requests from forks; every job is restricted to trusted pull requests, keep it that way',
    ]);
  });

  it('medium when the PR checkout waits for a maintainer label', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on:
            pull_request_target:
              types: [labeled]
          jobs:
            a:
              if: github.event.label.name == 'ok-to-test'
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                - run: npm test
        `,
      }),
    ).toEqual([
      '.github/workflows/pr.yml:2:3-2:22 medium/high "pull_request_target" runs with the base repository\'s secrets and a write token on pull requests from forks, and job "a" checks out and runs the pull request\'s code after a maintainer approves it',
    ]);
  });

  it('workflow_run: medium with triggering-run artifacts, skipped when upstream is push-only', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          name: CI
          on: pull_request
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: true
        `,
        '.github/workflows/report.yml': yaml`
          on:
            workflow_run:
              workflows: [CI]
              types: [completed]
          jobs:
            report:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/download-artifact@v4
                  with:
                    run-id: \${{ github.event.workflow_run.id }}
                    github-token: \${{ github.token }}
        `,
        '.github/workflows/deploy.yml': yaml`
          on:
            workflow_run:
              workflows: [Release]
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: ./deploy.sh
        `,
        '.github/workflows/release.yml': yaml`
          name: Release
          on:
            push:
              tags: ['v*']
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: true
        `,
      }),
    ).toEqual([
      '.github/workflows/report.yml:2:3-2:15 medium/high "workflow_run" runs with the base repository\'s secrets and a write token after workflows that fork pull requests can start, and job "report" downloads the triggering run\'s artifacts',
    ]);
  });

  it('issue_comment is only reported when a job fetches the PR code', () => {
    expect(
      run({
        '.github/workflows/reply.yml': yaml`
          on: issue_comment
          jobs:
            reply:
              runs-on: ubuntu-latest
              steps:
                - run: gh issue comment "$N" --body thanks
        `,
        '.github/workflows/test.yml': yaml`
          on: issue_comment
          jobs:
            test:
              if: contains(fromJSON('["OWNER","MEMBER","COLLABORATOR"]'), github.event.comment.author_association)
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: refs/pull/\${{ github.event.issue.number }}/head
        `,
      }),
    ).toEqual([
      '.github/workflows/test.yml:1:5-1:18 low/high "issue_comment" runs with the base repository\'s secrets and a write token for comments anyone can post, and job "test" checks out the pull request\'s code after a maintainer approves it; it must only be read as data',
    ]);
  });

  it('ignores pull_request and push', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: [push, pull_request]
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                - run: make
        `,
      }),
    ).toEqual([]);
  });
});
