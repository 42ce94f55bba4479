import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const run = (files: Record<string, string>) => summarize(auditFiles(rule, files));

describe('cache-poisoning (circleci)', () => {
  it('flags a tag-only release job restoring a key prefix that branch builds save', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            test:
              docker: [{ image: cimg/node:20.11 }]
              steps:
                - checkout
                - restore_cache:
                    key: v1-deps-{{ checksum "package-lock.json" }}
                - run: npm ci
                - save_cache:
                    key: v1-deps-{{ checksum "package-lock.json" }}
                    paths: [node_modules]
            publish:
              docker: [{ image: cimg/node:20.11 }]
              steps:
                - checkout
                - restore_cache:
                    keys:
                      - v1-deps-{{ checksum "package-lock.json" }}
                      - v1-deps-
                - run: npm publish
          workflows:
            ci:
              jobs: [test]
            release:
              jobs:
                - publish:
                    filters:
                      branches: { ignore: /.*/ }
                      tags: { only: /^v.*/ }
        `,
      }),
    ).toEqual([
      '.circleci/config.yml:19:15-19:57 high/medium restore_cache key "v1-deps-{{ checksum "package-lock.json" }}" of job "publish" (the deployment "publish" in workflow "release") also matches the cache that job "test" saves as "v1-deps-{{ checksum "package-lock.json" }}" in workflow "ci" for any branch; give release builds their own key prefix that only protected jobs save',
      '.circleci/config.yml:20:15-20:23 high/high restore_cache key "v1-deps-" of job "publish" (the deployment "publish" in workflow "release") also matches the cache that job "test" saves as "v1-deps-{{ checksum "package-lock.json" }}" in workflow "ci" for any branch, and a key prefix restores whichever matching cache was saved last; give release builds their own key prefix that only protected jobs save',
    ]);
  });

  it('accepts branch-scoped keys, separate prefixes, and saves kept to protected branches', () => {
    expect(
      run({
        '.circleci/config.yml': yaml`
          version: 2.1
          jobs:
            test:
              docker: [{ image: cimg/node:20.11 }]
              steps:
                - checkout
                - save_cache:
                    key: v1-deps-{{ .Branch }}-{{ checksum "package-lock.json" }}
                    paths: [node_modules]
            warm:
              docker: [{ image: cimg/node:20.11 }]
              steps:
                - save_cache:
                    key: release-deps-{{ checksum "package-lock.json" }}
                    paths: [node_modules]
            publish:
              docker: [{ image: cimg/node:20.11 }]
              steps:
                - restore_cache:
                    keys:
                      - v1-deps-{{ .Branch }}-{{ checksum "package-lock.json" }}
                      - release-deps-
                - run: npm publish
          workflows:
            ci:
              jobs: [test]
            main:
              jobs:
                - warm: { filters: { branches: { only: main } } }
                - publish: { requires: [warm], filters: { branches: { only: main } } }
        `,
      }),
    ).toEqual([]);
  });
});
