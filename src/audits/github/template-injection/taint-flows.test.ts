import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

/*
 * How attacker text travels before it reaches a run: script (src/platforms/github/taint.ts):
 * reusable-workflow inputs by type, composite-action inputs and their defaults, step outputs
 * written from shell variables, job outputs, matrices, and the context paths that carry nothing.
 * Each case is a workflow someone could write, with the exact finding or none.
 */

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const TAIL = 'is attacker-controlled and is expanded into the run: script of step "step 1"; pass it through env: and read "$VAR" instead';

describe('reusable workflow inputs', () => {
  const called = yaml`
    on:
      workflow_call:
        inputs:
          flag: { type: boolean }
          count: { type: number }
          pick: { type: choice, options: [a, b] }
          stage: { type: environment }
          title: { type: string }
          note: {}
    jobs:
      a:
        runs-on: ubuntu-latest
        steps:
          - run: echo "\${{ inputs.flag }} \${{ inputs.count }} \${{ inputs.pick }} \${{ inputs.stage }} \${{ inputs.title }} \${{ inputs.note }} \${{ inputs.missing }}"
  `;

  it("carry the caller's text only when they are strings (typed or untyped), and name the call site", () => {
    const pr = '${{ github.event.pull_request.title }}';
    const findings = auditFiles(rule, {
      '.github/workflows/called.yml': called,
      '.github/workflows/caller.yml': yaml`
        on: pull_request_target
        jobs:
          call:
            uses: ./.github/workflows/called.yml
            with:
              flag: ${pr}
              count: ${pr}
              pick: ${pr}
              stage: ${pr}
              title: ${pr}
              note: ${pr}
              missing: ${pr}
      `,
    });
    expect(summarize(findings)).toEqual([
      `.github/workflows/called.yml:14:98-14:117 high/medium "inputs.title" (carrying github.event.pull_request.title) ${TAIL}`,
      `.github/workflows/called.yml:14:118-14:136 high/medium "inputs.note" (carrying github.event.pull_request.title) ${TAIL}`,
    ]);
    expect(findings.map((f) => f.related.map((r) => `${r.file}:${r.startLine} ${r.message}`))).toEqual([
      ['.github/workflows/caller.yml:10 input "title" is passed attacker-controlled data by .github/workflows/caller.yml'],
      ['.github/workflows/caller.yml:11 input "note" is passed attacker-controlled data by .github/workflows/caller.yml'],
    ]);
  });

  it('stay silent when no caller passes attacker text, or when only workflow_dispatch (write access) sets them', () => {
    expect(
      run({
        '.github/workflows/called.yml': called,
        '.github/workflows/caller.yml': yaml`
          on: pull_request_target
          jobs:
            call:
              uses: ./.github/workflows/called.yml
              with:
                title: \${{ github.event.pull_request.number }}
        `,
      }),
    ).toEqual([]);
    expect(
      run({
        '.github/workflows/manual.yml': yaml`
          on:
            workflow_dispatch:
              inputs:
                title: { type: string }
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: echo "\${{ inputs.title }}"
        `,
      }),
    ).toEqual([]);
  });
});

describe('composite action inputs', () => {
  const action = (inputs: string) => yaml`
    name: notify
    inputs:
      ${inputs}
    runs:
      using: composite
      steps:
        - shell: bash
          run: echo "\${{ inputs.text }}"
  `;

  it('an input default is evaluated at each call site that does not pass the input', () => {
    const findings = auditFiles(rule, {
      '.github/actions/notify/action.yml': action('text: { default: "${{ github.event.issue.title }}" }'),
      '.github/workflows/w.yml': yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: ./.github/actions/notify
      `,
    });
    expect(summarize(findings)).toEqual([
      `.github/actions/notify/action.yml:8:18-8:36 high/medium "inputs.text" (carrying github.event.issue.title) ${TAIL}`,
    ]);
    expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine} ${r.message}`)).toEqual([
      // The default is written in the action, not in the workflow that calls it.
      '.github/actions/notify/action.yml:3 input "text" of .github/actions/notify defaults to attacker-controlled data here',
    ]);
  });

  it('a default is not used where the caller passes its own value, and an undeclared input carries nothing', () => {
    expect(
      run({
        '.github/actions/notify/action.yml': action('text: { default: "${{ github.event.issue.title }}" }'),
        '.github/workflows/w.yml': yaml`
          on: issues
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: ./.github/actions/notify
                  with:
                    text: issue \${{ github.event.issue.number }}
        `,
      }),
    ).toEqual([]);
    expect(
      run({
        '.github/actions/notify/action.yml': action('other: {}'),
        '.github/workflows/w.yml': yaml`
          on: issues
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: ./.github/actions/notify
                  with:
                    text: \${{ github.event.issue.title }}
        `,
      }),
    ).toEqual([]);
  });
});

describe('step and job outputs', () => {
  it("an output written from a shell variable carries that variable's env value", () => {
    const findings = auditFiles(rule, {
      '.github/workflows/o.yml': yaml`
        on: issue_comment
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - id: parse
                env:
                  BODY: \${{ github.event.comment.body }}
                run: |
                  echo "ignored=$BODY" >> notes.txt
                  echo "cmd=\${BODY%% *}" >> "$GITHUB_OUTPUT"
                  echo "size=\${#BODY}" >> "$GITHUB_OUTPUT"
              - run: echo "\${{ steps.parse.outputs.cmd }} \${{ steps.parse.outputs.ignored }} \${{ steps.parse.conclusion }}"
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/o.yml:13:20-13:50 high/medium "steps.parse.outputs.cmd" (carrying github.event.comment.body) is attacker-controlled and is expanded into the run: script of step "step 2"; pass it through env: and read "$VAR" instead',
    ]);
    expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine} ${r.message}`)).toEqual([
      '.github/workflows/o.yml:9 step "parse" writes output cmd from attacker-controlled data',
      '.github/workflows/o.yml:8 env BODY is set from attacker-controlled data here',
      '.github/workflows/o.yml:1 "issue_comment" lets an outside user set github.event.comment.body',
    ]);
  });

  it('a job output is followed into the jobs that need it; results and unknown outputs carry nothing', () => {
    const out = run({
      '.github/workflows/j.yml': yaml`
        on: pull_request_target
        jobs:
          meta:
            runs-on: ubuntu-latest
            outputs:
              branch: \${{ github.event.pull_request.head.ref }}
              sha: \${{ github.event.pull_request.head.sha }}
            steps:
              - run: true
          use:
            needs: meta
            runs-on: ubuntu-latest
            steps:
              - run: echo "\${{ needs.meta.outputs.branch }} \${{ needs.meta.outputs.sha }} \${{ needs.meta.result }} \${{ needs.meta.outputs.none }} \${{ needs.other.outputs.branch }}"
      `,
    });
    expect(out).toEqual([
      `.github/workflows/j.yml:14:20-14:52 high/medium "needs.meta.outputs.branch" (carrying github.event.pull_request.head.ref) ${TAIL}`,
    ]);
  });
});

describe('matrices and contexts that carry nothing', () => {
  it('a matrix built from an expression carries its taint, however deep the expression sits', () => {
    const out = run({
      '.github/workflows/m.yml': yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                include:
                  - name: fixed
                    labels: [a, "\${{ github.event.issue.title }}"]
            steps:
              - run: echo "\${{ matrix.name }}"
      `,
    });
    expect(out).toEqual([`.github/workflows/m.yml:11:20-11:38 high/medium "matrix.name" (carrying github.event.issue.title) ${TAIL}`]);
  });

  it('secrets, vars, runner, job and strategy values and whole-context wildcards are not attacker text', () => {
    expect(
      run({
        '.github/workflows/s.yml': yaml`
          on: pull_request_target
          env:
            T: \${{ github.event.pull_request.title }}
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: echo "\${{ secrets.X }} \${{ vars.Y }} \${{ runner.os }} \${{ job.status }} \${{ strategy.job-index }} \${{ env.* }} \${{ matrix }} \${{ hashFiles(env.T) }} \${{ success() }}"
        `,
      }),
    ).toEqual([]);
  });
});

describe('scopes the taint is looked up in', () => {
  it('a job env entry cannot see its sibling entries, only the workflow env', () => {
    expect(
      run({
        '.github/workflows/e.yml': yaml`
          on: issues
          env:
            T: fixed
          jobs:
            a:
              runs-on: ubuntu-latest
              env:
                T: \${{ github.event.issue.title }}
                U: \${{ env.T }}
              steps:
                - run: echo "\${{ env.U }}"
        `,
      }),
    ).toEqual([]);
  });

  it("a caller's job env, an input declared for workflow_dispatch and workflow_call, and a job output read from env", () => {
    const out = run({
      '.github/workflows/called.yml': yaml`
        on:
          workflow_dispatch:
            inputs:
              title: { type: string }
          workflow_call:
            inputs:
              title: { type: string }
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "\${{ inputs.title }}"
      `,
      '.github/workflows/caller.yml': yaml`
        on: pull_request_target
        jobs:
          meta:
            runs-on: ubuntu-latest
            env:
              BRANCH: \${{ github.event.pull_request.head.ref }}
            outputs:
              branch: \${{ env.BRANCH }}
            steps:
              - run: true
          call:
            needs: meta
            env:
              TITLE: \${{ github.event.pull_request.title }}
            uses: ./.github/workflows/called.yml
            with:
              title: \${{ env.TITLE }}
          show:
            needs: meta
            runs-on: ubuntu-latest
            steps:
              - run: echo "\${{ needs.meta.outputs.branch }}"
      `,
    });
    expect(out).toEqual([
      `.github/workflows/called.yml:12:20-12:39 high/medium "inputs.title" (carrying github.event.pull_request.title) ${TAIL}`,
      `.github/workflows/caller.yml:22:20-22:52 high/medium "needs.meta.outputs.branch" (carrying github.event.pull_request.head.ref) ${TAIL}`,
    ]);
  });

  it('step outputs: found by id among other steps, names read case-insensitively, uses: steps and shadowed runner variables carry nothing', () => {
    const out = run({
      '.github/workflows/s.yml': yaml`
        on: pull_request_target
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - id: first
                run: echo "ref=main" >> "$GITHUB_OUTPUT"
              - id: co
                uses: actions/checkout@v4
              - id: head
                run: |
                  echo "Ref=$GITHUB_HEAD_REF" >> "$GITHUB_OUTPUT"
              - id: pinned
                env:
                  GITHUB_HEAD_REF: main
                run: echo "ref=$GITHUB_HEAD_REF" >> "$GITHUB_OUTPUT"
              - run: echo "\${{ steps.first.outputs.ref }} \${{ steps.co.outputs.ref }} \${{ steps.head.outputs.ref }} \${{ steps.pinned.outputs.ref }}"
      `,
    });
    expect(out).toEqual([
      '.github/workflows/s.yml:18:79-18:108 high/medium "steps.head.outputs.ref" (carrying github.head_ref) is attacker-controlled and is expanded into the run: script of step "step 6"; pass it through env: and read "$VAR" instead',
    ]);
  });

  it('composite action inputs are matched by name among several', () => {
    const out = run({
      '.github/actions/two/action.yml': yaml`
        inputs:
          safe: {}
          text: {}
        runs:
          using: composite
          steps:
            - shell: bash
              run: echo "\${{ inputs.safe }} \${{ inputs.text }}"
      `,
      '.github/workflows/w.yml': yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: ./.github/actions/two
                with:
                  safe: fixed
                  text: \${{ github.event.issue.title }}
      `,
    });
    expect(out).toEqual([`.github/actions/two/action.yml:8:37-8:55 high/medium "inputs.text" (carrying github.event.issue.title) ${TAIL}`]);
  });

  it('functions: endsWith() yields a boolean, a wildcard over a computed object carries its text', () => {
    const out = run({
      '.github/workflows/f.yml': yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "\${{ endsWith(github.event.issue.title, '!') }} \${{ inputs.* }} \${{ fromJSON(github.event.issue.body).*.cmd }}"
      `,
    });
    expect(out).toEqual([`.github/workflows/f.yml:6:83-6:129 high/high "github.event.issue.body" ${TAIL}`]);
  });
});
