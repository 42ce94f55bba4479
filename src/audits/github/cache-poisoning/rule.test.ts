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
      '.github/workflows/release.yml:14:18-14:24 high/high step "Setup JDK" restores the cache of actions/setup-java in a publishing job; a cache entry written by any workflow run on the default branch can end up in what is released',
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
                - uses: actions/upload-artifact@v4
                  with:
                    name: binaries
                    path: target/release/tool
        `,
      }),
    ).toEqual([
      '.github/workflows/release.yml:8:15-8:34 medium/low step "actions/setup-go@v5" restores the cache of actions/setup-go in a release job; a cache entry written by any workflow run on the default branch can end up in what is released',
      '.github/workflows/release.yml:18:15-18:37 medium/low step "Swatinem/rust-cache@v2" restores the cache of swatinem/rust-cache in a release job; a cache entry written by any workflow run on the default branch can end up in what is released',
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
      '.github/workflows/pub.yml:8:18-8:21 high/medium step "actions/setup-node@v4" restores the cache of actions/setup-node in a publishing job; a cache entry written by any workflow run on the default branch can end up in what is released',
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
      '.github/workflows/pr.yml:8:18-8:21 high/high step "actions/setup-node@v4" saves the cache of actions/setup-node after the pull request\'s code was checked out by step "actions/checkout@v4"; under pull_request_target the entry is stored for the default branch, where other workflows restore it',
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

  it('in a release workflow only jobs that publish, or build what a publishing job downloads, count', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/ci.yml': yaml`
        on:
          push:
            branches: [main]
            tags: ['v*']
          pull_request:
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: Swatinem/rust-cache@v2
              - run: cargo test
              - uses: actions/upload-artifact@v4
                with:
                  name: coverage-\${{ matrix.os }}
                  path: lcov.info
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: Cargo cache
                uses: actions/cache@v4
                with:
                  path: ~/.cargo
                  key: cargo-\${{ hashFiles('Cargo.lock') }}
              - run: cargo build --release
              - uses: actions/upload-artifact@v4
                with:
                  name: bin-\${{ runner.os }}
                  path: target/release/tool
          release:
            needs: [test, build]
            if: startsWith(github.ref, 'refs/tags/')
            runs-on: ubuntu-latest
            permissions:
              contents: write
            steps:
              - uses: actions/download-artifact@v4
                with:
                  pattern: bin-*
              - run: gh release create "$GITHUB_REF_NAME" bin/tool
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/ci.yml:22:15-22:31 high/high step "Cargo cache" restores an actions/cache entry in a job whose artifacts job "release" publishes; a cache entry written by any workflow run on the default branch can end up in what is released',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine} ${r.message}`)).toEqual([
      '2 the tag push trigger marks this as a release workflow',
      '41 step "step 2" of job "release" publishes the artifacts this job uploads',
    ]);
  });

  it('CI on release branches, read-only gh release calls and dry-run publishes are not releases', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on:
            push:
              branches: [main, 'release/*', patch-release]
            pull_request:
          jobs:
            check:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/setup-node@v4
                  with:
                    cache: npm
                - run: npm ci && npm publish --dry-run
                - run: cargo publish -n --locked
                - run: cargo +nightly publish --dry-run
                - run: gh release list --limit 5
                - run: gh release view v1.2.3 --json assets
        `,
      }),
    ).toEqual([]);
  });

  it('goreleaser snapshots, checks and installs, and a release created with notes only, do not publish what the cache built', () => {
    const wf = (step: string) =>
      ['on: workflow_dispatch', 'jobs:', '  pack:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/setup-go@v5', `      ${step}`, ''].join('\n');
    const quiet = [
      '- uses: goreleaser/goreleaser-action@v6\n        with:\n          args: release --snapshot --clean',
      '- uses: goreleaser/goreleaser-action@v6\n        with:\n          args: check',
      '- uses: goreleaser/goreleaser-action@v6\n        with:\n          install-only: true',
      '- run: goreleaser release --clean --skip=announce,publish',
      '- run: gh release create "$VERSION" --draft --title "$VERSION" --notes-file notes.md --target "$(git rev-parse HEAD)"',
    ];
    for (const step of quiet) expect(run({ '.github/workflows/pack.yml': wf(step) }), step).toEqual([]);
    const loud = [
      '- uses: goreleaser/goreleaser-action@v6\n        with:\n          args: release --clean',
      '- uses: goreleaser/goreleaser-action@v6',
      '- run: goreleaser release --clean',
      '- run: gh release create "$VERSION" --title "$VERSION" dist/*.tar.gz',
      '- run: gh release upload "$VERSION" dist/app.zip',
      '- run: ls dist/* | xargs gh release create "${args[@]}" --',
    ];
    for (const step of loud) {
      expect(run({ '.github/workflows/pack.yml': wf(step) }), step).toEqual([
        '.github/workflows/pack.yml:6:15-6:34 high/low step "actions/setup-go@v5" restores the cache of actions/setup-go in a publishing job; a cache entry written by any workflow run on the default branch can end up in what is released',
      ]);
    }
  });

  it('evaluates cache toggles and step conditions for the release run', () => {
    expect(
      run({
        '.github/workflows/release.yml': yaml`
          on:
            push:
              branches: [main]
              tags: ['v*']
            workflow_dispatch:
              inputs:
                cache:
                  type: boolean
          jobs:
            publish:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/setup-node@v4
                  with:
                    cache: npm
                  if: github.event_name == 'pull_request'
                - uses: actions/setup-go@v5
                  with:
                    cache: \${{ !startsWith(github.ref, 'refs/tags/') }}
                - uses: astral-sh/setup-uv@v5
                  with:
                    enable-cache: \${{ github.ref_type != 'tag' }}
                - uses: actions/setup-python@v5
                  with:
                    cache: \${{ inputs.cache && 'pip' || '' }}
                - run: npm publish
        `,
      }),
    ).toEqual([
      '.github/workflows/release.yml:25:18-25:52 high/low step "actions/setup-python@v5" restores the cache of actions/setup-python in a publishing job; a cache entry written by any workflow run on the default branch can end up in what is released',
    ]);
  });

  it('a setup-uv version that cannot be read (bare SHA) caches by default', () => {
    expect(
      run({
        '.github/workflows/release.yml': yaml`
          on:
            release:
              types: [published]
          jobs:
            pypi:
              runs-on: ubuntu-latest
              steps:
                - uses: astral-sh/setup-uv@0123456789abcdef0123456789abcdef01234567
                - uses: astral-sh/setup-uv@v6
                  with:
                    enable-cache: false
                - run: uv build && uv publish
        `,
      }),
    ).toEqual([
      '.github/workflows/release.yml:8:15-8:74 high/low step "astral-sh/setup-uv@0123456789abcdef0123456789abcdef01234567" restores the cache of astral-sh/setup-uv in a publishing job; a cache entry written by any workflow run on the default branch can end up in what is released',
    ]);
  });
});
