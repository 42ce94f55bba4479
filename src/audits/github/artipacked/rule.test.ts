import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';

describe('artipacked', () => {
  it('high when the workspace (with .git) is uploaded by a version that includes hidden files', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/ci.yml': yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - name: Checkout
                uses: actions/checkout@v4
              - run: make
              - name: Upload
                uses: actions/upload-artifact@v4
                with:
                  path: .
                  include-hidden-files: true
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/ci.yml:7:15-7:34 high/high step "Checkout" leaves the job\'s token in .git/config and step "Upload" uploads it as an artifact; set persist-credentials: false',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
      '12:17 "." takes .git/config into artifact step "Upload"',
    ]);
  });

  it('high for old pinned upload-artifact versions, medium confidence when the version is unknown', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v3
                - uses: actions/upload-artifact@v4.3.1
                  with:
                    path: |
                      dist/
                      ./
            b:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    path: src
                - uses: actions/upload-artifact@${SHA}
                  with:
                    path: src/**
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:6:15-6:34 high/high step "actions/checkout@v3" leaves the job\'s token in .git/config and step "actions/upload-artifact@v4.3.1" uploads it as an artifact; set persist-credentials: false',
      `.github/workflows/ci.yml:15:15-15:34 high/medium step "actions/checkout@v4" leaves the job's token in .git/config and step "actions/upload-artifact@${SHA}" uploads it as an artifact; set persist-credentials: false`,
    ]);
  });

  it('low hardening finding when nothing uploads the checkout or the upload skips hidden files', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - uses: actions/upload-artifact@v4
                  with:
                    path: .
            b:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - run: make test
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:6:15-6:34 low/low step "actions/checkout@v4" persists the job\'s token for later steps without needing it (upload step "actions/upload-artifact@v4" excludes hidden files); set persist-credentials: false',
      '.github/workflows/ci.yml:13:15-13:34 low/low step "actions/checkout@v4" persists the job\'s token for later steps without needing it; set persist-credentials: false',
    ]);
  });

  it('checkout v6+ keeps credentials out of the workspace: uploading it is only hardening', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@${SHA} # v6.0.1
                - uses: actions/upload-artifact@v3.1.0
                  with:
                    path: .
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:6:15-6:72 low/low step "actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11" persists the job\'s token for later steps without needing it; set persist-credentials: false',
    ]);
  });

  it('is silent with persist-credentials: false, unrelated upload paths, exclusions of .git, or when the job pushes', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    persist-credentials: false
                - uses: actions/upload-artifact@v2
                  with:
                    path: .
            b:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - uses: actions/upload-artifact@v2
                  with:
                    path: |
                      .
                      !.git
                - uses: actions/upload-artifact@v2
                  with:
                    path: dist/
                - run: |
                    git commit -am "bump" && git push
            c:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    persist-credentials: true
        `,
      }),
    ).toEqual([]);
  });

  it('reports at an explicit persist-credentials: true when an upload takes .git', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    persist-credentials: true
                - uses: actions/upload-artifact@v4
                  with:
                    path: \${{ github.workspace }}/.git
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:8:32-8:36 high/high step "actions/checkout@v4" leaves the job\'s token in .git/config and step "actions/upload-artifact@v4" uploads it as an artifact; set persist-credentials: false',
    ]);
  });

  it('checks composite actions too', () => {
    expect(
      run({
        'build/action.yml': yaml`
          runs:
            using: composite
            steps:
              - uses: actions/checkout@v4
              - uses: actions/upload-artifact@v4
                with:
                  path: '**'
                  include-hidden-files: true
        `,
      }),
    ).toEqual([
      'build/action.yml:4:13-4:32 high/high step "actions/checkout@v4" leaves the job\'s token in .git/config and step "actions/upload-artifact@v4" uploads it as an artifact; set persist-credentials: false',
    ]);
  });
});
