import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { DEFAULT_CONFIG } from '../../src/config/types.js';
import { GITHUB_RULES } from '../../src/platforms/github/platform.js';
import { auditFiles, yaml } from '../../src/audits/github/testing.js';
import { fixFiles, type FixFile } from '../../src/fix/engine.js';
import { pinsFileResolver, parsePins } from '../../src/fix/pins.js';
import { classifyGithubPath } from '../../src/platforms/github/load.js';

/** Every GitHub rule over the files, as `rule message` (locations move when lines are added). */
function auditAll(files: Record<string, string>): Finding[] {
  return GITHUB_RULES.flatMap((r) => auditFiles(r, files));
}
const keys = (fs: Finding[]) => fs.map((f) => `${f.ruleId}: ${f.message}`).sort();

async function fix(files: Record<string, string>, opts: { unsafe?: boolean; pins?: string } = {}) {
  const list: FixFile[] = Object.entries(files).map(([path, text]) => ({ path, repoPath: path, text, kind: classifyGithubPath(path)! }));
  const result = await fixFiles(list, { config: DEFAULT_CONFIG, unsafe: opts.unsafe ?? false, resolver: opts.pins ? pinsFileResolver(parsePins(opts.pins, 'pins.yml')) : undefined });
  const after = Object.fromEntries([...result.texts]);
  return { result, after };
}

/** The fix removed the finding(s) of `ruleId` it targeted and no rule reports anything new. */
function expectFixed(before: Record<string, string>, after: Record<string, string>, gone: (f: Finding) => boolean) {
  const was = auditAll(before);
  const now = auditAll(after);
  expect(was.filter(gone).length).toBeGreaterThan(0);
  expect(now.filter(gone)).toEqual([]);
  const old = new Set(keys(was));
  expect(keys(now).filter((k) => !old.has(k))).toEqual([]);
}

const W = '.github/workflows/ci.yml';

describe('template-injection fix', () => {
  it('moves expressions into env: and quotes by context (run:)', async () => {
    const before = {
      [W]: yaml`
        on: issues
        permissions: {}
        jobs:
          triage:
            runs-on: ubuntu-latest
            steps:
              # keep this comment
              - name: Log
                run: |
                  echo "Title: \${{ github.event.issue.title }}"   # trailing comment
                  echo \${{ github.event.issue.body }} | wc -c
                  echo "again \${{ github.event.issue.title }}"
      `,
    };
    const { after, result } = await fix(before);
    expect(after[W]).toBe(yaml`
      on: issues
      permissions: {}
      jobs:
        triage:
          runs-on: ubuntu-latest
          steps:
            # keep this comment
            - name: Log
              env:
                ISSUE_TITLE: \${{ github.event.issue.title }}
                ISSUE_BODY: \${{ github.event.issue.body }}
              run: |
                echo "Title: \${ISSUE_TITLE}"   # trailing comment
                echo "\${ISSUE_BODY}" | wc -c
                echo "again \${ISSUE_TITLE}"
    `);
    expect(result.applied).toHaveLength(1);
    expect(result.applied[0]!.findings).toBe(2); // the title twice is one finding with 2 occurrences
    expectFixed(before, after, (f) => f.ruleId === 'template-injection');
  });

  it('extends an existing env:, reuses its names, avoids taken ones; single quotes need --unsafe', async () => {
    const before = {
      [W]: yaml`
        on: pull_request_target
        permissions: {}
        env:
          HEAD_REF: fixed
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  echo "$TITLE \${{ github.event.pull_request.title }}"
                  jq -n '{ref: "\${{ github.head_ref }}"}'
                env:
                  TITLE: \${{ github.event.pull_request.title }}
      `,
    };
    const safe = await fix(before);
    expect(safe.after[W]).toContain('echo "$TITLE ${TITLE}"');
    expect(safe.after[W]).toContain(`jq -n '{ref: "\${{ github.head_ref }}"}'`);
    expect(safe.result.unsafeAvailable.map((f) => f.ruleId)).toEqual(['template-injection']);
    const all = await fix(before, { unsafe: true });
    expect(all.after[W]).toBe(yaml`
      on: pull_request_target
      permissions: {}
      env:
        HEAD_REF: fixed
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - run: |
                echo "$TITLE \${TITLE}"
                jq -n '{ref: "'"\${HEAD_REF_2}"'"}'
              env:
                TITLE: \${{ github.event.pull_request.title }}
                HEAD_REF_2: \${{ github.head_ref }}
    `);
    expectFixed(before, all.after, (f) => f.ruleId === 'template-injection');
  });

  it('github-script: a whole string literal becomes process.env.NAME', async () => {
    const before = {
      [W]: yaml`
        on: issue_comment
        permissions:
          issues: write
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
                with:
                  script: |
                    const body = "\${{ github.event.comment.body }}";
                    console.log(\`on \${{ github.event.issue.title }}\`);
      `,
    };
    const { after } = await fix(before);
    expect(after[W]).toContain('        env:\n          COMMENT_BODY: ${{ github.event.comment.body }}\n          ISSUE_TITLE: ${{ github.event.issue.title }}\n        with:\n');
    expect(after[W]).toContain('const body = process.env.COMMENT_BODY;');
    expect(after[W]).toContain('console.log(`on ${process.env.ISSUE_TITLE}`);');
    expectFixed(before, after, (f) => f.ruleId === 'template-injection');
  });
});

describe('artipacked fix', () => {
  it('adds persist-credentials: false under an existing with:, or creates with:', async () => {
    const before = {
      [W]: yaml`
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
                with:
                  fetch-depth: 0 # full history
              - run: make
          b:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
              - run: make
      `,
    };
    const { after } = await fix(before);
    expect(after[W]).toBe(yaml`
      on: push
      permissions: {}
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
              with:
                fetch-depth: 0 # full history
                persist-credentials: false
            - run: make
        b:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
              with:
                persist-credentials: false
            - run: make
    `);
    expectFixed(before, after, (f) => f.ruleId === 'artipacked');
  });

  it('is unsafe when a later step pushes with the credentials', async () => {
    const before = {
      [W]: yaml`
        on: push
        permissions:
          contents: write
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
              - uses: actions/upload-artifact@6f51ac03b9356f520e9adb1b1b7802705f340c2b # v4.5.0
                with:
                  path: .
                  include-hidden-files: true
              - run: git push
      `,
    };
    const safe = await fix(before);
    expect(safe.after[W]).toBe(before[W]);
    const unsafe = await fix(before, { unsafe: true });
    expect(unsafe.after[W]).toContain('# v4.1.1\n        with:\n          persist-credentials: false\n');
    expectFixed(before, unsafe.after, (f) => f.ruleId === 'artipacked');
  });
});

describe('unsound-condition fix', () => {
  it('if: | becomes if: |- and stray whitespace around one template goes', async () => {
    const before = {
      [W]: yaml`
        on: push
        permissions: {}
        jobs:
          a:
            if: |
              \${{ github.ref == 'refs/heads/main' }}
            runs-on: ubuntu-latest
            steps:
              - if: " \${{ github.event_name == 'push' }} "
                run: echo hi
      `,
    };
    const { after } = await fix(before);
    expect(after[W]).toContain("    if: |-\n      ${{ github.ref == 'refs/heads/main' }}\n");
    expect(after[W]).toContain("      - if: ${{ github.event_name == 'push' }}\n");
    expectFixed(before, after, (f) => f.ruleId === 'unsound-condition');
  });

  it('several templates joined by text become one expression (unsafe)', async () => {
    const before = {
      [W]: yaml`
        on: push
        permissions: {}
        jobs:
          a:
            if: \${{ github.event_name == 'push' }} && \${{ github.ref == 'refs/heads/main' }}
            runs-on: ubuntu-latest
            steps:
              - run: echo hi
      `,
    };
    expect((await fix(before)).after[W]).toBe(before[W]);
    const { after } = await fix(before, { unsafe: true });
    expect(after[W]).toContain("    if: ${{ (github.event_name == 'push') && (github.ref == 'refs/heads/main') }}\n");
    expectFixed(before, after, (f) => f.ruleId === 'unsound-condition');
  });
});

describe('unpinned-uses fix', () => {
  it('pins refs listed in the pins file, keeping the version as a comment', async () => {
    const before = {
      [W]: yaml`
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  persist-credentials: false
              - uses: "Foo/Bar@main" # our fork
              - uses: other/unknown@v1
      `,
    };
    const pins = 'actions/checkout@v4: 11BD71901BBE5B1630CEEA73D27597364C9AF683\nfoo/bar@main: "0123456789abcdef0123456789abcdef01234567"\n';
    const { after, result } = await fix(before, { pins });
    expect(after[W]).toBe(yaml`
      on: push
      permissions: {}
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4
              with:
                persist-credentials: false
            - uses: "Foo/Bar@0123456789abcdef0123456789abcdef01234567" # main - our fork
            - uses: other/unknown@v1
    `);
    expect(result.diagnostics.map((d) => d.message)).toContain('no commit SHA known for other/unknown@v1; add it to the --pins file to pin it');
    const now = auditAll(after).filter((f) => f.ruleId === 'unpinned-uses');
    expect(now.map((f) => f.message)).toEqual([expect.stringContaining('other/unknown@v1')]);
    const old = new Set(keys(auditAll(before)));
    expect(keys(auditAll(after)).filter((k) => !old.has(k))).toEqual([]);
  });

  it('rejects a malformed pins file with the key named', () => {
    expect(() => parsePins('actions/checkout@v4: abc\n', 'p.yml')).toThrow('p.yml: "actions/checkout@v4" must map to a 40-character commit SHA');
    expect(() => parsePins('checkout: 11bd71901bbe5b1630ceea73d27597364c9af683\n', 'p.yml')).toThrow('p.yml: "checkout" is not owner/repo@ref');
  });
});

describe('excessive-permissions fix (unsafe)', () => {
  it('writes permissions: {} at the top and the inferred scopes per job', async () => {
    const before = {
      [W]: yaml`
        on: pull_request_target
        permissions: write-all
        jobs:
          label:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
                with:
                  script: |
                    await github.rest.issues.addLabels({ ...context.repo, issue_number: 1, labels: ['x'] });
          comment:
            runs-on: ubuntu-latest
            steps:
              - run: gh api repos/{owner}/{repo}/pulls/1 --jq .title
                env:
                  GH_TOKEN: \${{ github.token }}
          lint:
            runs-on: ubuntu-latest
            steps:
              - run: echo lint
      `,
    };
    expect((await fix(before)).after[W]).toBe(before[W]);
    const { after, result } = await fix(before, { unsafe: true });
    expect(after[W]).toBe(yaml`
      on: pull_request_target
      permissions: {}
      jobs:
        label:
          runs-on: ubuntu-latest
          permissions:
            issues: write
          steps:
            - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
              with:
                script: |
                  await github.rest.issues.addLabels({ ...context.repo, issue_number: 1, labels: ['x'] });
        comment:
          runs-on: ubuntu-latest
          permissions:
            pull-requests: read
          steps:
            - run: gh api repos/{owner}/{repo}/pulls/1 --jq .title
              env:
                GH_TOKEN: \${{ github.token }}
        lint:
          runs-on: ubuntu-latest
          steps:
            - run: echo lint
    `);
    expect(result.applied.map((a) => a.safety)).toEqual(['unsafe']);
    expectFixed(before, after, (f) => f.ruleId === 'excessive-permissions');
  });

  it('is not offered when a job runs an action whose needs are unknown', async () => {
    const before = {
      [W]: yaml`
        on: push
        permissions: write-all
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: some/action@0123456789abcdef0123456789abcdef01234567
      `,
    };
    expect((await fix(before, { unsafe: true })).after[W]).toBe(before[W]);
  });
});

describe('fix loop', () => {
  it('fixes that touch the same step are applied over several passes', async () => {
    const before = {
      [W]: yaml`
        on: issues
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
              - run: echo "\${{ github.event.issue.title }}"
      `,
    };
    const { after, result } = await fix(before);
    expect(result.pending).toEqual([]);
    expect(after[W]).toContain('persist-credentials: false');
    expect(after[W]).toContain('echo "${ISSUE_TITLE}"');
    expectFixed(before, after, (f) => f.ruleId === 'template-injection' || f.ruleId === 'artipacked');
  });

  it('respects inline ignores', async () => {
    const before = {
      [W]: yaml`
        on: issues
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              # pipewarden: ignore[template-injection] reviewed
              - run: echo "\${{ github.event.issue.title }}"
      `,
    };
    expect((await fix(before)).after[W]).toBe(before[W]);
  });
});
