import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('unprotected-deployment (gitlab)', () => {
  it('flags a production deployment with no rules, and a publish job on every branch', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        deploy:
          environment: production
          script: [./deploy.sh]
        publish:
          rules:
            - if: $CI_COMMIT_BRANCH
          script:
            - npm publish
      `,
    });
    expect(summarize(findings)).toEqual([
      '.gitlab-ci.yml:1:1-1:7 high/medium job "deploy" deploys to environment "production" and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
      '.gitlab-ci.yml:4:1-4:8 high/medium job "publish" publishes a release ("npm publish") and may run in pushes to unprotected branches, where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
    ]);
    expect(findings[1]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual(['8:the deployment is declared here', '6:this rule lets the job run there']);
  });

  it('flags a staging deployment that also runs for merge requests, at medium', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          stage:
            environment:
              name: staging
            rules:
              - if: $CI_MERGE_REQUEST_IID
            script: [./deploy.sh]
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:1:1-1:6 medium/medium job "stage" deploys to environment "staging" and may run in merge request pipelines (from forks too), where anyone who can push a branch picks the code; restrict it with rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH (or $CI_COMMIT_TAG), and protect the environment in Settings > CI/CD',
    ]);
  });

  it('does not flag deployments restricted to the default branch, protected refs, tags or named branches', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          a:
            environment: production
            rules:
              - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
            script: [./deploy.sh]
          b:
            environment: { name: prod, deployment_tier: production }
            rules:
              - if: $CI_COMMIT_TAG =~ /^v\\d+/
            script: [./deploy.sh]
          c:
            environment: production
            only: [main]
            script: [./deploy.sh]
          d:
            environment: production
            rules:
              - if: $CI_COMMIT_REF_PROTECTED == "true"
            script: [./deploy.sh]
          e:
            environment: production
            rules:
              - if: $CI_COMMIT_BRANCH =~ /^release\\//
            script: [./deploy.sh]
          review:
            environment: review/$CI_COMMIT_REF_SLUG
            script: [./deploy.sh]
          stop:
            environment: { name: production, action: stop }
            script: [./teardown.sh]
        `,
      }),
    ).toEqual([]);
  });

  it('honours workflow:rules that keep the pipeline to the default branch', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          workflow:
            rules:
              - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
          deploy:
            environment: production
            script: [./deploy.sh]
        `,
      }),
    ).toEqual([]);
  });
});
