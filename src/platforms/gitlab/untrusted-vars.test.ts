import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../../audits/gitlab/testing.js';
import { rule as templateInjection } from '../../audits/gitlab/template-injection/rule.js';
import { UNTRUSTED_VARS } from './contexts.js';

/*
 * Every untrusted GitLab predefined variable, written down here independently of contexts.ts.
 * Each row is re-parsed as code (`eval "echo $VAR"`) in a job that runs in a pipeline where
 * GitLab sets it (must be reported, at the severity of its strength) and, for variables GitLab
 * only sets in some pipelines, in a job that never runs there (must stay silent). Variables set
 * in every pipeline stay silent when the shell reads them as data. The coverage test fails when
 * the source table gains a row this file does not know, or loses one.
 */

type Situation = 'merge_request' | 'tag';

interface Row {
  name: string;
  strength: 'high' | 'medium';
  what: string;
  /** Pipelines GitLab sets it in; undefined: every pipeline. */
  only?: Situation;
}

const ROWS: Row[] = [
  { name: 'CI_MERGE_REQUEST_TITLE', strength: 'high', what: 'the merge request title', only: 'merge_request' },
  { name: 'CI_MERGE_REQUEST_DESCRIPTION', strength: 'high', what: 'the merge request description', only: 'merge_request' },
  { name: 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', strength: 'medium', what: 'the merge request source branch name', only: 'merge_request' },
  { name: 'CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME', strength: 'medium', what: 'the external pull request source branch name' },
  { name: 'CI_COMMIT_MESSAGE', strength: 'high', what: 'the commit message' },
  { name: 'CI_COMMIT_TITLE', strength: 'high', what: 'the commit title' },
  { name: 'CI_COMMIT_DESCRIPTION', strength: 'high', what: 'the commit description' },
  { name: 'CI_COMMIT_AUTHOR', strength: 'high', what: 'the commit author' },
  { name: 'CI_COMMIT_TAG_MESSAGE', strength: 'high', what: 'the tag message', only: 'tag' },
  { name: 'CI_COMMIT_REF_NAME', strength: 'medium', what: 'the branch or tag name' },
  { name: 'CI_COMMIT_BRANCH', strength: 'medium', what: 'the branch name' },
  { name: 'CI_COMMIT_TAG', strength: 'medium', what: 'the tag name', only: 'tag' },
  { name: 'GITLAB_USER_NAME', strength: 'medium', what: 'the display name of the user who started the pipeline' },
];

/** `rules:` that make the job run only in merge request pipelines, or only on tags, or never there. */
const RUNS_IN: Record<Situation, string> = {
  merge_request: '$CI_PIPELINE_SOURCE == "merge_request_event"',
  tag: '$CI_COMMIT_TAG',
};
const NEVER_IN: Record<Situation, string> = {
  merge_request: '$CI_PIPELINE_SOURCE == "push"',
  tag: '$CI_COMMIT_BRANCH',
};

function pipeline(name: string, condition: string | undefined, line: string): Record<string, string> {
  const rules = condition ? ['  rules:', `    - if: ${condition}`] : [];
  return { '.gitlab-ci.yml': ['job:', ...rules, '  script:', `    - ${line}`, ''].join('\n') };
}

const scriptLine = (condition: string | undefined) => (condition ? 5 : 3);

describe('untrusted GitLab variables, one row at a time', () => {
  for (const row of ROWS) {
    const condition = row.only ? RUNS_IN[row.only] : undefined;
    it(`reports $${row.name} re-parsed by eval${row.only ? ` in ${row.only} pipelines` : ''}`, () => {
      const out = summarize(auditFiles(templateInjection, pipeline(row.name, condition, `eval "echo $${row.name}"`)));
      expect(out).toEqual([
        `.gitlab-ci.yml:${scriptLine(condition)}:18-${scriptLine(condition)}:${18 + row.name.length + 1} ${row.strength}/high "$${row.name}" (${row.what}) is attacker-controlled and the shell expands it into code that eval parses again, in job "job"; keep it data: single-quote the code so the inner shell reads "$${row.name}" from the environment, or drop eval`,
      ]);
    });
    if (row.only) {
      it(`stays silent on $${row.name} in a job that never runs in ${row.only} pipelines`, () => {
        expect(auditFiles(templateInjection, pipeline(row.name, NEVER_IN[row.only!], `eval "echo $${row.name}"`))).toEqual([]);
      });
    } else {
      it(`stays silent on $${row.name} read by the shell as data`, () => {
        expect(auditFiles(templateInjection, pipeline(row.name, undefined, `echo "$${row.name}"`))).toEqual([]);
      });
    }
  }

  it('stays silent on predefined variables an outsider cannot shape into code', () => {
    for (const name of ['CI_COMMIT_REF_SLUG', 'CI_COMMIT_SHA', 'CI_MERGE_REQUEST_LABELS', 'CI_MERGE_REQUEST_SOURCE_PROJECT_PATH', 'CI_PIPELINE_ID']) {
      expect({ name, findings: auditFiles(templateInjection, pipeline(name, RUNS_IN.merge_request, `eval "echo $${name}"`)) }).toEqual({ name, findings: [] });
    }
  });

  it('has a row for every variable of the source table, with the same strength, text and pipelines', () => {
    const spec = new Map(ROWS.map((row) => [row.name, row]));
    expect(Object.keys(UNTRUSTED_VARS).filter((name) => !spec.has(name))).toEqual([]);
    expect(ROWS.filter((row) => !(row.name in UNTRUSTED_VARS)).map((row) => row.name)).toEqual([]);
    for (const [name, info] of Object.entries(UNTRUSTED_VARS)) {
      const row = spec.get(name)!;
      expect([name, info.strength, info.what, info.only ?? []]).toEqual([row.name, row.strength, row.what, row.only ? [row.only] : []]);
    }
  });
});
