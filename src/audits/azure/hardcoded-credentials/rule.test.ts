import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('hardcoded-credentials (azure)', () => {
  it('flags provider tokens in variables, env and scripts, masked, at the secret', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          variables:
            slackToken: xoxb-2048675309-7364519283-Tq8bYk2wZ9mLc4RvX1nP6sJd
          steps:
            - script: aws configure set aws_access_key_id AKIAZ5T3QW7RYHX2K4PB
            - task: Docker@2
              inputs:
                command: login
                password: hunter2hunter2
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:2:15-2:66 high/high variable "slackToken" contains a hardcoded Slack bot token "xoxb********"; revoke it, store it as a secret variable (or in a variable group / Key Vault) and reference $(NAME) or map it through env:',
      'azure-pipelines.yml:4:49-4:69 high/high the script of step "step 1" contains a hardcoded AWS access key id "AKIA********"; revoke it, store it as a secret variable (or in a variable group / Key Vault) and reference $(NAME) or map it through env:',
      'azure-pipelines.yml:8:17-8:31 high/medium step "Docker@2" input "password" contains a hardcoded password "hun********"; revoke it, store it as a secret variable (or in a variable group / Key Vault) and reference $(NAME) or map it through env:',
    ]);
  });

  it('ignores macro references and placeholders', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          variables:
            token: $(SLACK_TOKEN)
          steps:
            - task: Docker@2
              inputs:
                password: $(registryPassword)
            - task: Other@1
              inputs:
                password: <password>
        `,
      }),
    ).toEqual([]);
  });
});
