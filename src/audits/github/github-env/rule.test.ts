import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const ENV_TAIL = 'a newline in it can set any variable (such as LD_PRELOAD, NODE_OPTIONS or BASH_ENV) for the following steps';

describe('github-env', () => {
  it('flags an attacker-controlled expression echoed into $GITHUB_ENV, at the writing line', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/t.yml': yaml`
        on: pull_request_target
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - name: Save title
                run: |
                  echo "start"
                  echo "TITLE=\${{ github.event.pull_request.title }}" >> "$GITHUB_ENV"
      `,
    });
    expect(summarize(findings)).toEqual([
      `.github/workflows/t.yml:9:11-9:79 high/high step "Save title" writes attacker-controlled "github.event.pull_request.title" to $GITHUB_ENV; ${ENV_TAIL}`,
    ]);
    expect(findings[0]!.location.endLine).toBe(9);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual([
      '1:"pull_request_target" lets an outside user set github.event.pull_request.title',
    ]);
  });

  it('treats the runner default $GITHUB_HEAD_REF as github.head_ref', () => {
    const out = run({
      '.github/workflows/h.yml': yaml`
        on: pull_request_target
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "$GITHUB_HEAD_REF" >> "$GITHUB_ENV"
      `,
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\.github\/workflows\/h\.yml:6:\d+-6:\d+ high\/\w+ .*github\.head_ref/);
  });

  it('recognises every spelling of the target: $X, "${X}", tee -a, >> without a space', () => {
    const out = run({
      '.github/workflows/s.yml': yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  echo "A=\${{ github.event.issue.title }}" >> $GITHUB_ENV
                  echo "B=\${{ github.event.issue.title }}" >>"\${GITHUB_ENV}"
                  echo "C=\${{ github.event.issue.body }}" | tee -a $GITHUB_ENV
                  printf 'D=%s\\n' "\${{ github.event.issue.body }}" > "$GITHUB_ENV"
      `,
    });
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      '.github/workflows/s.yml:7:11-7:66 high/high',
      '.github/workflows/s.yml:8:11-8:69 high/high',
      '.github/workflows/s.yml:9:11-9:71 high/high',
      '.github/workflows/s.yml:10:11-10:75 high/high',
    ]);
  });

  it('follows shell variables bound to attacker-controlled env: entries', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/v.yml': yaml`
        on: issue_comment
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - name: Keep body
                env:
                  BODY: \${{ github.event.comment.body }}
                run: echo "BODY=$BODY" >> $GITHUB_ENV
      `,
    });
    expect(summarize(findings)).toEqual([
      `.github/workflows/v.yml:9:14-9:46 high/high step "Keep body" writes "$BODY" (carrying attacker-controlled github.event.comment.body) to $GITHUB_ENV; ${ENV_TAIL}`,
    ]);
    expect(findings[0]!.related[0]!.startLine).toBe(8);
  });

  it('does not read $VAR inside single quotes, nor env vars that are not attacker-controlled', () => {
    expect(
      run({
        '.github/workflows/q.yml': yaml`
          on: issue_comment
          jobs:
            a:
              runs-on: ubuntu-latest
              env:
                BODY: \${{ github.event.comment.body }}
                SHA: \${{ github.sha }}
              steps:
                - run: |
                    echo 'BODY=$BODY' >> $GITHUB_ENV
                    echo "SHA=$SHA" >> $GITHUB_ENV
                    echo "NUM=\${{ github.event.issue.number }}" >> $GITHUB_ENV
        `,
      }),
    ).toEqual([]);
  });

  it('accepts fixed NAME=literal writes, reads of the file and commented-out lines', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    echo "NODE_VERSION=20" >> "$GITHUB_ENV"
                    echo "$HOME/.local/bin" >> "$GITHUB_PATH"
                    cat "$GITHUB_ENV" | grep "\${{ github.event.pull_request.title }}" || true
                    # echo "T=\${{ github.event.pull_request.title }}" >> "$GITHUB_ENV"
        `,
      }),
    ).toEqual([]);
  });

  it('flags $GITHUB_PATH with its own consequence', () => {
    expect(
      run({
        '.github/workflows/p.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: echo "\${{ github.head_ref }}/bin" >> $GITHUB_PATH
        `,
      }),
    ).toEqual([
      '.github/workflows/p.yml:6:14-6:63 high/high step "step 1" writes attacker-controlled "github.head_ref" to $GITHUB_PATH; it can put a directory of its choosing first on PATH for the following steps',
    ]);
  });

  it('is medium under pull_request (no secrets, read-only token)', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: echo "T=\${{ github.event.pull_request.title }}" >> $GITHUB_ENV
        `,
      }).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['.github/workflows/pr.yml:6:14-6:76 medium/high']);
  });

  it('flags the tainted line of a here-document or a { } group written to $GITHUB_ENV', () => {
    expect(
      run({
        '.github/workflows/h.yml': yaml`
          on: issues
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    cat >> "$GITHUB_ENV" <<EOF
                    SAFE=1
                    TITLE=\${{ github.event.issue.title }}
                    EOF
                    {
                      echo "BODY<<EOF"
                      echo "\${{ github.event.issue.body }}"
                      echo "EOF"
                    } >> "$GITHUB_ENV"
        `,
      }).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['.github/workflows/h.yml:9:11-9:48 high/high', '.github/workflows/h.yml:13:13-13:50 high/high']);
  });

  it('trusts a multi-line value framed by a random delimiter, not by a fixed one', () => {
    const out = run({
      '.github/workflows/d.yml': yaml`
        on: issue_comment
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - name: random
                env:
                  BODY: \${{ github.event.comment.body }}
                run: |
                  EOF=$(dd if=/dev/urandom bs=15 count=1 status=none | base64)
                  echo "BODY<<$EOF" >> "$GITHUB_ENV"
                  echo "$BODY" >> "$GITHUB_ENV"
                  echo "$EOF" >> "$GITHUB_ENV"
              - name: fixed
                env:
                  BODY: \${{ github.event.comment.body }}
                run: |
                  echo "BODY<<EOF" >> "$GITHUB_ENV"
                  echo "$BODY" >> "$GITHUB_ENV"
                  echo "EOF" >> "$GITHUB_ENV"
      `,
    });
    expect(out.map((l) => l.split(' ').slice(0, 4).join(' '))).toEqual(['.github/workflows/d.yml:19:11-19:40 high/high step "fixed"']);
  });

  it('handles PowerShell writes and $env: reads', () => {
    const out = run({
      '.github/workflows/w.yml': yaml`
        on: pull_request_target
        jobs:
          a:
            runs-on: windows-latest
            steps:
              - shell: pwsh
                env:
                  REF: \${{ github.event.pull_request.body }}
                run: |
                  "BRANCH=$env:REF" | Out-File -FilePath $env:GITHUB_ENV -Append
                  Add-Content $env:GITHUB_ENV "T=\${{ github.event.pull_request.title }}"
                  "X=$ref" | Out-File -FilePath $env:GITHUB_ENV -Append
                  Get-Content $env:GITHUB_ENV
      `,
    });
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['.github/workflows/w.yml:10:11-10:73 high/high', '.github/workflows/w.yml:11:11-11:81 high/high']);
  });

  it('flags workflow_run artifact contents written to $GITHUB_ENV at medium confidence', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/r.yml': yaml`
        on:
          workflow_run:
            workflows: [ci]
            types: [completed]
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/download-artifact@v4
                with:
                  name: pr
                  run-id: \${{ github.event.workflow_run.id }}
                  github-token: \${{ github.token }}
              - name: Read PR number
                run: |
                  cat pr.txt >> "$GITHUB_ENV"
                  NUM=$(cat pr_number)
                  echo "PR=$NUM" >> "$GITHUB_ENV"
                  echo "CONST=1" >> "$GITHUB_ENV"
      `,
    });
    expect(summarize(findings)).toEqual([
      `.github/workflows/r.yml:16:11-16:38 high/medium step "Read PR number" writes data read from files of the artifact downloaded by step "actions/download-artifact@v4" to $GITHUB_ENV; ${ENV_TAIL}`,
      `.github/workflows/r.yml:18:11-18:42 high/medium step "Read PR number" writes data read from files of the artifact downloaded by step "actions/download-artifact@v4" to $GITHUB_ENV; ${ENV_TAIL}`,
    ]);
    expect(findings[0]!.related[0]!.startLine).toBe(9);
  });

  it('does not treat file reads as untrusted without a privileged trigger and an untrusted source', () => {
    expect(
      run({
        '.github/workflows/f.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - run: echo "VERSION=$(cat VERSION)" >> "$GITHUB_ENV"
        `,
        '.github/workflows/g.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - run: echo "VERSION=$(cat VERSION)" >> "$GITHUB_ENV"
        `,
      }),
    ).toEqual([]);
  });

  it('flags pull request checkouts read under pull_request_target', () => {
    expect(
      run({
        '.github/workflows/c.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                - run: echo "VERSION=$(cat VERSION)" >> "$GITHUB_ENV"
        `,
      }),
    ).toEqual([
      `.github/workflows/c.yml:9:14-9:60 high/medium step "step 2" writes data read from files of the pull request checked out by step "actions/checkout@v4" to $GITHUB_ENV; ${ENV_TAIL}`,
    ]);
  });

  it('maps lines of quoted and folded scalars and line continuations', () => {
    expect(
      run({
        '.github/workflows/m.yml': yaml`
          on: issues
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: "echo \\"T=\${{ github.event.issue.title }}\\" >> $GITHUB_ENV"
                - run: >-
                    echo "T=\${{ github.event.issue.title }}"
                    >> $GITHUB_ENV
                - run: |
                    true
                    echo "T=\${{ github.event.issue.title }}" \\
                      >> $GITHUB_ENV
        `,
      }).map((l) => l.split(' ')[0]),
    ).toEqual(['.github/workflows/m.yml:6:15-6:72', '.github/workflows/m.yml:8:11-9:25', '.github/workflows/m.yml:12:11-13:27']);
  });

  it('skips scripts that are not shell (shell: python)', () => {
    expect(
      run({
        '.github/workflows/py.yml': yaml`
          on: issues
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - shell: python
                  run: print("T=\${{ github.event.issue.title }} >> $GITHUB_ENV")
        `,
      }),
    ).toEqual([]);
  });

  it('resolves composite action inputs at their callers', () => {
    expect(
      run({
        '.github/actions/env/action.yml': yaml`
          inputs:
            value: {}
          runs:
            using: composite
            steps:
              - shell: bash
                run: echo "V=\${{ inputs.value }}" >> "$GITHUB_ENV"
        `,
        '.github/workflows/u.yml': yaml`
          on: issues
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: ./.github/actions/env
                  with:
                    value: \${{ github.event.issue.title }}
        `,
      }),
    ).toEqual([
      `.github/actions/env/action.yml:7:12-7:57 high/medium step "step 1" writes data carrying attacker-controlled github.event.issue.title to $GITHUB_ENV; ${ENV_TAIL}`,
    ]);
  });

  describe('ref names, if: pins and shell assignments', () => {
    it('does not report branch names after a fixed NAME= in $GITHUB_ENV (no newline possible), but does in $GITHUB_PATH and for free text', () => {
      expect(
        run({
          '.github/workflows/deploy-preview.yml': yaml`
            on:
              workflow_run:
                workflows: [ci]
                types: [completed]
            jobs:
              preview:
                runs-on: ubuntu-latest
                steps:
                  - env:
                      HEAD_BRANCH: \${{ github.event.workflow_run.head_branch }}
                    run: |
                      echo "PREVIEW_BRANCH=\${{ github.event.workflow_run.head_branch }}" >> "$GITHUB_ENV"
                      echo "SLUG=preview-$HEAD_BRANCH" >> "$GITHUB_ENV"
                      echo "COMMIT_TITLE=\${{ github.event.workflow_run.head_commit.message }}" >> "$GITHUB_ENV"
                      echo "$HOME/tools/\${{ github.event.workflow_run.head_branch }}" >> "$GITHUB_PATH"
          `,
        }),
      ).toEqual([
        `.github/workflows/deploy-preview.yml:14:11-14:100 high/high step "step 1" writes attacker-controlled "github.event.workflow_run.head_commit.message" to $GITHUB_ENV; ${ENV_TAIL}`,
        '.github/workflows/deploy-preview.yml:15:11-15:92 high/high step "step 1" writes attacker-controlled "github.event.workflow_run.head_branch" to $GITHUB_PATH; it can put a directory of its choosing first on PATH for the following steps',
      ]);
    });

    it('an if: that pins the value to fixed strings makes the write safe', () => {
      expect(
        run({
          '.github/workflows/label.yml': yaml`
            on:
              issues:
                types: [labeled]
            jobs:
              triage:
                if: github.event.issue.title == 'Weekly report'
                runs-on: ubuntu-latest
                steps:
                  - run: echo "KIND=\${{ github.event.issue.title }}" >> "$GITHUB_ENV"
                  - if: contains(fromJSON('["bug", "feature request"]'), github.event.issue.body) || github.event.issue.body == 'docs'
                    run: echo "AREA=\${{ github.event.issue.body }}" >> "$GITHUB_ENV"
                  - if: github.event.issue.body == 'docs' || startsWith(github.event.issue.body, 'x')
                    run: echo "AREA=\${{ github.event.issue.body }}" >> "$GITHUB_ENV"
          `,
        }),
      ).toEqual([
        `.github/workflows/label.yml:13:14-13:73 high/high step "step 3" writes attacker-controlled "github.event.issue.body" to $GITHUB_ENV; ${ENV_TAIL}`,
      ]);
    });

    it('follows shell assignments to the write; a substitution that deletes newlines is safe', () => {
      const findings = auditFiles(rule, {
        '.github/workflows/notes.yml': yaml`
          on:
            pull_request_target:
              types: [opened, edited]
          jobs:
            notes:
              runs-on: ubuntu-latest
              steps:
                - name: Export title
                  env:
                    TITLE: \${{ github.event.pull_request.title }}
                  run: |
                    msg=$(echo "$TITLE" | tr '[:upper:]' '[:lower:]')
                    summary="PR: $msg"
                    echo "SUMMARY=$summary" >> "$GITHUB_ENV"
                    clean=$(printf %s "$TITLE" | tr -d '\\n')
                    echo "CLEAN=$clean" >> "$GITHUB_ENV"
                    first=$(echo "$TITLE" | head -n 1)
                    echo "FIRST=$first" >> "$GITHUB_ENV"
                    TITLE=$(echo "$TITLE" | tr -cd '[:alnum:] ._-')
                    echo "TITLE=$TITLE" >> "$GITHUB_ENV"
                    fixed="release notes"
                    echo "FIXED=$fixed" >> "$GITHUB_ENV"
        `,
      });
      expect(summarize(findings)).toEqual([
        `.github/workflows/notes.yml:14:11-14:51 high/medium step "Export title" writes "$summary" (carrying attacker-controlled github.event.pull_request.title) to $GITHUB_ENV; ${ENV_TAIL}`,
      ]);
      expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '13:11 $summary is assigned from attacker-controlled data here',
        '12:11 $msg is assigned from attacker-controlled data here',
        '10:18 env TITLE is set from attacker-controlled data here',
        '2:3 "pull_request_target" lets an outside user set github.event.pull_request.title',
      ]);
    });
  });
});
