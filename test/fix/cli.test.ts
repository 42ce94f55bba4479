import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tree } from '../helpers.js';

const WF = '.github/workflows/triage.yml';
const VULNERABLE = `# triage new issues
on: issues
permissions: {}
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4 # pinned below
      - name: Log
        run: |
          echo "New issue: \${{ github.event.issue.title }}"
`;

const EXPECTED_DIFF = `--- a/${WF}
+++ b/${WF}
@@ -5,7 +5,11 @@
   triage:
     runs-on: ubuntu-latest
     steps:
-      - uses: actions/checkout@v4 # pinned below
+      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4 - pinned below
+        with:
+          persist-credentials: false
       - name: Log
+        env:
+          ISSUE_TITLE: \${{ github.event.issue.title }}
         run: |
-          echo "New issue: \${{ github.event.issue.title }}"
+          echo "New issue: \${ISSUE_TITLE}"
`;

const PINS = '{ "actions/checkout@v4": "11bd71901bbe5b1630ceea73d27597364c9af683" }\n';

describe('pipewarden fix (CLI)', () => {
  it('--dry-run prints the exact unified diff and writes nothing', () => {
    const root = tree({ [WF]: VULNERABLE, 'pins.json': PINS });
    const r = cli(['fix', '--dry-run', '--pins', 'pins.json', '.'], { cwd: root });
    expect(r.stdout).toBe(EXPECTED_DIFF);
    expect(r.stderr.split('\n').at(-2)).toBe('3 fixes would be applied in 1 file, 0 remaining findings');
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, WF), 'utf8')).toBe(VULNERABLE);
  });

  it('writes the fixed file atomically; a re-audit finds nothing', () => {
    const root = tree({ [WF]: VULNERABLE, 'pins.json': PINS });
    const r = cli(['fix', '--pins', 'pins.json'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('3 fixes applied in 1 file, 0 remaining findings');
    const fixed = readFileSync(join(root, WF), 'utf8');
    expect(fixed).toContain('# triage new issues\n');
    expect(fixed).toContain('echo "New issue: ${ISSUE_TITLE}"');
    expect(readdirSync(join(root, '.github/workflows'))).toEqual(['triage.yml']); // no temp files left
    const audit = cli(['audit', '.', '--format', 'json'], { cwd: root });
    expect(JSON.parse(audit.stdout).findings).toEqual([]);
    // Idempotent: nothing left to do.
    const again = cli(['fix', '--dry-run', '--pins', 'pins.json'], { cwd: root });
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('0 fixes would be applied in 0 files, 0 remaining findings');
  });

  it('without pins the unpinned action stays a remaining finding; exit 0 (nothing fixable left)', () => {
    const root = tree({ [WF]: VULNERABLE });
    const r = cli(['fix', '--dry-run'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').at(-2)).toBe('2 fixes would be applied in 1 file, 1 remaining finding');
  });

  it('never writes through a symbolic link', () => {
    const root = tree({ 'real/triage.yml': VULNERABLE, '.github/workflows/.keep': '' });
    symlinkSync(join(root, 'real/triage.yml'), join(root, WF));
    const r = cli(['fix', '.'], { cwd: root });
    expect(r.stderr).toContain(`${WF}: note: symbolic link not followed`);
    expect(readFileSync(join(root, 'real/triage.yml'), 'utf8')).toBe(VULNERABLE);
  });

  it('exit 2 for a malformed pins file', () => {
    const root = tree({ [WF]: VULNERABLE, 'pins.yml': 'actions/checkout@v4: nope\n' });
    const r = cli(['fix', '--pins', 'pins.yml'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: pins.yml: "actions/checkout@v4" must map to a 40-character commit SHA\n');
  });

  it('--unsafe applies the least-privilege permissions rewrite', () => {
    const root = tree({
      [WF]: 'on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gh issue edit 1 --add-label x\n        env:\n          GH_TOKEN: ${{ github.token }}\n',
    });
    const safe = cli(['fix', '--dry-run'], { cwd: root });
    expect(safe.stdout).toBe('');
    expect(safe.stderr).toContain('(1 with an unsafe fix: review, then rerun with --unsafe)');
    const r = cli(['fix', '--unsafe'], { cwd: root });
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, WF), 'utf8')).toBe(
      'on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      issues: write\n    steps:\n      - run: gh issue edit 1 --add-label x\n        env:\n          GH_TOKEN: ${{ github.token }}\n',
    );
  });
});
