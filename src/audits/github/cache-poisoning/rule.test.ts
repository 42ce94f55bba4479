import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('cache-poisoning', () => {
  it('flags an explicit setup-* cache in a tag-push workflow that publishes, at the cache input', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/release.yml': yaml`
        on:
          push:
            tags: ['v*']
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: Setup JDK
                uses: actions/setup-java@v4
                with:
                  distribution: zulu
                  java-version: '17'
                  cache: gradle
              - run: ./gradlew publish
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/release.yml:14:18 high/high step "Setup JDK" restores the cache of actions/setup-java in a publishing job; a cache entry written by any workflow run on the default branch can end up in what is released',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
      '2:3 the tag push trigger marks this as a release workflow',
      '15:14 step "step 3" publishes what this job builds',
    ]);
  });

  it('default-on caching counts with low confidence; disabled caching and lookup-only do not', () => {
    expect(
      run({
        '.github/workflows/release.yml': yaml`
          on:
            release:
              types: [published]
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/setup-go@v5
                - uses: actions/setup-go@v5
                  with:
                    cache: false
                - uses: actions/setup-node@v4
                - uses: actions/cache@v4
                  with:
                    path: ~/.npm
                    key: npm
                    lookup-only: true
                - uses: Swatinem/rust-cache@v2
                - run: cargo build --release
        `,
      }),
    ).toEqual([
      '.github/workflows/release.yml:8:15 medium/low step "actions/setup-go@v5" restores the cache of actions/setup-go in a release job; a cache entry written by any workflow run on the default branch can end up in what is released',
      '.github/workflows/release.yml:18:15 medium/low step "Swatinem/rust-cache@v2" restores the cache of swatinem/rust-cache in a release job; a cache entry written by any workflow run on the default branch can end up in what is released',
    ]);
  });

  it('a publishing step makes any trigger a publishing scenario (workflow_dispatch)', () => {
    expect(
      run({
        '.github/workflows/pub.yml': yaml`
          on: workflow_dispatch
          jobs:
            pub:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/setup-node@v4
                  with:
                    cache: npm
                - run: npm ci && npm publish
            test:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/setup-node@v4
                  with:
                    cache: npm
                - run: npm test
        `,
      }),
    ).toEqual([
      '.github/workflows/pub.yml:8:18 high/medium step "actions/setup-node@v4" restores the cache of actions/setup-node in a publishing job; a cache entry written by any workflow run on the default branch can end up in what is released',
    ]);
  });

  it('ignores CI workflows that neither release nor publish', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on:
            push:
              branches: [main]
            pull_request:
          jobs:
            test:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/setup-python@v5
                  with:
                    cache: pip
                - uses: actions/cache@v4
                  with:
                    path: x
                    key: y
                - run: pytest
        `,
      }),
    ).toEqual([]);
  });

  it('flags caches saved after PR code is checked out under pull_request_target', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/pr.yml': yaml`
        on: pull_request_target
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
                with:
                  cache: npm
              - uses: actions/checkout@v4
                with:
                  ref: \${{ github.event.pull_request.head.sha }}
              - run: npm ci
              - uses: actions/cache/restore@v4
                with:
                  path: x
                  key: y
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/pr.yml:8:18 high/high step "actions/setup-node@v4" saves the cache of actions/setup-node after the pull request\'s code was checked out by step "actions/checkout@v4"; under pull_request_target the entry is stored for the default branch, where other workflows restore it',
    ]);
    expect(findings[0]!.related[0]!.startLine).toBe(11);
  });

  it('does not flag the PR cache pattern when the job is restricted to same-repo PRs or caching is base-only', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request_target
          jobs:
            same:
              if: \${{ !github.event.pull_request.head.repo.fork }}
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                - uses: actions/cache@v4
                  with:
                    path: x
                    key: y
            base:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - uses: actions/cache@v4
                  with:
                    path: x
                    key: y
        `,
      }),
    ).toEqual([]);
  });
});
