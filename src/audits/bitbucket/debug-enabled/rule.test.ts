import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('debug-enabled (bitbucket)', () => {
  it('flags DEBUG: true on a pipe', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        name: Deploy
        script:
          - pipe: atlassian/aws-s3-deploy:1.1.0
            variables:
              DEBUG: 'true'
          - pipe: atlassian/aws-s3-deploy:1.1.0
            variables:
              DEBUG: 'false'
`),
    ).toEqual([
      "bitbucket-pipelines.yml:8:22-8:28 low/high step \"Deploy\" runs pipe atlassian/aws-s3-deploy with DEBUG: true, which prints the pipe's internal commands and requests (values derived from secured variables, such as encoded tokens or signed URLs, are not masked); remove it once troubleshooting is over",
    ]);
  });

  it('ignores DEBUG: false and set -x (secured variables are masked)', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        script:
          - pipe: atlassian/aws-s3-deploy:1.1.0
            variables:
              DEBUG: 'false'
          - set -x
`),
    ).toEqual([]);
  });
});
