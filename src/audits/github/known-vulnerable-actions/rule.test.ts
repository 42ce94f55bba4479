import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const wf = (steps: string) =>
  yaml`
    on: push
    jobs:
      a:
        runs-on: ubuntu-latest
        steps:
  ` + steps;

const MRRH = 'GHSA-mrrh-fwg8-r2c3 (CVE-2025-30066): tags v1 through v45.0.7 were moved to a malicious commit that printed CI secrets to the workflow log; upgrade to 46.0.1 or later and pin it by commit SHA';
const MCPH = "GHSA-mcph-m25j-8j63 (CVE-2023-51664): Command injection through crafted file names in the action's outputs (GHSL-2023-271); upgrade to 41.0.0 or later and pin it by commit SHA";
const CXWW = 'GHSA-cxww-7g56-2vh6 (CVE-2024-42471): Arbitrary file write: artifact extraction follows path-traversal file names; upgrade to 4.1.7 or later and pin it by commit SHA';

describe('known-vulnerable-actions', () => {
  it('flags an exact affected release with high confidence, one finding per advisory', () => {
    expect(run({ '.github/workflows/a.yml': wf('      - uses: tj-actions/changed-files@v35.7.7\n') })).toEqual([
      `.github/workflows/a.yml:6:15-6:47 high/high step 1 of job "a" uses tj-actions/changed-files@v35.7.7, a release affected by ${MRRH}`,
      `.github/workflows/a.yml:6:15-6:47 high/high step 1 of job "a" uses tj-actions/changed-files@v35.7.7, a release affected by ${MCPH}`,
    ]);
  });

  it('matches versions written without a leading v, and owner/repo case-insensitively', () => {
    expect(
      run({
        '.github/workflows/a.yml': wf('      - name: Scan\n        uses: AquaSecurity/Trivy-Action@0.28.0\n      - uses: aquasecurity/trivy-action@0.35.0\n'),
      }),
    ).toEqual([
      '.github/workflows/a.yml:7:15-7:47 critical/high step "Scan" of job "a" uses AquaSecurity/Trivy-Action@0.28.0, a release affected by GHSA-69fq-xp46-6x23 (CVE-2026-33634): 76 of 77 version tags were force-pushed to credential-stealing malware; upgrade to 0.35.0 or later and pin it by commit SHA',
    ]);
  });

  it('a major tag whose whole line is affected is medium confidence; one spanning the fix is low/low', () => {
    expect(
      run({
        '.github/workflows/a.yml': wf('      - uses: tj-actions/changed-files@v44\n      - uses: actions/download-artifact@v4\n'),
      }),
    ).toEqual([
      `.github/workflows/a.yml:6:15-6:43 high/medium step 1 of job "a" uses tj-actions/changed-files@v44, a floating tag whose every v44.x release is affected by ${MRRH}`,
      `.github/workflows/a.yml:7:15-7:43 low/low step 2 of job "a" uses actions/download-artifact@v4, a floating tag that covers both affected and fixed releases (it most likely resolves to a fixed one now) of ${CXWW}`,
    ]);
  });

  it('a SHA pin is flagged for certain when it is a known malicious commit', () => {
    expect(run({ '.github/workflows/a.yml': wf('      - uses: tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67\n') })).toEqual([
      `.github/workflows/a.yml:6:15-6:80 high/high step 1 of job "a" uses tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67, a commit that carried the malicious code of ${MRRH}`,
    ]);
  });

  it('a SHA pin with a version comment is matched on the comment with medium confidence', () => {
    expect(
      run({
        '.github/workflows/a.yml': wf(
          '      - uses: actions/download-artifact@9c19ed7fe5d278cd354c7dfd5d3b88589c7e2395 # v4.1.2\n' +
            '      - uses: actions/download-artifact@fa0a91b85d4f404e444e00e005971372dc801d16 # v4.1.8\n' +
            '      - uses: actions/download-artifact@fa0a91b85d4f404e444e00e005971372dc801d16\n',
        ),
      }),
    ).toEqual([
      `.github/workflows/a.yml:6:15-6:81 high/medium step 1 of job "a" uses actions/download-artifact@9c19ed7fe5d278cd354c7dfd5d3b88589c7e2395, pinned to a commit its comment says is v4.1.2, which is affected by ${CXWW}`,
    ]);
  });

  it('flags a tag that was moved onto malicious code during an incident, not other releases of that action', () => {
    expect(run({ '.github/workflows/a.yml': wf('      - uses: reviewdog/action-setup@v1\n      - uses: reviewdog/action-setup@v1.3.0\n') })).toEqual([
      '.github/workflows/a.yml:6:15-6:40 high/medium step 1 of job "a" uses reviewdog/action-setup@v1, a tag that pointed at malicious code during 2025-03-11, about 18:42 to 20:31 UTC (then restored) per GHSA-qmg3-hpqr-gqvc (CVE-2025-30154): the v1 tag was moved to a commit that dumped runner memory, CI secrets included, into the workflow log; pin it to a commit SHA you have reviewed',
    ]);
  });

  it('ignores fixed releases, other majors, branches and actions without advisories', () => {
    expect(
      run({
        '.github/workflows/a.yml': wf(
          '      - uses: tj-actions/changed-files@v46.0.1\n' +
            '      - uses: tj-actions/changed-files@v46\n' +
            '      - uses: actions/download-artifact@v3\n' +
            '      - uses: actions/download-artifact@v4.1.7\n' +
            '      - uses: tj-actions/changed-files@main\n' +
            '      - uses: actions/checkout@v4\n' +
            '      - uses: ./.github/actions/changed-files\n',
        ),
      }),
    ).toEqual([]);
  });

  it('checks reusable workflows by their full path, and composite action steps', () => {
    expect(
      run({
        '.github/workflows/tf.yml': yaml`
          on: push
          jobs:
            plan:
              uses: kartverket/github-workflows/.github/workflows/run-terraform.yml@v2.7.4
            other:
              uses: kartverket/github-workflows/.github/workflows/other.yml@v2.7.4
        `,
        'ci/action.yml': yaml`
          name: ci
          runs:
            using: composite
            steps:
              - uses: gradle/gradle-build-action@v2.4.0
        `,
      }),
    ).toEqual([
      '.github/workflows/tf.yml:4:11-4:81 high/high job "plan" uses kartverket/github-workflows/.github/workflows/run-terraform.yml@v2.7.4, a release affected by GHSA-f9qj-7gh3-mhj4 (CVE-2022-39326): The run-terraform reusable workflow allows remote code execution via terraform plan; upgrade to 2.7.5 or later and pin it by commit SHA',
      'ci/action.yml:5:13-5:46 high/high step 1 of action "ci" uses gradle/gradle-build-action@v2.4.0, a release affected by GHSA-h3qr-39j9-4r5v (CVE-2023-30853): Data written to the GitHub Actions cache may expose secrets; upgrade to 2.4.2 or later and pin it by commit SHA',
    ]);
  });

  it('says so when an advisory lists no fixed release', () => {
    const out = run({ '.github/workflows/a.yml': wf('      - uses: j178/prek-action@v1.0.5\n') });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/no fixed release is listed \(affected: <= 1\.0\.5\); remove it or pin a reviewed commit outside that range$/);
  });
});
