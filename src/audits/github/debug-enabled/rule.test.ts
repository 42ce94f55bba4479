import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('debug-enabled', () => {
  it('flags debug switches in workflow, job and step env, at the key', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          name: CI
          on: push
          env:
            ACTIONS_STEP_DEBUG: true
          jobs:
            build:
              runs-on: ubuntu-latest
              env:
                ACTIONS_RUNNER_DEBUG: 'true'
              steps:
                - name: Test
                  run: make test
                  env:
                    RUNNER_DEBUG: 1
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:4:3-4:21 low/medium workflow "CI" sets ACTIONS_STEP_DEBUG=true, which turns on debug logs that print inputs, outputs and environment derived from secrets to anyone who can read the logs; remove it and turn on debug logging for a single re-run when needed',
      '.github/workflows/ci.yml:9:7-9:27 low/medium job "build" sets ACTIONS_RUNNER_DEBUG=true, which turns on debug logs that print inputs, outputs and environment derived from secrets to anyone who can read the logs; remove it and turn on debug logging for a single re-run when needed',
      '.github/workflows/ci.yml:14:11-14:23 low/high step "Test" of job "build" sets RUNNER_DEBUG=1, which turns on debug logs that print inputs, outputs and environment derived from secrets to anyone who can read the logs; remove it and turn on debug logging for a single re-run when needed',
    ]);
  });

  it('flags debug switches written to $GITHUB_ENV, at the assignment', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    echo "RUNNER_DEBUG=1" >> "$GITHUB_ENV"
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:7:17-7:31 low/high step 1 of job "build" writes RUNNER_DEBUG=1 to $GITHUB_ENV, which turns on debug output for every later step of the job, printing data derived from secrets to anyone who can read the logs; remove it',
    ]);
  });

  it('does not flag false values, secrets and variables, or reads', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          env:
            ACTIONS_STEP_DEBUG: false
            ACTIONS_RUNNER_DEBUG: \${{ secrets.ACTIONS_RUNNER_DEBUG }}
          jobs:
            build:
              runs-on: ubuntu-latest
              env:
                RUNNER_DEBUG: \${{ vars.DEBUG }}
              steps:
                - run: |
                    if [ "$RUNNER_DEBUG" = "1" ]; then set -x; fi
                    echo "ACTIONS_STEP_DEBUG is documented in README" 
                    echo "DEBUG=1" >> "$GITHUB_ENV"
        `,
      }),
    ).toEqual([]);
  });
});
