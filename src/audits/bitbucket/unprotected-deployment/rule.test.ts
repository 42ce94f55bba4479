import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('unprotected-deployment (bitbucket)', () => {
  it('flags automatic production and staging deployments in unreviewed pipelines', () => {
    expect(
      run(`pipelines:
  default:
    - step:
        name: Deploy prod
        deployment: production
        script:
          - ./deploy.sh
  branches:
    'feature/*':
      - stage:
          name: Stage
          deployment: staging
          steps:
            - step:
                name: Stage deploy
                script:
                  - ./deploy.sh
    main:
      - step:
          deployment: production
          script:
            - ./deploy.sh
  pull-requests:
    '**':
      - step:
          name: Approve
          trigger: manual
          script:
            - echo ok
      - step:
          name: After approval
          deployment: production
          script:
            - ./deploy.sh
`),
    ).toEqual([
      "bitbucket-pipelines.yml:5:21-5:31 high/medium step \"Deploy prod\" deploys to \"production\" automatically in the default pipeline, which runs for every push to a branch no other pipeline matches; move it to a pipeline for protected branches, add trigger: manual, and restrict the environment's deployment permissions",
      "bitbucket-pipelines.yml:12:23-12:30 medium/medium step \"Stage deploy\" deploys to \"staging\" (through its stage) automatically in the branches \"feature/*\" pipeline, which runs for every push to a branch matching \"feature/*\"; move it to a pipeline for protected branches, add trigger: manual, and restrict the environment's deployment permissions",
    ]);
  });

  it('ignores protected branches, manual triggers, custom pipelines and test environments', () => {
    expect(
      run(`pipelines:
  branches:
    main:
      - step:
          deployment: production
          script:
            - ./deploy.sh
    'release/*':
      - step:
          deployment: staging
          script:
            - ./deploy.sh
  default:
    - step:
        deployment: test
        script:
          - ./deploy.sh
    - step:
        trigger: manual
        deployment: production
        script:
          - ./deploy.sh
  custom:
    hotfix:
      - step:
          deployment: production
          script:
            - ./deploy.sh
`),
    ).toEqual([]);
  });
});
