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
      'azure-pipelines.yml:2:17 low/high variable "System.Debug" is set to true, so every run writes verbose agent and task logs (environment, commands, request traces) readable by everyone who can read the logs; remove it and queue a debug run by hand when needed',
      'azure-pipelines.yml:7:16 low/high variable "system.debug" is set to true, so every run writes verbose agent and task logs (environment, commands, request traces) readable by everyone who can read the logs; remove it and queue a debug run by hand when needed',
      'azure-pipelines.yml:9:23 low/high step "step 1" turns on system.debug with ##vso[task.setvariable], so the rest of the job logs verbosely; remove it',
    ]);
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
