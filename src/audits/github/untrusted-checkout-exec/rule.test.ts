import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('untrusted-checkout-exec', () => {
  it('flags npm ci after checking out the PR head under pull_request_target, at the command', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/pr.yml': yaml`
        on: pull_request_target
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - name: Checkout PR
                uses: actions/checkout@v4
                with:
                  ref: \${{ github.event.pull_request.head.sha }}
              - name: Build
                run: |
                  echo building
                  npm ci
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/pr.yml:13:11-13:17 high/high step "Build" runs "npm ci" on pull request code checked out by step "Checkout PR", with the privileges of pull_request_target',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
      '9:16 step "Checkout PR" checks out the pull request\'s code (github.event.pull_request.head.sha)',
      '1:5 "pull_request_target" gives this job the base repository\'s secrets and token',
    ]);
  });

  it('does not report a PR checkout that is never executed (lint-free diff, labels...)', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request_target
          jobs:
            diff:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                - run: git diff --stat HEAD~1
                - run: echo "npm ci would be bad"
        `,
      }),
    ).toEqual([]);
  });

  it('does not report building the base branch (default ref or base.sha)', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.base.sha }}
                - run: make
        `,
      }),
    ).toEqual([]);
  });

  it('ignores execution in the base checkout when the PR is checked out into its own path', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                    path: pr
                - run: npm ci && node scripts/report.js pr/coverage.json
        `,
      }),
    ).toEqual([]);
  });

  it('flags execution inside the PR path (working-directory, cd, make -C)', () => {
    const out = run({
      '.github/workflows/pr.yml': yaml`
        on: pull_request_target
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: \${{ github.event.pull_request.head.sha }}
                  path: pr
              - run: npm ci
                working-directory: pr
              - run: cd pr && ./gradlew build
              - run: make -C pr/sub test
              - run: make test
      `,
    });
    expect(out).toEqual([
      '.github/workflows/pr.yml:10:14-10:20 high/high step "step 2" runs "npm ci" on pull request code in pr/ checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
      '.github/workflows/pr.yml:12:23-12:38 high/high step "step 3" runs "./gradlew" on pull request code in pr/ checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
      '.github/workflows/pr.yml:13:14-13:33 high/high step "step 4" runs "make test" on pull request code in pr/ checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
    ]);
  });

  it('flags local actions and exec-style actions after a PR checkout', () => {
    const out = run({
      '.github/workflows/pr.yml': yaml`
        on: pull_request_target
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: refs/pull/\${{ github.event.number }}/merge
              - uses: ./.github/actions/setup
              - uses: pre-commit/action@v3.0.1
      `,
    });
    expect(out).toEqual([
      '.github/workflows/pr.yml:9:15-9:38 high/high step "./.github/actions/setup" runs "uses: ./.github/actions/setup" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
      '.github/workflows/pr.yml:10:15-10:39 high/high step "pre-commit/action@v3.0.1" runs "pre-commit/action" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
    ]);
  });

  it('skips jobs that forks cannot reach (same-repo check, event name), also through needs', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: [pull_request, pull_request_target]
          jobs:
            gate:
              if: github.event.pull_request.head.repo.full_name == github.repository
              runs-on: ubuntu-latest
              steps:
                - run: true
            build:
              needs: gate
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                - run: make
            pr-only:
              if: \${{ github.event_name == 'pull_request' }}
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.head_ref }}
                - run: make
        `,
      }),
    ).toEqual([]);
  });

  it('lowers severity when a maintainer label gates the job', () => {
    const out = run({
      '.github/workflows/pr.yml': yaml`
        on:
          pull_request_target:
            types: [labeled]
        jobs:
          a:
            if: contains(github.event.pull_request.labels.*.name, 'safe to test')
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: \${{ github.event.pull_request.head.sha }}
              - run: npm test
      `,
    });
    expect(out).toEqual([
      '.github/workflows/pr.yml:12:14-12:22 medium/medium step "step 2" runs "npm test" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
    ]);
  });

  it('does not treat an anyone-can-comment condition as a gate (issue_comment + gh pr checkout)', () => {
    const out = run({
      '.github/workflows/comment.yml': yaml`
        on: issue_comment
        jobs:
          test:
            if: github.event.issue.pull_request && contains(github.event.comment.body, '/test')
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: |
                  gh pr checkout \${{ github.event.issue.number }}
                  pip install -r requirements.txt
                env:
                  GH_TOKEN: \${{ github.token }}
      `,
    });
    expect(out).toEqual([
      '.github/workflows/comment.yml:10:11-10:42 high/high step "step 2" runs "pip install" on pull request code checked out by step "step 2", with the privileges of issue_comment',
    ]);
  });

  it('follows workflow_run head_sha through env and a git checkout in run:', () => {
    const out = run({
      '.github/workflows/after.yml': yaml`
        on:
          workflow_run:
            workflows: [CI]
            types: [completed]
        jobs:
          a:
            runs-on: ubuntu-latest
            env:
              HEAD: \${{ github.event.workflow_run.head_sha }}
            steps:
              - uses: actions/checkout@v4
              - run: |
                  git fetch origin "$HEAD"
                  git checkout "$HEAD"
                  bash ./ci/report.sh
      `,
    });
    expect(out).toEqual([
      '.github/workflows/after.yml:15:11-15:30 high/high step "step 2" runs "bash ./ci/report.sh" on pull request code checked out by step "step 2", with the privileges of workflow_run',
    ]);
  });

  it('skips workflow_run whose upstream workflows outsiders cannot start', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          name: CI
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: true
        `,
        '.github/workflows/after.yml': yaml`
          on:
            workflow_run:
              workflows: [CI]
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.workflow_run.head_sha }}
                - run: make
        `,
      }),
    ).toEqual([]);
  });

  it('a later trusted checkout to the same path replaces the PR code', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                - run: git diff --name-only HEAD~1 > /tmp/files
                - uses: actions/checkout@v4
                - run: make lint
        `,
      }),
    ).toEqual([]);
  });

  it('ignores plain pull_request workflows (no secrets for forks)', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event.pull_request.head.sha }}
                - run: npm ci
        `,
      }),
    ).toEqual([]);
  });

  it('reports one finding per executing step even with several commands', () => {
    expect(
      run({
        '.github/workflows/pr.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    repository: \${{ github.event.pull_request.head.repo.full_name }}
                    ref: \${{ github.event.pull_request.head.ref }}
                - run: npm ci && npm test
        `,
      }),
    ).toHaveLength(1);
  });

  it("ignores a PR-head ref guarded by github.event_name == 'pull_request' (base ref under privileged events)", () => {
    expect(
      run({
        '.github/workflows/docs.yml': yaml`
          on:
            workflow_call:
            pull_request_target:
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    persist-credentials: false
                    ref: >-
                      \${{
                        github.event_name == 'pull_request'
                        && github.event.pull_request.head.sha
                        || ''
                      }}
                - run: make -C Doc venv
        `,
      }),
    ).toEqual([]);
  });

  it('still flags a PR-head ref guarded by a privileged event name', () => {
    expect(
      run({
        '.github/workflows/t.yml': yaml`
          on: [pull_request, pull_request_target]
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                  with:
                    ref: \${{ github.event_name == 'pull_request_target' && github.event.pull_request.head.sha || github.sha }}
                - run: npm ci
        `,
      }),
    ).toHaveLength(1);
  });

  it('a $/ action comes from the running commit, not the checked-out pull request; ./ runs the pull request\'s copy', () => {
    const wf = (uses: string) => yaml`
      on: pull_request_target
      jobs:
        lint:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with:
                ref: \${{ github.event.pull_request.head.sha }}
            - uses: ${uses}
    `;
    expect(run({ '.github/workflows/lint.yml': wf('$/.github/actions/lint') })).toEqual([]);
    expect(run({ '.github/workflows/lint.yml': wf('./.github/actions/lint') })).toEqual([
      '.github/workflows/lint.yml:9:15-9:37 high/high step "./.github/actions/lint" runs "uses: ./.github/actions/lint" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
    ]);
  });

  it('follows a head SHA that actions/github-script returns (steps.x.outputs.result) into the checkout', () => {
    const wf = (ret: string) => yaml`
      on:
        issue_comment:
          types: [created]
      jobs:
        preview:
          if: github.event.issue.pull_request && contains(github.event.comment.body, '/preview')
          runs-on: ubuntu-latest
          steps:
            - uses: actions/github-script@v7
              id: pr
              with:
                result-encoding: string
                script: |
                  const { data: pull } = await github.rest.pulls.get({ ...context.repo, pull_number: context.issue.number });
                  ${ret}
            - uses: actions/checkout@v4
              with:
                ref: \${{ steps.pr.outputs.result }}
            - run: yarn install --frozen-lockfile && yarn publish:preview
              env:
                NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
    `;
    const hit = '.github/workflows/preview.yml:19:14-19:68 high/medium step "step 3" runs "yarn install" on pull request code checked out by step "actions/checkout@v4", with the privileges of issue_comment';
    expect(run({ '.github/workflows/preview.yml': wf('return pull.head.sha;') })).toEqual([hit]);
    expect(run({ '.github/workflows/preview.yml': wf('const sha = pull.head.sha;\n                  return sha;') })).toEqual([hit.replace(':19:14-19:68', ':20:14-20:68')]);
    // Returning the base branch's SHA checks out trusted code.
    expect(run({ '.github/workflows/preview.yml': wf('return pull.base.sha;') })).toEqual([]);
  });

  describe('reusable workflows: privileges come from the top of the caller chain', () => {
    const build = yaml`
      on:
        workflow_call:
          inputs:
            sha:
              type: string
        pull_request:
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with:
                ref: \${{ github.event.pull_request.head.sha }}
            - run: npm ci && npm run build
    `;
    const middle = yaml`
      on: workflow_call
      jobs:
        inner:
          uses: ./.github/workflows/build.yml
    `;
    const top = (event: string, cond = '') => yaml`
      on: ${event}
      jobs:
        outer:
          ${cond ? `if: ${cond}` : ''}
          uses: ./.github/workflows/middle.yml
          secrets: inherit
    `;

    it('follows two hops to a pull_request_target caller and names that trigger', () => {
      expect(run({ '.github/workflows/build.yml': build, '.github/workflows/middle.yml': middle, '.github/workflows/top.yml': top('pull_request_target') })).toEqual([
        '.github/workflows/build.yml:14:14-14:37 high/high step "step 2" runs "npm ci" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
      ]);
    });

    it('is silent when the chain starts from triggers outsiders cannot use, or the calling job excludes the event', () => {
      expect(run({ '.github/workflows/build.yml': build, '.github/workflows/middle.yml': middle, '.github/workflows/top.yml': top('push') })).toEqual([]);
      const gated = top('[push, pull_request_target]', "github.event_name == 'push'");
      expect(run({ '.github/workflows/build.yml': build, '.github/workflows/middle.yml': middle, '.github/workflows/top.yml': gated })).toEqual([]);
    });

    it('follows callers written in the self-repository syntax ($/path)', () => {
      const selfMiddle = middle.replace('./.github/workflows/build.yml', '$/.github/workflows/build.yml');
      const selfTop = top('pull_request_target').replace('./.github/workflows/middle.yml', '$/.github/workflows/middle.yml');
      expect(run({ '.github/workflows/build.yml': build, '.github/workflows/middle.yml': selfMiddle, '.github/workflows/top.yml': selfTop })).toEqual([
        '.github/workflows/build.yml:14:14-14:37 high/high step "step 2" runs "npm ci" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
      ]);
    });

    it('with no caller in the repository claims no trigger: low severity, low confidence, "its callers"', () => {
      expect(run({ '.github/workflows/build.yml': build })).toEqual([
        '.github/workflows/build.yml:14:14-14:37 low/low step "step 2" runs "npm ci" on pull request code checked out by step "actions/checkout@v4", with the privileges of its callers',
      ]);
    });
  });

  describe('a PR ref handed to a reusable workflow through with: inputs', () => {
    const caller = (gate: string, secrets = 'secrets: inherit') => yaml`
      name: benchmark on comment
      on:
        issue_comment:
          types: [created]
      permissions:
        contents: read
      jobs:
        resolve:
          if: ${gate}
          runs-on: ubuntu-latest
          outputs:
            sha: \${{ steps.pr.outputs.result }}
          steps:
            - id: pr
              uses: actions/github-script@v7
              with:
                result-encoding: string
                script: |
                  const { data } = await github.rest.pulls.get({ ...context.repo, pull_number: context.issue.number });
                  return data.head.sha;
        bench:
          needs: resolve
          uses: ./.github/workflows/run-bench.yml
          with:
            ref: \${{ needs.resolve.outputs.sha }}
            suite: full
          ${secrets}
    `;
    const callee = (ref: string) => yaml`
      name: run benchmarks
      on:
        workflow_call:
          inputs:
            ref:
              type: string
              required: true
            suite:
              type: string
              default: quick
      jobs:
        bench:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with:
                ref: ${ref}
            - uses: ./.github/actions/setup
            - run: npm run bench -- --suite "\${{ inputs.suite }}"
    `;
    const setup = yaml`
      name: setup
      runs:
        using: composite
        steps:
          - run: npm ci
            shell: bash
    `;

    it('follows the github-script result through needs outputs and with: into the callee: critical with secrets: inherit, caller chain related', () => {
      const findings = auditFiles(rule, {
        '.github/workflows/comment-bench.yml': caller("github.event.issue.pull_request && startsWith(github.event.comment.body, '/bench')"),
        '.github/workflows/run-bench.yml': callee('${{ inputs.ref }}'),
        '.github/actions/setup/action.yml': setup,
      });
      expect(summarize(findings)).toEqual([
        '.github/workflows/run-bench.yml:18:15-18:38 critical/medium step "./.github/actions/setup" runs "uses: ./.github/actions/setup" on pull request code checked out by step "actions/checkout@v4", with the privileges of issue_comment',
        '.github/workflows/run-bench.yml:19:14-19:60 critical/medium step "step 3" runs "npm run" on pull request code checked out by step "actions/checkout@v4", with the privileges of issue_comment',
      ]);
      expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '.github/workflows/run-bench.yml:17:16 step "actions/checkout@v4" checks out the pull request\'s code (steps.pr.outputs.result)',
        '.github/workflows/comment-bench.yml:25:12 job "bench" passes steps.pr.outputs.result to ./.github/workflows/run-bench.yml as input "ref", with secrets: inherit',
      ]);
    });

    it('follows refs/pull/N/merge written in the caller; high without secrets handed over', () => {
      const direct = caller('github.event.issue.pull_request', '').replace('${{ needs.resolve.outputs.sha }}', 'refs/pull/${{ github.event.issue.number }}/merge');
      expect(run({ '.github/workflows/comment-bench.yml': direct, '.github/workflows/run-bench.yml': callee('${{ inputs.ref }}'), '.github/actions/setup/action.yml': setup })).toEqual([
        '.github/workflows/run-bench.yml:18:15-18:38 high/high step "./.github/actions/setup" runs "uses: ./.github/actions/setup" on pull request code checked out by step "actions/checkout@v4", with the privileges of issue_comment',
        '.github/workflows/run-bench.yml:19:14-19:60 high/high step "step 3" runs "npm run" on pull request code checked out by step "actions/checkout@v4", with the privileges of issue_comment',
      ]);
    });

    it('lowers to medium when the calling chain is gated on a maintainer comment', () => {
      const gated = caller("github.event.issue.pull_request && contains(fromJSON('[\"OWNER\", \"MEMBER\"]'), github.event.comment.author_association)");
      expect(run({ '.github/workflows/comment-bench.yml': gated, '.github/workflows/run-bench.yml': callee('${{ inputs.ref }}'), '.github/actions/setup/action.yml': setup })).toEqual([
        '.github/workflows/run-bench.yml:18:15-18:38 medium/low step "./.github/actions/setup" runs "uses: ./.github/actions/setup" on pull request code checked out by step "actions/checkout@v4", with the privileges of issue_comment',
        '.github/workflows/run-bench.yml:19:14-19:60 medium/low step "step 3" runs "npm run" on pull request code checked out by step "actions/checkout@v4", with the privileges of issue_comment',
      ]);
    });

    it('is silent when the callee checks out another input, or the caller passes a trusted ref', () => {
      const files = { '.github/workflows/run-bench.yml': callee('${{ inputs.suite }}'), '.github/actions/setup/action.yml': setup };
      expect(run({ ...files, '.github/workflows/comment-bench.yml': caller('github.event.issue.pull_request') })).toEqual([]);
      const base = caller('github.event.issue.pull_request').replace('${{ needs.resolve.outputs.sha }}', '${{ github.event.repository.default_branch }}');
      expect(run({ '.github/workflows/run-bench.yml': callee('${{ inputs.ref }}'), '.github/actions/setup/action.yml': setup, '.github/workflows/comment-bench.yml': base })).toEqual([]);
    });
  });

  describe('a PR ref handed to a local composite action through its inputs or their defaults', () => {
    const action = (refInput: string) => yaml`
      name: build pull request
      description: checks out a revision and builds it
      inputs:
        ref:
          description: revision to build
${refInput}
      runs:
        using: composite
        steps:
          - uses: actions/checkout@v4
            with:
              ref: \${{ inputs.ref }}
              persist-credentials: false
          - run: |
              yarn install --frozen-lockfile
              yarn build
            shell: bash
    `;
    const caller = (event: string, withRef: string) => yaml`
      name: preview
      on: ${event}
      permissions:
        contents: read
      jobs:
        preview:
          runs-on: ubuntu-latest
          steps:
            - uses: ./.github/actions/build-pr
              ${withRef ? `with:\n                ref: ${withRef}` : ''}
            - run: ./scripts/upload-preview.sh
              env:
                PREVIEW_TOKEN: \${{ secrets.PREVIEW_TOKEN }}
    `;
    const noDefault = '          required: true';
    const headDefault = '          default: ${{ github.event.pull_request.head.sha }}';

    it('follows the head SHA a pull_request_target caller passes into the action, and names the caller; the caller\'s later steps run that code too', () => {
      const findings = auditFiles(rule, {
        '.github/actions/build-pr/action.yml': action(noDefault),
        '.github/workflows/preview.yml': caller('pull_request_target', '${{ github.event.pull_request.head.sha }}'),
      });
      expect(summarize(findings)).toEqual([
        '.github/actions/build-pr/action.yml:15:9-15:39 high/high step "step 2" runs "yarn install" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
        '.github/workflows/preview.yml:12:14-12:41 high/high step "step 2" runs "./scripts/upload-preview.sh" on pull request code checked out by step "./.github/actions/build-pr", with the privileges of pull_request_target',
      ]);
      expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '.github/actions/build-pr/action.yml:12:14 step "actions/checkout@v4" checks out the pull request\'s code (github.event.pull_request.head.sha)',
        '.github/workflows/preview.yml:11:16 job "preview" step "./.github/actions/build-pr" passes github.event.pull_request.head.sha to .github/actions/build-pr as input "ref"',
      ]);
      // In the caller, the checkout is the uses: step; its with: value is the next hop.
      expect(findings[1]!.related.map((r) => `${r.file}:${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '.github/workflows/preview.yml:9:15 step "./.github/actions/build-pr" checks out the pull request\'s code (github.event.pull_request.head.sha)',
        '.github/workflows/preview.yml:11:16 job "preview" step "./.github/actions/build-pr" passes github.event.pull_request.head.sha to .github/actions/build-pr as input "ref"',
        '.github/workflows/preview.yml:2:5 "pull_request_target" gives this job the base repository\'s secrets and token',
      ]);
    });

    it('follows a head-SHA default of the input when the caller leaves it out', () => {
      const findings = auditFiles(rule, {
        '.github/actions/build-pr/action.yml': action(headDefault),
        '.github/workflows/preview.yml': caller('pull_request_target', ''),
      });
      expect(summarize(findings)).toEqual([
        '.github/actions/build-pr/action.yml:15:9-15:39 high/high step "step 2" runs "yarn install" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
        '.github/workflows/preview.yml:11:14-11:41 high/high step "step 2" runs "./scripts/upload-preview.sh" on pull request code checked out by step "./.github/actions/build-pr", with the privileges of pull_request_target',
      ]);
      expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '.github/actions/build-pr/action.yml:12:14 step "actions/checkout@v4" checks out the pull request\'s code (github.event.pull_request.head.sha)',
        '.github/actions/build-pr/action.yml:4:3 input "ref" of .github/actions/build-pr defaults to github.event.pull_request.head.sha, and job "preview" step "./.github/actions/build-pr" leaves it out',
      ]);
    });

    it('with no caller, a head-SHA default is reported low (the callers are unknown)', () => {
      expect(run({ '.github/actions/build-pr/action.yml': action(headDefault) })).toEqual([
        '.github/actions/build-pr/action.yml:15:9-15:39 low/low step "step 2" runs "yarn install" on pull request code checked out by step "actions/checkout@v4", with the privileges of its callers',
      ]);
    });

    it('is silent when the caller passes the base SHA, overrides the default, or runs on pull_request only', () => {
      expect(run({ '.github/actions/build-pr/action.yml': action(noDefault), '.github/workflows/preview.yml': caller('pull_request_target', '${{ github.event.pull_request.base.sha }}') })).toEqual([]);
      expect(run({ '.github/actions/build-pr/action.yml': action(headDefault), '.github/workflows/preview.yml': caller('pull_request_target', '${{ github.sha }}') })).toEqual([]);
      expect(run({ '.github/actions/build-pr/action.yml': action(noDefault), '.github/workflows/preview.yml': caller('pull_request', '${{ github.event.pull_request.head.sha }}') })).toEqual([]);
    });

    it('does not blame a pull_request_target caller for the head SHA a pull_request caller passes', () => {
      expect(run({
        '.github/actions/build-pr/action.yml': action(noDefault),
        '.github/workflows/preview.yml': caller('pull_request', '${{ github.event.pull_request.head.sha }}'),
        '.github/workflows/label.yml': caller('pull_request_target', '${{ github.event.pull_request.base.sha }}'),
      })).toEqual([]);
    });
  });

  describe('a composite action that checks out the PR through another composite action (nested)', () => {
    const action = (name: string, steps: string) =>
      `name: ${name}\ndescription: ${name}\ninputs:\n  ref:\n    description: revision\n    required: true\nruns:\n  using: composite\n  steps:\n${steps}`;
    const checkoutPr = action('checkout pull request', '    - uses: actions/checkout@v4\n      with:\n        ref: ${{ inputs.ref }}\n        persist-credentials: false\n');
    const setup = (inner: string) => action('setup', `    - uses: ${inner}\n      with:\n        ref: \${{ inputs.ref }}\n    - run: npm ci\n      shell: bash\n`);
    const workflow = (event: string) => yaml`
      name: e2e
      on: ${event}
      permissions:
        contents: read
      jobs:
        e2e:
          runs-on: ubuntu-latest
          steps:
            - uses: ./.github/actions/setup
              with:
                ref: \${{ github.event.pull_request.head.sha }}
            - run: npm run e2e
              env:
                E2E_TOKEN: \${{ secrets.E2E_TOKEN }}
    `;

    it('follows the head SHA through two composite actions to the checkout; the middle action and the job run that code', () => {
      const findings = auditFiles(rule, {
        '.github/actions/checkout-pr/action.yml': checkoutPr,
        '.github/actions/setup/action.yml': setup('./.github/actions/checkout-pr'),
        '.github/workflows/e2e.yml': workflow('pull_request_target'),
      });
      expect(summarize(findings)).toEqual([
        '.github/actions/setup/action.yml:13:12-13:18 high/high step "step 2" runs "npm ci" on pull request code checked out by step "./.github/actions/checkout-pr", with the privileges of pull_request_target',
        '.github/workflows/e2e.yml:12:14-12:25 high/high step "step 2" runs "npm run" on pull request code checked out by step "./.github/actions/setup", with the privileges of pull_request_target',
      ]);
      expect(findings[1]!.related.map((r) => `${r.file}:${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '.github/workflows/e2e.yml:9:15 step "./.github/actions/setup" checks out the pull request\'s code (github.event.pull_request.head.sha)',
        '.github/actions/setup/action.yml:12:14 step "./.github/actions/checkout-pr" of .github/actions/setup passes github.event.pull_request.head.sha to .github/actions/checkout-pr as input "ref"',
        '.github/workflows/e2e.yml:11:16 job "e2e" step "./.github/actions/setup" passes github.event.pull_request.head.sha to .github/actions/setup as input "ref"',
        '.github/workflows/e2e.yml:2:5 "pull_request_target" gives this job the base repository\'s secrets and token',
      ]);
    });

    it('is silent on pull_request, and stops at actions that call each other', () => {
      expect(run({
        '.github/actions/checkout-pr/action.yml': checkoutPr,
        '.github/actions/setup/action.yml': setup('./.github/actions/checkout-pr'),
        '.github/workflows/e2e.yml': workflow('pull_request'),
      })).toEqual([]);
      expect(run({
        '.github/actions/setup/action.yml': setup('./.github/actions/loop'),
        '.github/actions/loop/action.yml': setup('./.github/actions/setup'),
        '.github/workflows/e2e.yml': workflow('pull_request_target'),
      })).toEqual([]);
    });
  });

  describe('a composite action that checks out the PR merge ref for PR events and the default ref otherwise', () => {
    const checkoutAction = yaml`
      name: checkout
      description: checks out the pull request merge commit on PR events, the pushed commit otherwise
      inputs:
        fetch-depth:
          default: "5"
      runs:
        using: composite
        steps:
          - uses: actions/checkout@v4
            with:
              ref: refs/pull/\${{ github.event.number }}/merge
              fetch-depth: \${{ inputs.fetch-depth }}
            if: github.event_name == 'pull_request_target' || github.event_name == 'pull_request'
          - uses: actions/checkout@v4
            with:
              fetch-depth: \${{ inputs.fetch-depth }}
            if: github.event_name != 'pull_request_target' && github.event_name != 'pull_request'
    `;
    const unitTests = (uses: string, event: string) => yaml`
      on: ${event}
      permissions:
        contents: read
        id-token: write
      jobs:
        unit:
          runs-on: ubuntu-latest
          steps:
            - name: Checkout PR code
              uses: ${uses}
            - run: go test ./...
    `;

    it('the trusted checkout for other events does not undo the PR checkout; the caller\'s go test runs PR code', () => {
      expect(run({ '.github/actions/checkout/action.yml': checkoutAction, '.github/workflows/unit.yml': unitTests('./.github/actions/checkout', '[pull_request_target, push]') })).toEqual([
        '.github/workflows/unit.yml:11:14-11:27 high/high step "step 2" runs "go test" on pull request code checked out by step "Checkout PR code", with the privileges of pull_request_target',
      ]);
    });

    it('called by its full name from this repository: the same, at medium confidence (the copy at that ref may differ)', () => {
      expect(run({ '.github/actions/checkout/action.yml': checkoutAction, '.github/workflows/unit.yml': unitTests('example-org/infra/.github/actions/checkout@main', 'pull_request_target') })).toEqual([
        '.github/workflows/unit.yml:11:14-11:27 high/medium step "step 2" runs "go test" on pull request code checked out by step "Checkout PR code", with the privileges of pull_request_target',
      ]);
    });

    it('in a reusable workflow with no caller here, the event guards are unknown: reported low/low', () => {
      expect(run({ '.github/actions/checkout/action.yml': checkoutAction, '.github/workflows/unit.yml': unitTests('./.github/actions/checkout', 'workflow_call') })).toEqual([
        '.github/workflows/unit.yml:11:14-11:27 low/low step "step 2" runs "go test" on pull request code checked out by step "Checkout PR code", with the privileges of its callers',
      ]);
    });

    it('is silent under push only, and for a full name whose path this repository does not define', () => {
      expect(run({ '.github/actions/checkout/action.yml': checkoutAction, '.github/workflows/unit.yml': unitTests('./.github/actions/checkout', 'push') })).toEqual([]);
      expect(run({ '.github/actions/checkout/action.yml': checkoutAction, '.github/workflows/unit.yml': unitTests('example-org/infra/.github/actions/setup@main', 'pull_request_target') })).toEqual([]);
    });
  });

  describe('reusable workflows this repository calls by its own full name', () => {
    const unit = yaml`
      on: workflow_call
      jobs:
        unit:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with:
                ref: \${{ github.event.pull_request.head.sha }}
            - run: go test ./...
    `;
    const lint = yaml`
      on: workflow_call
      jobs:
        lint:
          runs-on: ubuntu-latest
          steps:
            - run: echo lint
    `;
    const controller = (secondPath: string) => yaml`
      on: pull_request_target
      jobs:
        unit:
          uses: example-org/infra/.github/workflows/unit.yml@main
        lint:
          uses: example-org/infra/${secondPath}@main
    `;

    it('links them when every path used under that name is defined here (two or more): the pull_request_target caller counts', () => {
      expect(run({ '.github/workflows/unit.yml': unit, '.github/workflows/lint.yml': lint, '.github/workflows/controller.yml': controller('.github/workflows/lint.yml') })).toEqual([
        '.github/workflows/unit.yml:9:14-9:27 high/high step "step 2" runs "go test" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
      ]);
    });

    it('does not link them when the name also serves a path this repository lacks (a shared-workflows repository): callers unknown', () => {
      expect(run({ '.github/workflows/unit.yml': unit, '.github/workflows/lint.yml': lint, '.github/workflows/controller.yml': controller('.github/workflows/publish.yml') })).toEqual([
        '.github/workflows/unit.yml:9:14-9:27 low/low step "step 2" runs "go test" on pull request code checked out by step "actions/checkout@v4", with the privileges of its callers',
      ]);
    });
  });

  describe('a reusable workflow input whose default is the PR head', () => {
    const callee = yaml`
      name: integration
      on:
        workflow_call:
          inputs:
            ref:
              type: string
              default: \${{ github.event.pull_request.head.sha }}
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with:
                ref: \${{ inputs.ref }}
            - run: make integration
    `;
    const caller = (withRef: string) => yaml`
      on: pull_request_target
      jobs:
        integration:
          uses: ./.github/workflows/integration.yml
          ${withRef ? `with:\n            ref: ${withRef}` : ''}
          secrets: inherit
    `;

    it('reports the callee when a pull_request_target caller leaves the input out, pointing at the default', () => {
      const findings = auditFiles(rule, { '.github/workflows/integration.yml': callee, '.github/workflows/ci.yml': caller('') });
      expect(summarize(findings)).toEqual([
        '.github/workflows/integration.yml:15:14-15:30 critical/high step "step 2" runs "make integration" on pull request code checked out by step "actions/checkout@v4", with the privileges of pull_request_target',
      ]);
      expect(findings[0]!.related.map((r) => `${r.file}:${r.startLine}:${r.startColumn} ${r.message}`)).toEqual([
        '.github/workflows/integration.yml:14:16 step "actions/checkout@v4" checks out the pull request\'s code (github.event.pull_request.head.sha)',
        '.github/workflows/integration.yml:7:18 input "ref" of ./.github/workflows/integration.yml defaults to github.event.pull_request.head.sha, and job "integration" of .github/workflows/ci.yml leaves it out, with secrets: inherit',
      ]);
    });

    it('is silent when the caller passes its own trusted ref', () => {
      expect(run({ '.github/workflows/integration.yml': callee, '.github/workflows/ci.yml': caller('${{ github.event.pull_request.base.ref }}') })).toEqual([]);
    });
  });
});
