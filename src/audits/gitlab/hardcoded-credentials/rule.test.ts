import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('hardcoded-credentials (gitlab)', () => {
  it('flags a token in variables and a docker login password, masked', () => {
    const out = run({
      '.gitlab-ci.yml': yaml`
        variables:
          GITLAB_TOKEN: glpat-Xa9bC8dE7fG6hI5jK4lM
        push:
          variables:
            DB_PASSWORD:
              value: hunter2xyz
              description: db
          script:
            - docker login -u ci -p s3cr3tpass registry.example.com
      `,
    });
    expect(out).toEqual([
      '.gitlab-ci.yml:2:17-2:43 high/high global variable GITLAB_TOKEN contains a hardcoded GitLab personal, project or group access token "glpa********"; revoke it, store it as a masked and protected CI/CD variable (Settings > CI/CD > Variables) and reference $NAME instead',
      '.gitlab-ci.yml:6:14-6:24 high/medium variable DB_PASSWORD of job "push" contains a hardcoded password "hu********"; revoke it, store it as a masked and protected CI/CD variable (Settings > CI/CD > Variables) and reference $NAME instead',
      '.gitlab-ci.yml:9:29-9:39 high/medium the script of job "push" passes a hardcoded password to "docker login -p" (s3********); store it as a masked CI/CD variable and pipe it to --password-stdin',
    ]);
    expect(out.join('\n')).not.toContain('glpat-Xa9');
  });

  it('a curl or wget password in a script is reported once, by the login-password check', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          upload:
            script:
              - curl -u deploybot:Vq7rT2-mXk9Lp -T app.tgz https://files.internal.corp/
              - wget --password=Pz4Mw8!Tq2Rn6 https://files.internal.corp/a.tgz
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:3:25-3:38 high/medium the script of job "upload" passes a hardcoded password to "curl -u" (Vq7********); store it as a masked CI/CD variable',
      '.gitlab-ci.yml:4:23-4:36 high/medium the script of job "upload" passes a hardcoded password to "wget --password" (Pz4********); store it as a masked CI/CD variable',
    ]);
  });

  it('does not flag references, placeholders or throwaway service passwords', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          variables:
            TOKEN: $DEPLOY_TOKEN
            PASSWORD: $[[ inputs.password ]]
          test:
            services:
              - name: postgres:16
                variables:
                  POSTGRES_PASSWORD: postgres123
            script:
              - echo "$TOKEN" | docker login -u ci --password-stdin registry.example.com
              - docker login -u ci -p "$CI_REGISTRY_PASSWORD" $CI_REGISTRY
        `,
      }),
    ).toEqual([]);
  });
});
