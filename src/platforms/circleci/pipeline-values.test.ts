import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../../audits/circleci/testing.js';
import { rule as templateInjection } from '../../audits/circleci/template-injection/rule.js';
import { TAINTED_ENV } from './interpolate.js';

/*
 * Every CircleCI pipeline value and built-in variable an outsider can write, spelled out here
 * independently of interpolate.ts: each is substituted into a run command (must be reported
 * with its strength and description) and passed through environment: to be read as "$VAR"
 * (must stay silent). Values of the same family nobody outside chooses must stay silent too.
 * The coverage test reads interpolate.ts and fails when a value there has no row here.
 */

const VALUES: Array<[expr: string, strength: string, what: string]> = [
  ['pipeline.git.commit.subject', 'high', 'the commit subject'],
  ['pipeline.git.commit.body', 'high', 'the commit message body'],
  ['pipeline.git.commit.author_name', 'high', 'the commit author name'],
  ['pipeline.git.commit.author_email', 'medium', 'the commit author email'],
  ['pipeline.git.branch', 'medium', 'the branch name'],
  ['pipeline.git.tag', 'medium', 'the tag name'],
  ['pipeline.trigger_parameters.webhook.body', 'high', 'the body of the custom webhook request'],
  ['pipeline.event.github.pull_request.title', 'high', 'the pull request title'],
  ['pipeline.event.github.comment.body', 'high', 'the comment body'],
  ['pipeline.event.github.pull_request.head.ref', 'medium', 'the pull request head branch name'],
  ['pipeline.event.github.ref', 'medium', 'the pushed ref name'],
  ['pipeline.event.github.label', 'medium', 'the label name'],
  ['pipeline.trigger_parameters.gitlab.commit_message', 'high', "the gitlab trigger's commit message"],
  ['pipeline.trigger_parameters.gitlab.commit_title', 'high', "the gitlab trigger's commit title"],
  ['pipeline.trigger_parameters.gitlab.commit_author_name', 'high', "the gitlab trigger's commit author name"],
  ['pipeline.trigger_parameters.gitlab.commit_author_email', 'high', "the gitlab trigger's commit author email"],
  ['pipeline.trigger_parameters.github_app.user_name', 'high', "the github_app trigger's user name"],
  ['pipeline.trigger_parameters.gitlab.title', 'high', "the gitlab trigger's title"],
  ['pipeline.trigger_parameters.gitlab.body', 'high', "the gitlab trigger's body"],
  ['pipeline.trigger_parameters.gitlab.description', 'high', "the gitlab trigger's description"],
  ['pipeline.trigger_parameters.gitlab.branch', 'medium', "the gitlab trigger's branch name"],
  ['pipeline.trigger_parameters.gitlab.ref', 'medium', "the gitlab trigger's ref name"],
  ['pipeline.trigger_parameters.gitlab.tag', 'medium', "the gitlab trigger's tag name"],
  ['pipeline.trigger_parameters.gitlab.source_branch', 'medium', "the gitlab trigger's source branch name"],
  ['pipeline.trigger_parameters.gitlab.target_branch', 'medium', "the gitlab trigger's target branch name"],
];

const SAFE_VALUES = ['pipeline.git.revision', 'pipeline.git.base_revision', 'pipeline.number', 'pipeline.id', 'pipeline.project.git_url', 'pipeline.event.github.pull_request.number', 'pipeline.trigger_parameters.circleci.trigger_type', 'pipeline.trigger_parameters.gitlab.commit_sha', 'pipeline.trigger_parameters.circleci.branch'];

const ENV: Array<[name: string, what: string]> = [
  ['CIRCLE_BRANCH', 'the branch name'],
  ['CIRCLE_TAG', 'the tag name'],
];

function config(command: string, environment = ''): Record<string, string> {
  return {
    '.circleci/config.yml': `version: 2.1\njobs:\n  build:\n    docker:\n      - image: cimg/base:2024.01\n    steps:\n      - run:\n          name: sink\n${environment}          command: ${command}\nworkflows:\n  main:\n    jobs: [build]\n`,
  };
}

const run = (files: Record<string, string>) => summarize(auditFiles(templateInjection, files));

describe('attacker-controlled CircleCI pipeline values, one row at a time', () => {
  for (const [expr, strength, what] of VALUES) {
    it(`reports << ${expr} >> substituted into a command`, () => {
      expect(summarize(auditFiles(templateInjection, config(`echo "<< ${expr} >>"`)))).toEqual([
        `.circleci/config.yml:9:26-9:${26 + `<< ${expr} >>`.length} ${strength}/high "<< ${expr} >>" (${what}) is attacker-controlled and is substituted into the command of run step "sink" in job "build" before the shell runs; pass it through environment: and read "$VAR" instead`,
      ]);
    });
    it(`stays silent on << ${expr} >> passed through environment: and read as "$VAR"`, () => {
      expect(run(config('echo "$VALUE"', `          environment:\n            VALUE: << ${expr} >>\n`))).toEqual([]);
    });
  }

  it('stays silent on pipeline values nobody outside chooses', () => {
    for (const expr of SAFE_VALUES) expect({ expr, out: run(config(`echo "<< ${expr} >>"`)) }).toEqual({ expr, out: [] });
  });

  for (const [name, what] of ENV) {
    it(`reports $${name} re-parsed by eval, and not when the shell reads it as data`, () => {
      expect(run(config(`eval "echo $${name}"`))).toEqual([
        `.circleci/config.yml:9:20-9:${20 + `eval "echo $${name}"`.length} medium/medium "$${name}" (${what}) is attacker-controlled and is expanded into code that eval parses again in run step "sink" in job "build"; pass it as an argument or read it inside the code instead`,
      ]);
      expect(run(config(`echo "$${name}"`))).toEqual([]);
    });
  }

  it('has a row for every pipeline value, trigger field and variable of interpolate.ts', () => {
    const source = readFileSync(new URL('./interpolate.ts', import.meta.url), 'utf8');
    // Tolerant of what sits between a name and its value: under Stryker this file is read instrumented.
    const cases = [...source.matchAll(/case [^\n]*?['"](pipeline\.[^'"]+)['"]\)?\s*:/g)].map((m) => m[1]!);
    const fields = [/const TEXT_FIELDS = [^\n]*?\/\^\(\?:([^)]+)\)/, /const REF_FIELDS = [^\n]*?\/\^\(\?:([^)]+)\)/].flatMap((re) => re.exec(source)![1]!.split('|'));
    const rowed = new Set(VALUES.map(([expr]) => expr));
    const rowedFields = new Set(VALUES.map(([expr]) => /^pipeline\.trigger_parameters\.(?!webhook\.)[a-z_]+\.([a-z_]+)$/.exec(expr)?.[1]).filter(Boolean));
    expect(cases.length).toBeGreaterThan(10);
    expect(cases.filter((c) => !rowed.has(c))).toEqual([]);
    expect(fields.filter((f) => !rowedFields.has(f))).toEqual([]);
    expect(Object.keys(TAINTED_ENV).sort()).toEqual(ENV.map(([n]) => n).sort());
  });
});
