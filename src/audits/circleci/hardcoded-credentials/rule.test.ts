import { describe, expect, it } from 'vitest';
import { withBase62Checksum } from '../../../secrets/validators/github.js';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

// Built at run time so no checksum-valid token sits in the repository.
const PAT = withBase62Checksum('ghp_', 'Zq8wLm3Rt7Yv2Kp9Xc4Nb6Hd1Jf5Gs');

describe('hardcoded-credentials (circleci)', () => {
  it('flags literal registry passwords and tokens in environment:, commands and orb arguments', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          orbs:
            gh: circleci/github-cli@2.3.0
          jobs:
            build:
              docker:
                - image: acme/builder:1.0
                  auth:
                    username: deploy
                    password: hunter2-but-longer
              environment:
                GITHUB_TOKEN: ${PAT}
              steps:
                - run: git clone https://x:${PAT}@github.com/acme/private.git
                - gh/setup:
                    token: ${PAT}
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:10:21-10:39 high/high the primary container of job "build" pulls its image with a hardcoded auth.password; store it in a context or project environment variable and write $NAME instead',
      '.circleci/config.yml:12:21-12:61 critical/high job "build" environment GITHUB_TOKEN contains a hardcoded GitHub personal access token (classic) "ghp_********"; revoke it, store it in a context or project environment variable and read $NAME instead',
      '.circleci/config.yml:14:34-14:74 critical/high the command of run step 1 in job "build" contains a hardcoded GitHub personal access token (classic) "ghp_********"; revoke it, store it in a context or project environment variable and read $NAME instead',
      '.circleci/config.yml:16:18-16:58 critical/high the "gh/setup" step in job "build", argument token contains a hardcoded GitHub personal access token (classic) "ghp_********"; revoke it, store it in a context or project environment variable and read $NAME instead',
    ]);
  });

  it('accepts $VAR references, parameters, and throwaway service passwords', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            build:
              parameters:
                token: { type: env_var_name, default: GITHUB_TOKEN }
              docker:
                - image: acme/builder:1.0
                  auth:
                    username: $DOCKER_USER
                    password: $DOCKER_PASSWORD
                - image: postgres:16
                  environment:
                    POSTGRES_PASSWORD: postgres
              environment:
                TOKEN_VAR: << parameters.token >>
              steps:
                - run: echo "$GITHUB_TOKEN" | gh auth login --with-token
        `,
      }),
    ).toEqual([]);
  });

  it('scans parameter defaults and workflow job arguments', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          parameters:
            gh-token:
              type: string
              default: ${PAT}
          jobs:
            a:
              parameters:
                db_password: { type: string }
              docker: [{ image: cimg/base:2024.01 }]
              steps: [checkout]
          workflows:
            w:
              jobs:
                - a:
                    db_password: S3cr3tPassw0rd!2024
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:5:14-5:54 critical/high the default of pipeline parameter "gh-token" contains a hardcoded GitHub personal access token (classic) "ghp_********"; revoke it, store it in a context or project environment variable and read $NAME instead',
      '.circleci/config.yml:16:24-16:43 high/medium job "a" in workflow "w", argument db_password contains a hardcoded password "S3cr********"; revoke it, store it in a context or project environment variable and read $NAME instead',
    ]);
  });
});
