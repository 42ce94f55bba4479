import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('workflow-schema', () => {
  it('reports keys and values GitHub rejects: typos in step, job and top-level keys, unknown events, bad input types, exclusive filters', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          name: ci
          on:
            push:
              branches: [main]
              branches-ignore: [wip/**]
            pull_reqest:
            workflow_dispatch:
              inputs:
                level:
                  type: choice
                  default: info
                dry-run:
                  type: bool
                  requried: true
          permisions:
            contents: read
          jobs:
            build:
              runs-on: ubuntu-24.04
              timeout: 10
              steps:
                - uses: actions/checkout@v4
                  width:
                    persist-credentials: false
                - name: both
                  uses: actions/setup-node@v4
                  run: npm ci
                - name: neither
                  shell: bash
            2nd:
              runs-on: ubuntu-24.04
              steps:
                - run: make
            lint:
              steps:
                - run: make lint
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:3:3-3:7 medium/high on.push has both "branches" and "branches-ignore"; GitHub rejects the workflow (use one, with "!" patterns to exclude)',
      '.github/workflows/ci.yml:6:3-6:14 medium/high unknown event "pull_reqest" in on:; GitHub rejects the workflow and runs none of it',
      '.github/workflows/ci.yml:9:7-9:12 medium/high on.workflow_dispatch.inputs.level is a choice without "options"; GitHub rejects the workflow',
      '.github/workflows/ci.yml:13:15-13:19 medium/high on.workflow_dispatch.inputs.dry-run has type "bool"; GitHub accepts only string, boolean, choice, number, environment and rejects the workflow',
      '.github/workflows/ci.yml:14:9-14:17 medium/high unexpected key "requried" in on.workflow_dispatch.inputs.dry-run; GitHub rejects the workflow ("Invalid workflow file") and runs none of it. Expected one of: description, required, default, type, options',
      '.github/workflows/ci.yml:15:1-15:11 medium/high unexpected key "permisions" in the workflow; GitHub rejects the workflow ("Invalid workflow file") and runs none of it. Expected one of: name, run-name, on, permissions, env, defaults, concurrency, jobs',
      '.github/workflows/ci.yml:20:5-20:12 medium/high unexpected key "timeout" in job "build"; GitHub rejects the workflow ("Invalid workflow file") and runs none of it. Expected one of: name, needs, runs-on, permissions, environment, concurrency, outputs, env, defaults, if, steps, timeout-minutes, strategy, continue-on-error, container, services, uses, with, secrets, snapshot',
      '.github/workflows/ci.yml:23:9-23:14 medium/high unexpected key "width" in step 1 of job "build"; GitHub rejects the workflow ("Invalid workflow file") and runs none of it. Expected one of: id, if, name, uses, run, working-directory, shell, with, env, continue-on-error, timeout-minutes, background, wait, wait-all, cancel',
      '.github/workflows/ci.yml:25:9-27:20 medium/high step 2 of job "build" has both "uses" and "run"; GitHub rejects the workflow',
      '.github/workflows/ci.yml:28:9-29:20 medium/high step 3 of job "build" has neither "uses" nor "run"; GitHub rejects the workflow',
      '.github/workflows/ci.yml:30:3-30:6 medium/high job id "2nd" must start with a letter or "_" and contain only letters, digits, "-" and "_"; GitHub rejects the workflow',
      '.github/workflows/ci.yml:34:3-34:7 medium/high job "lint" has neither "runs-on" nor "uses"; GitHub rejects the workflow',
    ]);
  });

  it('accepts valid workflows: reusable calls, workflow_call inputs, background steps, waits and parallel groups', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on:
            workflow_call:
              inputs:
                target: { type: string, required: true }
            workflow_dispatch:
              inputs:
                env: { type: environment }
                mode: { type: choice, options: [fast, full] }
            pull_request:
              paths-ignore: ['docs/**']
          permissions: {}
          jobs:
            call:
              uses: ./.github/workflows/build.yml
              with: { target: linux }
              secrets: inherit
            build:
              runs-on: ubuntu-24.04
              timeout-minutes: 30
              steps:
                - uses: ./.github/actions/warm-cache
                  background: true
                - parallel:
                    - run: make a
                    - run: make b
                - name: wait for the cache
                  wait-all:
                - run: make test
        `,
      }),
    ).toEqual([]);
  });

  it('a workflow_call input needs a type; a reusable call job takes only the keys GitHub allows there', () => {
    expect(
      run({
        '.github/workflows/lib.yml': yaml`
          on:
            workflow_call:
              inputs:
                target:
                  required: true
          jobs:
            call:
              uses: ./.github/workflows/other.yml
              runs-on: ubuntu-24.04
        `,
      }),
    ).toEqual([
      '.github/workflows/lib.yml:4:7-4:13 medium/high on.workflow_call.inputs.target has no "type" (string, boolean or number); GitHub rejects the workflow',
      '.github/workflows/lib.yml:9:5-9:12 medium/high unexpected key "runs-on" in job "call" (a reusable workflow call); GitHub rejects the workflow ("Invalid workflow file") and runs none of it. Expected one of: name, needs, permissions, concurrency, if, strategy, uses, with, secrets',
    ]);
  });
});
