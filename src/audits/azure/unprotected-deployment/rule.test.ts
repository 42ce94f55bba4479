import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

const deploy = (extra: string) =>
  `${extra}\n` +
  yaml`
  stages:
    - stage: prod
      jobs:
        - deployment: web
          environment: production.web
          strategy:
            runOnce:
              deploy:
                steps:
                  - script: ./deploy.sh
`;

describe('unprotected-deployment (azure)', () => {
  it('flags a deployment job any branch or PR build reaches, at the environment', () => {
    expect(run({ 'azure-pipelines.yml': deploy('trigger: none') })).toEqual([
      'azure-pipelines.yml:6:22-6:36 medium/low deployment job "prod.web" deploys to environment "production" but runs from any branch build and from pull-request builds: no condition limits it to the main branch; add a condition on Build.SourceBranch and give the environment a branch-control check and approvals (checks are configured outside YAML and are not visible here)',
    ]);
  });

  it('accepts a stage condition on the main branch, or triggers that only build fixed branches', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          stages:
            - stage: prod
              condition: and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))
              jobs:
                - deployment: web
                  environment: production
                  strategy:
                    runOnce:
                      deploy:
                        steps:
                          - script: ./deploy.sh
        `,
      }),
    ).toEqual([]);
    expect(run({ 'azure-pipelines.yml': deploy('trigger: [main]\npr: none') })).toEqual([]);
  });

  it('does not trust a condition that an or() can bypass', () => {
    expect(
      run({
        'azure-pipelines.yml': yaml`
          pr: none
          jobs:
            - deployment: web
              condition: or(eq(variables['Build.SourceBranch'], 'refs/heads/main'), eq(variables['force'], 'true'))
              environment: prod
              strategy:
                runOnce:
                  deploy:
                    steps:
                      - script: ./deploy.sh
        `,
      }),
    ).toEqual([
      'azure-pipelines.yml:5:18-5:22 medium/low deployment job "web" deploys to environment "prod" but runs from any branch build: no condition limits it to the main branch; add a condition on Build.SourceBranch and give the environment a branch-control check and approvals (checks are configured outside YAML and are not visible here)',
    ]);
  });
});
