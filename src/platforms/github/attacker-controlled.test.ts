import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../../audits/github/testing.js';
import { rule as templateInjection } from '../../audits/github/template-injection/rule.js';
import { ATTACKER_CONTROLLED } from './contexts.js';

/*
 * Every attacker-controlled GitHub context, written down here independently of contexts.ts: each
 * row is expanded into a run: script under every trigger that populates it (must be reported,
 * at the severity its strength and the trigger's privilege give) and under a nearby trigger
 * that does not (must stay silent). Dropping a row or a trigger from the source table fails the
 * row's case; adding a row without a case here fails the coverage test.
 */

const PR = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'];
const ISSUE = ['issues', 'issue_comment'];
const COMMENT = ['issue_comment', 'pull_request_review_comment', 'commit_comment', 'discussion_comment'];
const DISCUSSION = ['discussion', 'discussion_comment'];
const RUN = ['workflow_run'];

interface Row {
  /** The pattern as contexts.ts spells it. */
  pattern: string;
  /** The expression written in the workflow (indexes and payload keys filled in). */
  expr: string;
  strength: 'high' | 'medium' | 'low';
  reportedUnder: string[];
  /** A trigger that does not populate the field. */
  silentUnder: string;
}

const r = (pattern: string, reportedUnder: string[], strength: Row['strength'], silentUnder: string, expr = pattern.replace(/\.\*\./g, '[0].')): Row => ({ pattern, expr, strength, reportedUnder, silentUnder });

const ROWS: Row[] = [
  r('github.event.issue.title', ISSUE, 'high', 'pull_request_target'),
  r('github.event.issue.body', ISSUE, 'high', 'discussion'),
  r('github.event.pull_request.title', PR, 'high', 'issues'),
  r('github.event.pull_request.body', PR, 'high', 'issue_comment'),
  r('github.event.pull_request.head.ref', PR, 'high', 'push'),
  r('github.event.pull_request.head.label', PR, 'high', 'workflow_run'),
  r('github.event.pull_request.head.repo.default_branch', PR, 'high', 'issues'),
  r('github.event.pull_request.head.repo.description', PR, 'high', 'issues'),
  r('github.event.pull_request.head.repo.homepage', PR, 'high', 'issues'),
  r('github.event.pull_request.labels.*.name', PR, 'medium', 'issues'),
  r('github.event.pull_request.labels.*.description', PR, 'medium', 'issues'),
  r('github.event.label.name', [...PR, ...ISSUE], 'medium', 'discussion'),
  r('github.head_ref', PR, 'high', 'push'),
  r('github.event.comment.body', COMMENT, 'high', 'issues'),
  r('github.event.review.body', ['pull_request_review'], 'high', 'pull_request_review_comment'),
  r('github.event.pages.*.page_name', ['gollum'], 'high', 'push'),
  r('github.event.pages.*.title', ['gollum'], 'high', 'push'),
  r('github.event.commits.*.message', ['push'], 'medium', 'pull_request_target'),
  r('github.event.commits.*.author.email', ['push'], 'medium', 'pull_request_target'),
  r('github.event.commits.*.author.name', ['push'], 'medium', 'pull_request_target'),
  r('github.event.commits.*.committer.email', ['push'], 'medium', 'pull_request_target'),
  r('github.event.commits.*.committer.name', ['push'], 'medium', 'pull_request_target'),
  r('github.event.head_commit.message', ['push', 'merge_group'], 'medium', 'workflow_run'),
  r('github.event.head_commit.author.email', ['push'], 'medium', 'merge_group'),
  r('github.event.head_commit.author.name', ['push'], 'medium', 'merge_group'),
  r('github.event.head_commit.committer.email', ['push'], 'medium', 'merge_group'),
  r('github.event.head_commit.committer.name', ['push'], 'medium', 'merge_group'),
  r('github.event.merge_group.head_commit.message', ['merge_group'], 'medium', 'push'),
  r('github.event.workflow_run.head_branch', RUN, 'high', 'push'),
  r('github.event.workflow_run.display_title', RUN, 'high', 'pull_request_target'),
  r('github.event.workflow_run.head_commit.message', RUN, 'high', 'push'),
  r('github.event.workflow_run.head_commit.author.email', RUN, 'high', 'push'),
  r('github.event.workflow_run.head_commit.author.name', RUN, 'high', 'push'),
  r('github.event.workflow_run.head_commit.committer.email', RUN, 'high', 'push'),
  r('github.event.workflow_run.head_commit.committer.name', RUN, 'high', 'push'),
  r('github.event.workflow_run.head_repository.description', RUN, 'high', 'pull_request_target'),
  r('github.event.workflow_run.pull_requests.*.head.ref', RUN, 'high', 'pull_request_target'),
  r('github.event.discussion.title', DISCUSSION, 'high', 'issues'),
  r('github.event.discussion.body', DISCUSSION, 'high', 'issue_comment'),
  r('github.event.release.name', ['release'], 'low', 'push'),
  r('github.event.release.body', ['release'], 'low', 'push'),
  r('github.event.release.tag_name', ['release'], 'low', 'push'),
  r('github.event.check_suite.head_branch', ['check_suite'], 'medium', 'check_run'),
  r('github.event.check_run.check_suite.head_branch', ['check_run'], 'medium', 'check_suite'),
  r('github.event.client_payload.*', ['repository_dispatch'], 'low', 'workflow_dispatch', 'github.event.client_payload.command'),
];

const FILE = '.github/workflows/t.yml';

function workflow(trigger: string, expr: string): Record<string, string> {
  return {
    [FILE]: ['on: ' + trigger, 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - name: sink', `        run: echo "\${{ ${expr} }}"`, ''].join('\n'),
  };
}

/** Triggers that run with secrets on attacker input (high severity for free text); spelled out, not read from contexts.ts. */
const PRIVILEGED = new Set(['pull_request_target', 'workflow_run', 'issue_comment', 'issues', 'discussion', 'discussion_comment', 'gollum', 'fork', 'watch']);

/** Who can set a value of each strength, as the finding words it. */
const WHO = { high: 'attacker-controlled', medium: 'attacker-controlled', low: 'writer-controlled (only people with write access set it)' } as const;

function expectedSeverity(row: Row, trigger: string): string {
  if (row.strength !== 'high') return row.strength;
  return PRIVILEGED.has(trigger) ? 'high' : 'medium';
}

describe('attacker-controlled GitHub contexts, one row at a time', () => {
  for (const row of ROWS) {
    for (const trigger of row.reportedUnder) {
      it(`reports ${row.expr} under ${trigger}`, () => {
        const out = summarize(auditFiles(templateInjection, workflow(trigger, row.expr)));
        // Column 20: `        run: echo "` is 19 characters, the expression starts after it; the end is exclusive.
        const end = 20 + `\${{ ${row.expr} }}`.length;
        expect(out).toEqual([
          `${FILE}:7:20-7:${end} ${expectedSeverity(row, trigger)}/${row.strength === 'low' ? 'low' : 'high'} "${row.pattern}" is ${WHO[row.strength]} and is expanded into the run: script of step "sink"; pass it through env: and read "$VAR" instead`,
        ]);
      });
    }
    it(`stays silent on ${row.expr} under ${row.silentUnder}`, () => {
      expect(row.reportedUnder).not.toContain(row.silentUnder);
      expect(auditFiles(templateInjection, workflow(row.silentUnder, row.expr))).toEqual([]);
    });
  }

  it('has a row for every entry of the source table, with the same triggers and strength', () => {
    const spec = new Map(ROWS.map((row) => [row.pattern, row]));
    const missing = ATTACKER_CONTROLLED.filter((f) => !spec.has(f.pattern)).map((f) => f.pattern);
    expect(missing).toEqual([]);
    for (const f of ATTACKER_CONTROLLED) {
      const row = spec.get(f.pattern)!;
      expect([f.pattern, [...f.triggers].sort(), f.strength]).toEqual([row.pattern, [...row.reportedUnder].sort(), row.strength]);
    }
    // And no row describes a field the table lost.
    const table = new Set(ATTACKER_CONTROLLED.map((f) => f.pattern));
    expect(ROWS.filter((row) => !table.has(row.pattern)).map((row) => row.pattern)).toEqual([]);
  });

  it('reports a field reached only through workflow_call at medium severity and confidence', () => {
    expect(summarize(auditFiles(templateInjection, workflow('workflow_call', 'github.event.review.body')))).toEqual([
      `${FILE}:7:20-7:51 medium/medium "github.event.review.body" is attacker-controlled and is expanded into the run: script of step "sink"; pass it through env: and read "$VAR" instead`,
    ]);
  });

  it('does not treat safe leaves under a controlled object as text', () => {
    for (const expr of ['github.event.pull_request.head.sha', 'github.event.issue.number', 'github.event.pull_request.head.repo.id', 'github.event.issue.user.login', 'github.event.pull_request.user.avatar_url']) {
      const trigger = expr.includes('issue') ? 'issues' : 'pull_request_target';
      expect({ expr, findings: auditFiles(templateInjection, workflow(trigger, expr)) }).toEqual({ expr, findings: [] });
    }
  });
});
