import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('secret-echo (azure)', () => {
  it('flags secrets encoded into the log and re-exported without issecret', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          steps:
            - bash: |
                echo "$(System.AccessToken)" | base64
                echo "$TOKEN" | sed 's/./& /g'
                echo "##vso[task.setvariable variable=pat;isOutput=true]$(deployPassword)"
              env:
                TOKEN: $(npmToken)
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:3:7-3:44 high/medium step "step 1" transforms secret $(System.AccessToken) (encoding or rewriting it) in a command whose output reaches the log; Azure masks only the exact secret value, so the transformed text is printed in clear — do not print secrets in any form',
      'azure-pipelines.yml:4:7-4:37 high/medium step "step 1" transforms secret TOKEN ($(npmToken)) (encoding or rewriting it) in a command whose output reaches the log; Azure masks only the exact secret value, so the transformed text is printed in clear — do not print secrets in any form',
      'azure-pipelines.yml:5:13-5:80 high/high step "step 1" copies secret $(deployPassword) into variable "pat" without issecret=true; as an output variable it reaches later jobs, which do not mask it — add issecret=true',
    ]);
  });

  it('does not flag issecret=true, plain echoes, or non-secret variables', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          variables:
            apiToken: not-a-secret-just-a-name
          steps:
            - bash: |
                echo "##vso[task.setvariable variable=pat;issecret=true]$(deployPassword)"
                echo "$(apiToken)" | base64
                echo "$(Build.BuildId)" | base64
        `,
      }),
    ).toEqual([]);
  });
});
