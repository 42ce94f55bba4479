import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('untrusted-checkout-exec (gitlab)', () => {
  it('flags a merge request job with OIDC tokens and a privileged runner', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        test:
          rules:
            - if: $CI_PIPELINE_SOURCE == "merge_request_event"
          id_tokens:
            AWS_TOKEN:
              aud: https://sts.amazonaws.com
          tags: [docker-privileged]
          script: [make test]
      `,
    });
    expect(summarize(findings)).toEqual([
      '.gitlab-ci.yml:1:1-1:5 high/medium job "test" runs in merge request pipelines, on code the merge request author controls, and has OIDC ID tokens (id_tokens:), runners tagged "docker-privileged"; when a maintainer runs a fork\'s merge request pipeline in this project, or a developer pushes a branch, that code gets them. Keep such jobs to protected branches (rules: - if: $CI_COMMIT_REF_PROTECTED == "true") and review fork changes before running their pipelines',
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.message}`)).toEqual([
      '3:this rule lets the job run in merge request pipelines',
      '5:OIDC ID tokens are issued to the job here',
      '7:runner tag "docker-privileged" selects this runner',
    ]);
  });

  it('flags settings secrets read by a job that runs everywhere, at low confidence', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          workflow:
            rules:
              - if: $CI_PIPELINE_SOURCE == "merge_request_event"
              - if: $CI_COMMIT_BRANCH
          upload:
            rules:
              - when: on_success
            script:
              - ./upload --token "$SONAR_TOKEN"
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:5:1-5:7 medium/low job "upload" runs in merge request pipelines, on code the merge request author controls, and has CI/CD variables $SONAR_TOKEN; when a maintainer runs a fork\'s merge request pipeline in this project, or a developer pushes a branch, that code gets them. Keep such jobs to protected branches (rules: - if: $CI_COMMIT_REF_PROTECTED == "true") and review fork changes before running their pipelines',
    ]);
  });

  it('does not flag jobs kept out of merge request pipelines, same-project-only rules, or no checkout', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          default-only:
            id_tokens: { T: { aud: x } }
            script: [make]
          protected:
            rules:
              - if: $CI_COMMIT_REF_PROTECTED == "true"
            id_tokens: { T: { aud: x } }
            script: [make]
          same-project:
            rules:
              - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID
            tags: [privileged]
            script: [make]
          never:
            rules:
              - if: $CI_PIPELINE_SOURCE == "merge_request_event"
                when: never
              - when: always
            secrets:
              DB: { vault: db/password@ops }
            script: [make]
          no-checkout:
            rules:
              - if: $CI_MERGE_REQUEST_IID
            variables:
              GIT_STRATEGY: none
            script: [echo "$API_TOKEN"]
          plain:
            only: [merge_requests]
            script: [make test]
        `,
      }),
    ).toEqual([]);
  });
});
