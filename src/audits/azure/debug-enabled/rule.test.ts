import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('debug-enabled (azure)', () => {
  it('flags system.debug set in variables (map and list forms) and by a logging command', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          variables:
            System.Debug: true
          jobs:
            - job: a
              variables:
                - name: system.debug
                  value: 'true'
              steps:
                - script: echo "##vso[task.setvariable variable=system.debug]true"
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:2:17-2:21 low/high variable "System.Debug" is set to true, so every run writes verbose agent and task logs (environment, commands, request traces) readable by everyone who can read the logs; remove it and queue a debug run by hand when needed',
      // 7:16 (the job's system.debug) has the same route, so the same fingerprint: one more occurrence of 2:17.
      'azure-pipelines.yml:9:23-9:72 low/high step "step 1" turns on system.debug with ##vso[task.setvariable], so the rest of the job logs verbosely; remove it',
    ]);
  });

  it('lists the second system.debug as an occurrence of the first (same fingerprint)', () => {
    const [f] = auditFiles(rule, { 'azure-pipelines.yml': 'variables:\n  System.Debug: true\njobs:\n  - job: a\n    variables:\n      - name: system.debug\n        value: true\n' });
    expect(f!.occurrences).toEqual({ count: 2, listed: 1 });
    expect(f!.related.map((r) => `${r.startLine}:${r.startColumn} ${r.message}`)).toEqual(['7:16 occurrence 2 of 2 of the same problem']);
  });

  it('does not flag false or unrelated variables', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          variables:
            system.debug: false
            debug: true
          steps:
            - script: make
        `,
      }),
    ).toEqual([]);
  });
});
