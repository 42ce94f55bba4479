import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('cache-poisoning (gitlab)', () => {
  it('flags a cache saved by merge request jobs and restored by a release job (low confidence)', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          test:
            rules:
              - if: $CI_PIPELINE_SOURCE == "merge_request_event"
            cache:
              key: deps
              paths: [node_modules/]
            script: [npm ci]
          release:
            rules:
              - if: $CI_COMMIT_TAG
            cache:
              key: deps
              paths: [node_modules/]
            script: [npm publish]
        `,
      }),
    ).toEqual([
      '.gitlab-ci.yml:5:10-5:14 medium/low job "test" runs in merge request pipelines (from forks too) and saves cache "deps", which job "release" (it publishes a release ("npm publish")) restores; only GitLab\'s "Use separate caches for protected branches" setting (on by default) keeps them apart. Give release jobs their own cache key, or policy: pull in untrusted jobs',
    ]);
  });

  it('is high and confident when unprotect: true shares the cache across protection', () => {
    const findings = auditFiles(rule, {
      '.gitlab-ci.yml': yaml`
        default:
          cache:
            key:
              files: [package-lock.json]
            unprotect: true
            paths: [node_modules/]
        test:
          script: [npm ci]
        deploy:
          environment: production
          rules:
            - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
          script: [./deploy.sh]
      `,
    });
    expect(summarize(findings)).toEqual([
      '.gitlab-ci.yml:4:7-4:33 high/high job "test" runs in pushes to unprotected branches and saves cache "files(package-lock.json)", which job "deploy" (it deploys to environment "production") restores; unprotect: true shares it across protected and unprotected refs. Give release jobs their own cache key, or policy: pull in untrusted jobs',
    ]);
  });

  it('does not flag pull-only untrusted jobs, per-pipeline keys, or different keys', () => {
    expect(
      run({
        '.gitlab-ci.yml': yaml`
          test:
            cache: { key: deps, policy: pull, paths: [x] }
            script: [make]
          lint:
            cache: { key: "lint-$CI_PIPELINE_ID", paths: [x] }
            script: [make]
          other:
            cache: { key: other, paths: [x] }
            script: [make]
          release:
            rules:
              - if: $CI_COMMIT_TAG
            cache:
              - { key: deps, paths: [x] }
              - { key: "lint-$CI_PIPELINE_ID", paths: [x] }
            script: [npm publish]
        `,
      }),
    ).toEqual([]);
  });
});
