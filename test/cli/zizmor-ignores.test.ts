import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tree } from '../helpers.js';

// A workflow already annotated for zizmor: its comment must silence pipewarden's same finding.
const workflow = (comment: string): string => `on: issues
permissions: {}
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - name: show the title
        run: | ${comment}
          echo "title:"
          echo "\${{ github.event.issue.title }}"
`;

const FINDING = `.github/workflows/label.yml:10:17: high[high] template-injection: "github.event.issue.title" is attacker-controlled and is expanded into the run: script of step "show the title"; pass it through env: and read "$VAR" instead
  10 |           echo "\${{ github.event.issue.title }}"
     |                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = note: .github/workflows/label.yml:1:5: "issues" lets an outside user set github.event.issue.title
  = fix: move github.event.issue.title into env: ISSUE_TITLE and read it from the environment (pipewarden fix)
  = help: pipewarden rules template-injection

1 finding (1 high)
(severity[confidence]: high[high] means high severity, high confidence that the finding is real)
`;

describe("zizmor's inline ignore comments through the CLI", () => {
  it('# zizmor: ignore[template-injection] on the run: header suppresses the finding and counts it', () => {
    const root = tree({ '.github/workflows/label.yml': workflow('# zizmor: ignore[template-injection] title is only echoed') });
    const r = cli(['audit', '.'], { cwd: root });
    expect(r).toEqual({ code: 0, stdout: 'no findings, 1 suppressed\n', stderr: '' });
    const json = JSON.parse(cli(['audit', '.', '-f', 'json'], { cwd: root }).stdout) as { findings: unknown[]; diagnostics: unknown[]; summary: { total: number; suppressed: number } };
    expect([json.findings, json.diagnostics, json.summary.total, json.summary.suppressed]).toEqual([[], [], 0, 1]);
  });

  it('a zizmor audit name for another problem does not suppress it, and is not warned about', () => {
    const root = tree({ '.github/workflows/label.yml': workflow('# zizmor: ignore[unpinned-uses,superfluous-actions]') });
    expect(cli(['audit', '.'], { cwd: root })).toEqual({ code: 1, stdout: FINDING, stderr: '' });
  });

  it('inline-ignores.zizmor: false in the config turns the support off', () => {
    const root = tree({ '.github/workflows/label.yml': workflow('# zizmor: ignore[template-injection]') });
    writeFileSync(join(root, 'pipewarden.yml'), 'inline-ignores:\n  zizmor: false\n');
    expect(cli(['audit', '.'], { cwd: root })).toEqual({ code: 1, stdout: FINDING, stderr: '' });
  });
});
