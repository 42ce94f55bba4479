import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../../platforms/github/expressions/parser.js';
import { auditFiles, summarize, yaml } from '../testing.js';
import { fold, rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('obfuscation', () => {
  it('flags path tricks and non-ASCII letters in uses:', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout/.@v4
                - uses: evil/x/../../actions/cache@v4
                - uses: actions/setup-node//@v4
                - uses: ./tools/./build
                - uses: аctions/checkout@v4
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:6:15-6:36 medium/high step 1 of job "a" uses "actions/checkout/.@v4", whose path has ".", ".." or empty segments that hide what it names; write "actions/checkout@v4"',
      '.github/workflows/ci.yml:7:15-7:44 medium/high step 2 of job "a" uses "evil/x/../../actions/cache@v4", whose path has ".", ".." or empty segments that hide what it names; write "evil/x/actions/cache@v4"',
      '.github/workflows/ci.yml:8:15-8:38 medium/high step 3 of job "a" uses "actions/setup-node//@v4", whose path has ".", ".." or empty segments that hide what it names; write "actions/setup-node@v4"',
      '.github/workflows/ci.yml:9:15-9:30 medium/high step 4 of job "a" uses "./tools/./build", whose path has ".", ".." or empty segments that hide what it names; write "./tools/build"',
      '.github/workflows/ci.yml:10:15-10:34 high/high step 5 of job "a" uses "аctions/checkout@v4", which contains the non-ASCII character "а" (U+0430); GitHub names are ASCII, so this imitates another name',
    ]);
  });

  it('flags invisible and bidirectional characters once per line', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - name: Build\u200B\u200B
                  run: echo ok \u202E# }tpircs{
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:6:20-6:21 high/high invisible character U+200B hides in this line, so what reviewers see is not what GitHub runs; delete it',
      '.github/workflows/ci.yml:7:22-7:23 high/high bidirectional control U+202E hides in this line, so what reviewers see is not what GitHub runs; delete it',
    ]);
  });

  it('an emoji ZWJ sequence is one visible emoji; a joiner between letters or after an emoji alone is still reported', () => {
    expect(
      run({
        '.github/workflows/greet.yml': yaml`
          on: issues
          env:
            CHEERS: '\u{1F9D1}\u200D\u{1F680},\u{1F469}\u{1F3FD}\u200D\u{1F4BB},\u{1F3F3}\uFE0F\u200D\u{1F308}'
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: echo "$CHEERS"
        `,
      }),
    ).toEqual([]);
    expect(
      run({
        '.github/workflows/greet.yml': yaml`
          on: issues
          env:
            NAME: 'dep\u200Dloy'
            PARTY: '\u{1F389}\u200D'
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: echo "$NAME"
        `,
      }),
    ).toEqual([
      '.github/workflows/greet.yml:3:13-3:14 high/high invisible character U+200D hides in this line, so what reviewers see is not what GitHub runs; delete it',
      '.github/workflows/greet.yml:4:13-4:14 high/high invisible character U+200D hides in this line, so what reviewers see is not what GitHub runs; delete it',
    ]);
  });

  it('flags constant expressions in run:, with: and env:, and constant string builders inside a live if:', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: c\${{ '' }}url https://example.com/x.sh | sh
                - uses: actions/github-script@v7
                  with:
                    script: \${{ fromJSON('"console.log(1)"') }}
                  env:
                    MODE: \${{ format('{0}{1}', 'pro', 'd') }}
                - if: github.actor == format('{0}{1}', 'dependabot', '[bot]')
                  run: echo hi
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:6:15-6:24 low/high ${{ \'\' }} in the run: script of step 1 of job "a" is the constant \'\' written as an expression, which hides the text from readers and searches; write nothing directly',
      '.github/workflows/ci.yml:9:19-9:54 low/high ${{ fromJSON(\'"console.log(1)"\') }} in with script of step 2 of job "a" is the constant \'console.log(1)\' written as an expression, which hides the text from readers and searches; write the value directly',
      '.github/workflows/ci.yml:11:17-11:52 low/high ${{ format(\'{0}{1}\', \'pro\', \'d\') }} in env MODE of step 2 of job "a" is the constant \'prod\' written as an expression, which hides the text from readers and searches; write the value directly',
      '.github/workflows/ci.yml:12:29-12:68 low/high format(\'{0}{1}\', \'dependabot\', \'[bot]\') in the if: of step 3 of job "a" is the constant \'dependabot[bot]\' spelled indirectly; write the literal',
    ]);
  });

  it('flags base64-decoded scripts run by a shell and encoded PowerShell commands', () => {
    expect(
      run({
        '.github/workflows/ci.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - run: |
                    echo ZWNobyBoaQ== | base64 -d | bash
                    eval "$(echo ZWNobyBoaQ== | base64 --decode)"
                    echo ok
                - shell: pwsh
                  run: powershell -NoProfile -EncodedCommand ZQBjAGgAbwAgAGgAaQA=
        `,
      }),
    ).toEqual([
      '.github/workflows/ci.yml:7:11-7:47 high/high step 1 of job "a" decodes base64 data and pipes it to bash, so the code that runs cannot be read or reviewed in the workflow; commit the script in plain text',
      '.github/workflows/ci.yml:8:11-8:56 high/high step 1 of job "a" runs the output of base64 decoding with eval, so the code that runs cannot be read or reviewed in the workflow; commit the script in plain text',
      '.github/workflows/ci.yml:11:14-11:72 high/high step 2 of job "a" runs a base64-encoded command with powershell -EncodedCommand, so the code that runs cannot be read or reviewed in the workflow; commit the script in plain text',
    ]);
  });

  it('does not flag ordinary workflows: bare switches in if:, literal escapes, live expressions, decoding to a file', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: push
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@v4
                - uses: ./.github/actions/setup
                - uses: github/codeql-action/init@v3
                - if: \${{ false }}
                  run: echo disabled
                - if: contains(fromJSON('["push", "schedule"]'), github.event_name)
                  run: echo "\${{ '\${{' }} not an expression }}"
                - name: Café
                  run: |
                    echo "\${{ github.sha }}" "\${{ format('{0}-{1}', github.ref, 'x') }}"
                    echo "$CERT" | base64 -d > cert.pem
                    base64 -d < payload.b64 | tar x
                  with:
                    fetch-depth: 0
        `,
      }),
    ).toEqual([]);
  });

  it('folds fromJSON of literals', () => {
    expect(fold(parseExpression(`fromJSON('"a"')`))).toBe('a');
    expect(fold(parseExpression(`format('{0}', fromJSON('1'))`))).toBe('1');
    expect(typeof fold(parseExpression('github.sha'))).toBe('symbol');
  });

  it('does not call a live `a && b || default` fallback a constant (its value is a or b when they are set)', () => {
    expect(
      run({
        '.github/workflows/fallback.yml': yaml`
          on:
            workflow_call:
              inputs:
                plan:
                  type: string
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - env:
                    TAG: \${{ inputs.plan != '' && fromJson(inputs.plan).tag || 'dry-run' }}
                    MODE: \${{ github.event.inputs.mode || 'fast' }}
                  run: echo "$TAG $MODE"
        `,
      }),
    ).toEqual([]);
  });
});
