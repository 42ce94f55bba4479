import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tree } from '../helpers.js';

/**
 * Issue 8, item 5: `fix` corrupted workflows that already had `persist-credentials`: an empty value
 * became `persist-credentials:false` (so `with:` became a string), `# keep` became `false# keep`,
 * and a sequence value was refused as "invalid YAML ... please report this as a bug". Each variant
 * is fixed through the YAML node's range, and the exact fixed text is asserted.
 */

const WF = '.github/workflows/ci.yml';
const HEAD = 'on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
// upload-artifact with hidden files: the checkout's .git (and its token) goes into the artifact.
const UPLOAD = '      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n          include-hidden-files: true\n';

const wf = (withBlock: string): string => `${HEAD}${withBlock}${UPLOAD}`;

const CASES: Array<[string, string, string]> = [
  ['empty value', '        with:\n          persist-credentials:\n', '        with:\n          persist-credentials: false\n'],
  ['empty value with a comment', '        with:\n          persist-credentials: # keep\n', '        with:\n          persist-credentials: false # keep\n'],
  ['a sequence', '        with:\n          persist-credentials:\n            - true\n', '        with:\n          persist-credentials: false\n'],
  ['true', '        with:\n          persist-credentials: true\n', '        with:\n          persist-credentials: false\n'],
  ['quoted', "        with:\n          persist-credentials: 'true'\n", '        with:\n          persist-credentials: false\n'],
  ['a flow mapping', '        with: {persist-credentials: true}\n', '        with: {persist-credentials: false}\n'],
  ['another key after it', '        with:\n          persist-credentials:\n          fetch-depth: 0\n', '        with:\n          persist-credentials: false\n          fetch-depth: 0\n'],
  ['no with: at all', '', '        with:\n          persist-credentials: false\n'],
];

describe('fix: persist-credentials variants (CLI)', () => {
  for (const [name, before, after] of CASES) {
    it(`${name}: becomes persist-credentials: false and nothing else changes`, () => {
      const root = tree({ [WF]: wf(before) });
      const r = cli(['fix', '--unsafe', '.'], { cwd: root });
      expect(r.stderr).not.toContain('error');
      expect(r.code).toBe(0);
      expect(readFileSync(join(root, WF), 'utf8')).toBe(wf(after));
      const audit = cli(['audit', '--format', 'json', '.'], { cwd: root });
      expect((JSON.parse(audit.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId)).toEqual(['unpinned-uses', 'unpinned-uses']);
    });
  }

  it('a with: that is not a mapping gets no fix (not reshaped), and the file is left alone', () => {
    const text = wf('        with: ${{ fromJSON(vars.CHECKOUT) }}\n');
    const root = tree({ [WF]: text });
    const r = cli(['fix', '--unsafe', '.'], { cwd: root });
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, WF), 'utf8')).toBe(text);
  });
});
