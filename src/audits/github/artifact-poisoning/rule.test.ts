import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

const CI = yaml`
  name: CI
  on: pull_request
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - run: true
`;

describe('artifact-poisoning', () => {
  it('flags a named artifact downloaded into the workspace root and then built, at the command', () => {
    const findings = auditFiles(rule, {
      '.github/workflows/ci.yml': CI,
      '.github/workflows/deploy.yml': yaml`
        on:
          workflow_run:
            workflows: [CI]
            types: [completed]
        jobs:
          preview:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: Download
                uses: actions/download-artifact@v4
                with:
                  name: site
                  run-id: \${{ github.event.workflow_run.id }}
                  github-token: \${{ github.token }}
              - name: Build
                run: npm ci && npm run build
      `,
    });
    expect(summarize(findings)).toEqual([
      '.github/workflows/deploy.yml:17:14-17:37 high/high step "Build" runs "npm ci" over files from artifacts of the triggering run (downloaded by step "Download"); treat artifacts as untrusted data',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn}`)).toEqual(['14:19', '2:3']);
  });

  it('flags artifact content written to $GITHUB_ENV, even from a dedicated directory', () => {
    expect(
      run({
        '.github/workflows/ci.yml': CI,
        '.github/workflows/post.yml': yaml`
          on:
            workflow_run:
              workflows: [CI]
          jobs:
            post:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/download-artifact@v4
                  with:
                    name: meta
                    path: \${{ runner.temp }}/meta
                    run-id: \${{ github.event.workflow_run.id }}
                - run: |
                    cat "$RUNNER_TEMP/meta/vars.env" >> "$GITHUB_ENV"
        `,
      }),
    ).toEqual([
      '.github/workflows/post.yml:14:11-14:60 high/high step "step 2" writes file content to $GITHUB_ENV from artifacts of the triggering run (downloaded by step "actions/download-artifact@v4"); treat artifacts as untrusted data',
    ]);
  });

  it('lower severity for a validated PR number read from a dedicated directory', () => {
    expect(
      run({
        '.github/workflows/ci.yml': CI,
        '.github/workflows/comment.yml': yaml`
          on:
            workflow_run:
              workflows: [CI]
          jobs:
            comment:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/download-artifact@v4
                  with:
                    name: pr
                    path: \${{ runner.temp }}/pr
                    run-id: \${{ github.event.workflow_run.id }}
                - id: pr
                  run: |
                    n=$(cat "$RUNNER_TEMP/pr/number")
                    [[ "$n" =~ ^[0-9]+$ ]] || exit 1
                    echo "number=$n" >> "$GITHUB_OUTPUT"
                - id: other
                  run: |
                    echo "title=$(cat "$RUNNER_TEMP/pr/title")" >> "$GITHUB_OUTPUT"
        `,
      }),
    ).toEqual([
      '.github/workflows/comment.yml:17:11-17:47 low/high step "pr" writes file content to $GITHUB_OUTPUT from artifacts of the triggering run (downloaded by step "actions/download-artifact@v4"); keep validating it',
      '.github/workflows/comment.yml:20:11-20:74 medium/high step "other" writes file content to $GITHUB_OUTPUT from artifacts of the triggering run (downloaded by step "actions/download-artifact@v4"); validate it before use',
    ]);
  });

  it('follows github-script downloads unzipped into the workspace and piping into a shell', () => {
    expect(
      run({
        '.github/workflows/ci.yml': CI,
        '.github/workflows/w.yml': yaml`
          on:
            workflow_run:
              workflows: [CI]
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/github-script@v7
                  with:
                    script: |
                      const all = await github.rest.actions.listWorkflowRunArtifacts({ owner: context.repo.owner, repo: context.repo.repo, run_id: context.payload.workflow_run.id });
                      const dl = await github.rest.actions.downloadArtifact({ owner: context.repo.owner, repo: context.repo.repo, artifact_id: all.data.artifacts[0].id, archive_format: 'zip' });
                      require('fs').writeFileSync('pr.zip', Buffer.from(dl.data));
                - run: unzip pr.zip
                - run: ./deploy.sh
                - run: cat cmds.txt | bash
        `,
      }),
    ).toEqual([
      '.github/workflows/w.yml:15:14-15:25 high/high step "step 3" runs "./deploy.sh" from artifacts of the triggering run (downloaded by step "actions/github-script@v7"); treat artifacts as untrusted data',
      '.github/workflows/w.yml:16:14-16:33 high/high step "step 4" pipes "cat cmds.txt" into bash from artifacts of the triggering run (downloaded by step "actions/github-script@v7"); treat artifacts as untrusted data',
    ]);
  });

  it('does not flag artifacts of the current run, nor per-artifact subdirectories next to a checkout', () => {
    expect(
      run({
        '.github/workflows/ci.yml': CI,
        '.github/workflows/w.yml': yaml`
          on:
            workflow_run:
              workflows: [CI]
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/download-artifact@v4
                - uses: actions/checkout@v4
                - uses: actions/download-artifact@v4
                  with:
                    run-id: \${{ github.event.workflow_run.id }}
                - run: make docs
        `,
      }),
    ).toEqual([]);
  });

  it('handles gh run download -D and skips jobs restricted to push-triggered runs', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          name: CI
          on: [push, pull_request]
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: true
        `,
        '.github/workflows/w.yml': yaml`
          on:
            workflow_run:
              workflows: [CI]
          jobs:
            pr:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    gh run download "\${{ github.event.workflow_run.id }}" -n bundle -D out
                    bash out/install.sh
            push-only:
              if: github.event.workflow_run.event == 'push'
              runs-on: ubuntu-latest
              steps:
                - run: |
                    gh run download "\${{ github.event.workflow_run.id }}" -n bundle -D out
                    bash out/install.sh
        `,
      }),
    ).toEqual([
      '.github/workflows/w.yml:10:11-10:30 high/high step "step 1" runs "bash out/install.sh" from artifacts of the triggering run (downloaded by step "step 1"); treat artifacts as untrusted data',
    ]);
  });

  it('ignores workflows without workflow_run', () => {
    expect(
      run({
        '.github/workflows/w.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/download-artifact@v4
                  with:
                    name: x
                    run-id: \${{ inputs.run }}
                - run: ./x.sh
        `,
      }),
    ).toEqual([]);
  });
});
