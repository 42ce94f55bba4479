import { describe, expect, it } from 'vitest';
import { ARCHIVED_ACTIONS, parseArchivedActions } from '../../../platforms/github/supply-chain.js';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('archived-uses', () => {
  it('flags archived actions, owner-wide entries and sub-paths, naming the replacement', () => {
    expect(
      run({
        '.github/workflows/release.yml': yaml`
          on: push
          jobs:
            release:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/create-release@v1
                - name: Rust
                  uses: actions-rs/toolchain@v1
                - uses: Actions/Setup-Ruby@v1
                - uses: haskell/actions/setup@v2
        `,
      }),
    ).toEqual([
      '.github/workflows/release.yml:6:15-6:40 medium/high step 1 of job "release" uses actions/create-release, whose repository was archived or deprecated (2021-03-04) and gets no security fixes; switch to softprops/action-gh-release, ncipollo/release-action or `gh release create`',
      '.github/workflows/release.yml:8:15-8:38 medium/high step "Rust" of job "release" uses actions-rs/toolchain, whose repository was archived or deprecated (2023-10-13) and gets no security fixes; switch to dtolnay/rust-toolchain, or rustup and cargo commands in run: steps',
      '.github/workflows/release.yml:9:15-9:36 medium/high step 3 of job "release" uses Actions/Setup-Ruby, whose repository was archived or deprecated (2021) and gets no security fixes; switch to ruby/setup-ruby',
      '.github/workflows/release.yml:10:15-10:39 medium/high step 4 of job "release" uses haskell/actions/setup, whose repository was archived or deprecated (2023) and gets no security fixes; switch to haskell-actions/setup (and the other haskell-actions/* repositories)',
    ]);
  });

  it('does not flag maintained actions with similar names, replacements, or local actions', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - uses: ruby/setup-ruby@v1
                - uses: haskell-actions/setup@v2
                - uses: actions/create-github-app-token@v1
                - uses: actions-rust-lang/setup-rust-toolchain@v1
                - uses: ./actions/create-release
        `,
      }),
    ).toEqual([]);
  });

  it('ships a list where every entry has a date and a source', () => {
    expect(ARCHIVED_ACTIONS.length).toBeGreaterThanOrEqual(8);
    for (const e of ARCHIVED_ACTIONS) expect(e.source).toMatch(/^https:\/\//);
    expect(() => parseArchivedActions({ actions: [{ pattern: '*', archived: '2020', source: 'x' }] })).toThrow(/pattern/);
  });
});
