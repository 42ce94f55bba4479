import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('debug-enabled (gitlab)', () => {
  it('flags CI_DEBUG_TRACE and CI_DEBUG_SERVICES set to true, global or per job', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          variables:
            CI_DEBUG_TRACE: "true"
          test:
            variables:
              CI_DEBUG_SERVICES: true
            script: [make]
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:2:19-2:25 medium/high global variable CI_DEBUG_TRACE is true: it prints every command with the values of all variables the job can see (secrets included) to the job log; remove it, and set it only for a one-off run from the Run pipeline form',
      '.gitlab-ci.yml:5:24-5:28 low/high variable CI_DEBUG_SERVICES of job "test" is true: it copies the logs of service containers (which often print their credentials) into the job log; remove it, and set it only for a one-off run from the Run pipeline form',
    ]);
  });

  it('ignores false values and unused templates', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          variables:
            CI_DEBUG_TRACE: "false"
          .debug:
            variables:
              CI_DEBUG_TRACE: "true"
          test:
            script: [make]
        `,
      }),
    ).toEqual([]);
  });
});
