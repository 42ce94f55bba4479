import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));
const ENABLED = 're-enabling the set-env and add-path workflow commands, so any step that prints attacker-controlled text can set environment variables or PATH; remove it';

describe('insecure-commands', () => {
  it('flags ACTIONS_ALLOW_UNSECURE_COMMANDS: true at workflow, job and step level, at the env key', () => {
    expect(
      run({
        '.github/workflows/a.yml': yaml`
          on: push
          env:
            ACTIONS_ALLOW_UNSECURE_COMMANDS: true
          jobs:
            build:
              runs-on: ubuntu-latest
              env:
                ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true'
              steps:
                - name: Old action
                  env:
                    ACTIONS_ALLOW_UNSECURE_COMMANDS: " TRUE "
                  run: make
        `,
      }),
    ).toEqual([
      `.github/workflows/a.yml:3:3-3:34 high/high ACTIONS_ALLOW_UNSECURE_COMMANDS is true for every job of the workflow, ${ENABLED}`,
      `.github/workflows/a.yml:8:7-8:38 high/high ACTIONS_ALLOW_UNSECURE_COMMANDS is true for job "build", ${ENABLED}`,
      `.github/workflows/a.yml:12:11-12:42 high/high ACTIONS_ALLOW_UNSECURE_COMMANDS is true for step "Old action", ${ENABLED}`,
    ]);
  });

  it('ignores values the runner does not parse as true (bool.TryParse)', () => {
    expect(
      run({
        '.github/workflows/n.yml': yaml`
          on: push
          env:
            ACTIONS_ALLOW_UNSECURE_COMMANDS: false
          jobs:
            a:
              runs-on: ubuntu-latest
              env:
                ACTIONS_ALLOW_UNSECURE_COMMANDS: yes
              steps:
                - env:
                    ACTIONS_ALLOW_UNSECURE_COMMANDS: 1
                  run: make
                - env:
                    ACTIONS_ALLOW_UNSECURE_COMMANDS: \${{ 'false' }}
                    OTHER: true
                  run: make
        `,
      }),
    ).toEqual([]);
  });

  it('folds constant expressions and flags unknown ones at low confidence', () => {
    expect(
      run({
        '.github/workflows/e.yml': yaml`
          on: workflow_dispatch
          jobs:
            a:
              runs-on: ubuntu-latest
              env:
                ACTIONS_ALLOW_UNSECURE_COMMANDS: \${{ 'true' }}
              steps:
                - env:
                    ACTIONS_ALLOW_UNSECURE_COMMANDS: \${{ inputs.legacy }}
                  run: make
                - env:
                    ACTIONS_ALLOW_UNSECURE_COMMANDS: v\${{ inputs.legacy }}
                  run: make
        `,
      }),
    ).toEqual([
      `.github/workflows/e.yml:6:7-6:38 high/high ACTIONS_ALLOW_UNSECURE_COMMANDS is true for job "a", ${ENABLED}`,
      '.github/workflows/e.yml:9:11-9:42 medium/low ACTIONS_ALLOW_UNSECURE_COMMANDS is set from an expression for step "step 1" and may re-enable the set-env and add-path workflow commands; remove it',
    ]);
  });

  it('flags ::set-env and ::add-path in run scripts, not in comments or other languages', () => {
    expect(
      run({
        '.github/workflows/c.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - name: Legacy
                  run: |
                    # echo "::set-env name=OLD::1"
                    echo "::set-env name=FOO::bar"
                    echo "::add-path::/opt/tool/bin"
                    echo "FOO=bar" >> "$GITHUB_ENV"
                - shell: python
                  run: print("::set-env name=X::1")
        `,
      }),
    ).toEqual([
      '.github/workflows/c.yml:9:17-9:26 medium/high step "Legacy" uses the deprecated ::set-env workflow command; append "NAME=value" to $GITHUB_ENV instead',
      '.github/workflows/c.yml:10:17-10:27 medium/high step "Legacy" uses the deprecated ::add-path workflow command; append the directory to $GITHUB_PATH instead',
    ]);
  });

  it('flags the variable enabled through $GITHUB_ENV', () => {
    expect(
      run({
        '.github/workflows/g.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: echo "ACTIONS_ALLOW_UNSECURE_COMMANDS=true" >> $GITHUB_ENV
                - run: echo "ACTIONS_ALLOW_UNSECURE_COMMANDS=false" >> $GITHUB_ENV
        `,
      }),
    ).toEqual([
      '.github/workflows/g.yml:6:20-6:56 high/high step "step 1" writes ACTIONS_ALLOW_UNSECURE_COMMANDS=true to $GITHUB_ENV, enabling the deprecated set-env and add-path workflow commands for the rest of the job; remove it and use $GITHUB_ENV and $GITHUB_PATH directly',
    ]);
  });

  it('checks composite action steps', () => {
    expect(
      run({
        'tool/action.yml': yaml`
          runs:
            using: composite
            steps:
              - shell: bash
                env:
                  ACTIONS_ALLOW_UNSECURE_COMMANDS: true
                run: echo "::add-path::$PWD/bin"
        `,
      }).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['tool/action.yml:6:9-6:40 high/high', 'tool/action.yml:7:18-7:28 medium/high']);
  });
});
