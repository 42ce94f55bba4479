import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, files, options));

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';

describe('unpinned-uses', () => {
  it('flags branch refs high, third-party tags medium and GitHub-owned tags low, at the uses: value', () => {
    const out = run({
      '.github/workflows/ci.yml': yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: Lint
                uses: some-org/lint-action@main
              - uses: docker/login-action@v3.1.0
              - uses: pypa/gh-action-pypi-publish@release/v1
      `,
    });
    expect(out).toEqual([
      '.github/workflows/ci.yml:6:15-6:34 low/high step 1 of job "build" uses actions/checkout@v4, a tag its owner can move to different code at any time; pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
      '.github/workflows/ci.yml:8:15-8:40 high/high step "Lint" of job "build" uses some-org/lint-action@main, a branch-like ref whose code changes with every push; pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
      '.github/workflows/ci.yml:9:15-9:41 medium/high step 3 of job "build" uses docker/login-action@v3.1.0, a tag its owner can move to different code at any time; pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
      '.github/workflows/ci.yml:10:15-10:53 high/high step 4 of job "build" uses pypa/gh-action-pypi-publish@release/v1, a branch-like ref whose code changes with every push; pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
    ]);
  });

  it('accepts full SHA pins (any case, with or without a version comment), local actions and docker:// images', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@${SHA} # v4.1.1
                - uses: some-org/x@${SHA.toUpperCase()}
                - uses: ./.github/actions/local
                - uses: docker://alpine:latest
        `,
      }),
    ).toEqual([]);
  });

  it('skips uses: built from expressions (GitHub rejects them; there is nothing to pin)', () => {
    expect(
      run({
        '.github/workflows/x.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: \${{ matrix.action }}
                - uses: org/\${{ matrix.repo }}@v1
        `,
      }),
    ).toEqual([]);
  });

  it('flags an abbreviated SHA as high: GitHub does not resolve it as a commit', () => {
    const out = run({
      '.github/workflows/s.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: some-org/x@b4ffde6
      `,
    });
    expect(out).toEqual([
      '.github/workflows/s.yml:6:15-6:33 high/high step 1 of job "a" uses some-org/x@b4ffde6, an abbreviated SHA that GitHub resolves as a branch or tag name, not as a commit; pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
    ]);
  });

  it('flags a uses: without @ref as not pinned at all, even under ref-pin', () => {
    const files = {
      '.github/workflows/n.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: some-org/x
      `,
    };
    const expected = [
      '.github/workflows/n.yml:6:15-6:25 high/high step 1 of job "a" uses some-org/x with no @ref, so it is not pinned at all; pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
    ];
    expect(run(files)).toEqual(expected);
    expect(run(files, { policy: { '*': 'ref-pin' } })).toEqual(expected);
    expect(run(files, { policy: { 'some-org/*': 'any' } })).toEqual([]);
  });

  it('checks reusable workflow calls at jobs.<id>.uses, and ignores local ones (./ and the self-repository $/)', () => {
    const out = run({
      '.github/workflows/call.yml': yaml`
        on: push
        jobs:
          deploy:
            uses: org/shared/.github/workflows/deploy.yml@v2
          local:
            uses: ./.github/workflows/local.yml
          self:
            uses: $/.github/workflows/local.yml
      `,
    });
    expect(out).toEqual([
      '.github/workflows/call.yml:4:11-4:53 medium/high job "deploy" calls reusable workflow org/shared/.github/workflows/deploy.yml@v2, a tag its owner can move to different code at any time; pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
    ]);
  });

  it("a path this repository defines (its own reusable workflow or action at a moving ref) is low, with the local form as the fix", () => {
    const out = run({
      '.github/workflows/nightly.yml': yaml`
        on:
          workflow_call:
          workflow_dispatch:
        jobs:
          t:
            runs-on: ubuntu-latest
            steps:
              - run: make test
      `,
      '.github/actions/setup/action.yml': yaml`
        name: setup
        runs:
          using: composite
          steps:
            - run: echo setup
              shell: bash
      `,
      '.github/workflows/trigger.yml': yaml`
        on:
          schedule:
            - cron: '0 3 * * *'
        jobs:
          nightly:
            uses: acme/widgets/.github/workflows/nightly.yml@main
          other:
            uses: acme/shared/.github/workflows/deploy.yml@main
          s:
            runs-on: ubuntu-latest
            steps:
              - uses: acme/widgets/.github/actions/setup@v2
      `,
    });
    expect(out).toEqual([
      '.github/workflows/trigger.yml:6:11-6:58 low/medium job "nightly" calls reusable workflow acme/widgets/.github/workflows/nightly.yml@main; a reusable workflow with this path is defined in this repository, so this is most likely its own code at a moving ref (only people with write access move it); write ./.github/workflows/nightly.yml (or $/.github/workflows/nightly.yml) to run the same commit, or pin a SHA',
      '.github/workflows/trigger.yml:8:11-8:56 high/high job "other" calls reusable workflow acme/shared/.github/workflows/deploy.yml@main, a branch-like ref whose code changes with every push; pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
      '.github/workflows/trigger.yml:12:15-12:52 low/medium step 1 of job "s" uses acme/widgets/.github/actions/setup@v2; an action with this path is defined in this repository, so this is most likely its own code at a moving ref (only people with write access move it); write ./.github/actions/setup (or $/.github/actions/setup) to run the same commit, or pin a SHA',
    ]);
  });

  it('accepts SLSA generators at a release tag (they cannot run at a SHA), not at a branch', () => {
    const out = run({
      '.github/workflows/prov.yml': yaml`
        on: push
        jobs:
          provenance:
            uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0
          nightly:
            uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@main
      `,
    });
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['.github/workflows/prov.yml:6:11-6:98 high/high']);
  });

  it('checks steps of composite actions', () => {
    const out = run({
      'tools/setup/action.yml': yaml`
        name: setup
        runs:
          using: composite
          steps:
            - uses: some-org/installer@v1
      `,
    });
    expect(out).toEqual([
      'tools/setup/action.yml:5:13-5:34 medium/high step 1 of action "setup" uses some-org/installer@v1, a tag its owner can move to different code at any time; pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
    ]);
  });

  describe('policy option', () => {
    const files = {
      '.github/workflows/p.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: my-org/tool@main
              - uses: my-org/other/sub@v1
              - uses: vendor/thing@v2
      `,
    };

    it('most specific pattern wins; ref-pin accepts tags and branches, any accepts everything', () => {
      const out = run(files, {
        policy: { 'actions/*': 'ref-pin', 'my-org/*': 'ref-pin', 'my-org/other/sub': 'hash-pin', '*': 'any' },
      });
      expect(out).toEqual([
        '.github/workflows/p.yml:8:15-8:34 medium/high step 3 of job "a" uses my-org/other/sub@v1, a tag its owner can move to different code at any time (policy "my-org/other/sub": hash-pin); pin it to a full 40-character commit SHA (keep the version in a trailing comment)',
      ]);
    });

    it('owner/repo covers sub-paths and matching is case-insensitive', () => {
      const out = run(files, { policy: { 'My-Org/Other': 'any', 'ACTIONS/*': 'any', 'vendor/thing': 'ref-pin' } });
      expect(out.map((l) => l.split(' ')[0])).toEqual(['.github/workflows/p.yml:7:15-7:31']);
    });

    it('rejects malformed policies instead of silently using the default', () => {
      expect(() => run(files, { policy: { 'actions/*': 'tag-pin' } })).toThrow(/must be one of any, ref-pin, hash-pin/);
      expect(() => run(files, { policy: { 'actions*': 'any' } })).toThrow(/is not "\*", "owner\/\*"/);
      expect(() => run(files, { policies: {} })).toThrow(/unknown option "policies"/);
      expect(() => run(files, { policy: ['x'] })).toThrow(/must be a mapping/);
    });
  });

  it('keeps the fingerprint when lines move', () => {
    const a = auditFiles(rule, {
      '.github/workflows/f.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - id: co
                uses: vendor/x@main
      `,
    });
    const b = auditFiles(rule, {
      '.github/workflows/f.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo first
              - id: co
                uses: vendor/x@main
      `,
    });
    expect(a[0]!.fingerprint).toBe(b[0]!.fingerprint);
    expect(a[0]!.location.startLine).not.toBe(b[0]!.location.startLine);
  });
});
