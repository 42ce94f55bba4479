import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unsound-condition', () => {
  it('flags an if: | block holding one ${{ }} (the kept newline makes it a string) and fixes it with |-', () => {
    const text = yaml`
      on: pull_request_target
      jobs:
        test:
          if: |
            \${{ github.event.pull_request.head.repo.full_name == github.repository }}
          runs-on: ubuntu-latest
          steps:
            - run: make
    `;
    const findings = auditFiles(rule, { '.github/workflows/b.yml': text });
    expect(summarize(findings)).toEqual([
      '.github/workflows/b.yml:4:9-5:80 high/high job "test" has an if: that mixes ${{ }} with the newline a YAML block scalar keeps at its end, so GitHub evaluates it as a string and it is always true; write the whole condition as one expression without surrounding text',
    ]);
    const edit = findings[0]!.fix!.edits[0]!;
    expect(findings[0]!.fix!.safety).toBe('safe');
    const fixed = text.slice(0, edit.start) + edit.replacement + text.slice(edit.end);
    expect(fixed.split('\n')[3]).toBe('    if: |-');
    expect(auditFiles(rule, { '.github/workflows/b.yml': fixed })).toEqual([]);
  });

  it('evaluates a value that is exactly one ${{ }}: plain, quoted and chomped block scalars', () => {
    expect(
      run({
        '.github/workflows/ok.yml': yaml`
          on: pull_request_target
          jobs:
            a:
              if: \${{ github.event.pull_request.head.repo.full_name == github.repository }}
              runs-on: ubuntu-latest
              steps:
                - if: "\${{ github.actor == 'octocat' }}"
                  run: make
                - if: |-
                    \${{ success() && github.ref == 'refs/heads/main' }}
                  run: make
                - if: >-
                    \${{ always() }}
                  run: make
                - if: github.ref == 'refs/heads/main' && github.event_name == 'push'
                  run: make
        `,
      }),
    ).toEqual([]);
  });

  it('flags whitespace around the template, text between templates and a folded block', () => {
    const out = run({
      '.github/workflows/m.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - if: " \${{ github.ref == 'refs/heads/main' }}"
                run: make
              - if: \${{ github.ref == 'refs/heads/main' }} && \${{ github.event_name == 'push' }}
                run: make
              - if: >
                  \${{ github.ref == 'refs/heads/main' }}
                run: make
              - if: \${{ github.event.inputs.a }}\${{ github.event.inputs.b }}
                run: make
      `,
    });
    expect(out).toEqual([
      '.github/workflows/m.yml:6:13-6:54 medium/high step "step 1" of job "a" has an if: that mixes ${{ }} with whitespace around it, so GitHub evaluates it as a string and it is always true; write the whole condition as one expression without surrounding text',
      '.github/workflows/m.yml:8:13-8:89 medium/high step "step 2" of job "a" has an if: that mixes ${{ }} with other text, so GitHub evaluates it as a string and it is always true; write the whole condition as one expression without surrounding text',
      '.github/workflows/m.yml:10:13-11:49 medium/high step "step 3" of job "a" has an if: that mixes ${{ }} with the newline a YAML block scalar keeps at its end, so GitHub evaluates it as a string and it is always true; write the whole condition as one expression without surrounding text',
      '.github/workflows/m.yml:13:13-13:69 medium/medium step "step 4" of job "a" has an if: that mixes ${{ }} with more ${{ }}, so GitHub evaluates it as a string and it is true whenever any part is non-empty; write the whole condition as one expression without surrounding text',
    ]);
  });

  it('flags conditions that constant-fold, but not deliberate literal toggles', () => {
    expect(
      run({
        '.github/workflows/c.yml': yaml`
          on: push
          jobs:
            a:
              if: true == true
              runs-on: ubuntu-latest
              steps:
                - if: github.ref == 'refs/heads/main' || 'true'
                  run: make
                - if: \${{ false && github.ref == 'refs/heads/main' }}
                  run: make
                - if: false
                  run: make
                - if: \${{ false }}
                  run: make
                - if: "true"
                  run: make
        `,
      }),
    ).toEqual([
      '.github/workflows/c.yml:4:9-4:21 low/high job "a" has an if: that is always true, so it does not restrict when the job runs; fix the comparison or remove the condition',
      '.github/workflows/c.yml:7:13-7:54 low/high step "step 1" of job "a" has an if: that is always true, so it does not restrict when the step runs; fix the comparison or remove the condition',
      '.github/workflows/c.yml:9:13-9:60 low/high step "step 2" of job "a" has an if: that is always false, so the step never runs; fix the comparison or remove the step',
    ]);
  });

  it('checks composite action steps', () => {
    expect(
      run({
        'act/action.yml': yaml`
          runs:
            using: composite
            steps:
              - if: \${{ inputs.enabled }} == 'true'
                shell: bash
                run: make
        `,
      }).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['act/action.yml:4:11-4:42 high/high']);
  });
});
