import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../../audits/azure/testing.js';
import { rule as templateInjection } from '../../audits/azure/template-injection/rule.js';
import { SOURCE_VARIABLES } from './taint.js';

/*
 * Every Azure predefined variable an outsider (or any pusher) writes, spelled out here
 * independently of taint.ts. Each row is substituted into a script under triggers that let
 * someone choose its text (must be reported, with the row's severity and confidence) and under
 * one that does not (must stay silent, or for PR-only values lose confidence). The coverage test
 * fails when the source table gains or loses a row.
 */

const TRIGGERS = {
  /** No trigger keys: CI on every branch and PR builds. */
  default: '',
  main: 'trigger: [main]\n',
  mainNoPr: 'trigger: [main]\npr: none\n',
  wildcard: "trigger:\n  branches:\n    include: ['*']\n",
  tags: "trigger:\n  tags:\n    include: ['v*']\n",
  /** No CI builds; PR builds still run (their commit is the merge commit Azure makes). */
  noCi: 'trigger: none\n',
  /** An explicit pr: filter: written for a GitHub/Bitbucket repository, where it takes effect. */
  prMain: 'pr: [main]\n',
} as const;
type Trigger = keyof typeof TRIGGERS;

interface Row {
  name: string;
  who: string;
  /** Trigger → `severity/confidence` of the finding. */
  reported: Partial<Record<Trigger, string>>;
  /** Triggers under which the value carries no chosen text. */
  silent: Trigger[];
}

const ROWS: Row[] = [
  { name: 'System.PullRequest.SourceBranch', who: 'the pull request author names the source branch', reported: { default: 'medium/medium', main: 'medium/medium', noCi: 'medium/low', mainNoPr: 'medium/low', prMain: 'medium/high' }, silent: [] },
  { name: 'Build.SourceBranch', who: 'whoever pushes a branch or tag names it', reported: { default: 'low/medium', wildcard: 'low/medium', tags: 'low/medium' }, silent: ['main', 'mainNoPr', 'noCi'] },
  { name: 'Build.SourceBranchName', who: 'whoever pushes a branch or tag names it', reported: { default: 'low/medium', wildcard: 'low/medium', tags: 'low/medium' }, silent: ['main', 'mainNoPr', 'noCi'] },
  { name: 'Build.SourceVersionMessage', who: 'the commit author writes the commit message', reported: { default: 'medium/high', main: 'medium/high', mainNoPr: 'medium/high' }, silent: ['noCi'] },
  { name: 'Build.RequestedFor', who: 'the user who triggered the run chooses their display name', reported: { default: 'medium/high', noCi: 'medium/high', mainNoPr: 'medium/high' }, silent: [] },
  { name: 'Build.RequestedForEmail', who: 'the user who triggered the run chooses their e-mail address', reported: { default: 'low/high', noCi: 'low/high', mainNoPr: 'low/high' }, silent: [] },
];

function pipeline(trigger: Trigger, script: string, env = ''): Record<string, string> {
  return { 'azure-pipelines.yml': `${TRIGGERS[trigger]}steps:\n  - script: ${script}\n    displayName: sink\n${env}` };
}

describe('attacker-controlled Azure variables, one row at a time', () => {
  for (const row of ROWS) {
    for (const [trigger, rating] of Object.entries(row.reported) as Array<[Trigger, string]>) {
      it(`reports $(${row.name}) in a script under ${trigger}`, () => {
        const line = TRIGGERS[trigger].split('\n').length + 1;
        expect(summarize(auditFiles(templateInjection, pipeline(trigger, `echo "$(${row.name})"`)))).toEqual([
          `azure-pipelines.yml:${line}:19-${line}:${19 + row.name.length + 3} ${rating} "$(${row.name})" is attacker-controlled (${row.who}) and is substituted into the script of step "sink" before it runs; map it to an env: variable and read "$VAR" instead`,
        ]);
      });
    }
    for (const trigger of row.silent) {
      it(`stays silent on $(${row.name}) under ${trigger}`, () => {
        expect(auditFiles(templateInjection, pipeline(trigger, `echo "$(${row.name})"`))).toEqual([]);
      });
    }
    it(`stays silent on $(${row.name}) mapped to env: and read as "$VAR"`, () => {
      expect(auditFiles(templateInjection, pipeline('default', 'echo "$VALUE"', `    env:\n      VALUE: $(${row.name})\n`))).toEqual([]);
    });
  }

  it('has a row for every source variable, and no row the table lost', () => {
    const spec = new Map(ROWS.map((row) => [row.name, row]));
    expect(SOURCE_VARIABLES.filter((s) => !spec.has(s.name)).map((s) => s.name)).toEqual([]);
    expect(ROWS.filter((row) => !SOURCE_VARIABLES.some((s) => s.name === row.name)).map((row) => row.name)).toEqual([]);
    for (const s of SOURCE_VARIABLES) expect([s.name, s.who]).toEqual([s.name, spec.get(s.name)!.who]);
  });
});
