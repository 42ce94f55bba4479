import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../testing.js';
import { rule } from './rule.js';

const run = (text: string, options: Record<string, unknown> = {}) => summarize(auditFiles(rule, { 'bitbucket-pipelines.yml': text }, options));

describe('hardcoded-credentials (bitbucket)', () => {
  it('flags registry passwords, literal pipe secrets, login passwords and provider tokens in scripts', () => {
    expect(
      run(`image:
  name: registry.example.com/build:1.0
  username: ci
  password: hunter2hunter2
definitions:
  services:
    db:
      image: postgres:16
      variables:
        POSTGRES_PASSWORD: postgres
pipelines:
  default:
    - step:
        name: Publish
        script:
          - docker login -u ci -p S3cr3tPassw0rd registry.example.com
          - docker login -u ci -p "$REGISTRY_PASSWORD" registry.example.com
          - export SLACK_TOKEN=${'xoxb-483920174629-'}5829301746283-Qm7ZkR2pX9tLw4Nc8VbH1sYd
          - pipe: atlassian/aws-s3-deploy:1.1.0
            variables:
              AWS_ACCESS_KEY_ID: $AWS_ACCESS_KEY_ID
              AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
              S3_BUCKET: my-bucket
`),
    ).toEqual([
      "bitbucket-pipelines.yml:4:13-4:27 high/high the default image is pulled with a hardcoded registry password; revoke it, store it as a secured repository or deployment variable and reference $NAME instead",
      "bitbucket-pipelines.yml:16:35-16:49 high/medium the script of step \"Publish\" passes a hardcoded password to \"docker login -p\" (S3c********); revoke it, store it as a secured repository or deployment variable and reference $NAME instead, and use --password-stdin",
      "bitbucket-pipelines.yml:18:32-18:88 high/high the script of step \"Publish\" contains a hardcoded Slack bot token \"xoxb********\"; revoke it, store it as a secured repository or deployment variable and reference $NAME instead",
      "bitbucket-pipelines.yml:22:38-22:78 high/medium step \"Publish\" passes a hardcoded value to the AWS_SECRET_ACCESS_KEY variable of pipe atlassian/aws-s3-deploy; revoke it, store it as a secured repository or deployment variable and reference $NAME instead",
    ]);
  });

  it('ignores variable references and placeholders', () => {
    expect(
      run(`image:
  name: registry.example.com/build:1.0
  username: $REG_USER
  password: $REG_PASSWORD
definitions:
  services:
    db:
      image: postgres:16
      variables:
        POSTGRES_PASSWORD: postgres
pipelines:
  default:
    - step:
        script:
          - echo "$REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry.example.com
          - pipe: atlassian/aws-s3-deploy:1.1.0
            variables:
              AWS_SECRET_ACCESS_KEY: $AWS_SECRET_ACCESS_KEY
              PASSWORD: '<password>'
`),
    ).toEqual([]);
  });
});
