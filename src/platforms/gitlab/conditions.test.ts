import { describe, expect, it } from 'vitest';
import { memoryRepo } from '../../audits/gitlab/testing.js';
import { evalCondition, runSituations } from './conditions.js';
import { buildGitlabModel } from './parse.js';

describe('gitlab rules evaluation', () => {
  it('evaluates expressions in three-valued logic per situation', () => {
    expect(evalCondition('$CI_PIPELINE_SOURCE == "merge_request_event"', 'merge_request')).toBe('true');
    expect(evalCondition('$CI_PIPELINE_SOURCE == "merge_request_event"', 'branch')).toBe('false');
    expect(evalCondition('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', 'default_branch')).toBe('true');
    expect(evalCondition('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', 'branch')).toBe('false');
    expect(evalCondition('$CI_COMMIT_BRANCH == "main"', 'default_branch')).toBe('unknown');
    expect(evalCondition('$CI_COMMIT_BRANCH == "main"', 'branch')).toBe('false');
    expect(evalCondition('$CI_COMMIT_TAG', 'tag')).toBe('true');
    expect(evalCondition('$CI_COMMIT_TAG || $CI_MERGE_REQUEST_IID', 'branch')).toBe('false');
    expect(evalCondition('$DEPLOY == "yes" && $CI_COMMIT_TAG', 'tag')).toBe('unknown');
    expect(evalCondition('($CI_MERGE_REQUEST_IID) && $CI_MERGE_REQUEST_TITLE !~ /^Draft/', 'merge_request')).toBe('unknown');
    expect(evalCondition('$CI_COMMIT_REF_NAME =~ /^v\\d+$/', 'branch')).toBe('false');
    expect(evalCondition('$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID', 'merge_request')).toBe('false');
    expect(evalCondition('$X == null', 'branch')).toBe('unknown');
    expect(evalCondition('$CI_COMMIT_TAG == null', 'branch')).toBe('true');
    expect(evalCondition('garbage (', 'branch')).toBe('unknown');
  });

  it('applies workflow rules, job rules (first match, never), only/except and the default', () => {
    const { entries, read } = memoryRepo({
      '.gitlab-ci.yml': [
        'plain:\n  script: [x]',
        'mr:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n  script: [x]',
        'not-mr:\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\n      when: never\n    - when: always\n  script: [x]',
        'only-tags:\n  only: [tags]\n  script: [x]',
        'except-mr:\n  only: [branches, merge_requests]\n  except: [merge_requests]\n  script: [x]',
        'manual:\n  rules:\n    - if: $CI_COMMIT_TAG\n      when: manual\n  script: [x]',
      ].join('\n') + '\n',
    });
    const { model } = buildGitlabModel(entries, read);
    const got = Object.fromEntries(model.pipelines[0]!.jobs.map((j) => [j.name, runSituations(j).join(',')]));
    expect(got).toEqual({
      plain: 'branch,default_branch,tag',
      mr: 'merge_request',
      'not-mr': 'branch,default_branch,tag',
      'only-tags': 'tag',
      'except-mr': 'branch,default_branch',
      manual: 'tag',
    });
  });
});
