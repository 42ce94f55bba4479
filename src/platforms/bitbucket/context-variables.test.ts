import { describe, expect, it } from 'vitest';
import { auditFiles, summarize } from '../../audits/bitbucket/testing.js';
import { rule as templateInjection } from '../../audits/bitbucket/template-injection/rule.js';

/*
 * Bitbucket default variables whose value someone chooses, per pipeline kind, spelled out
 * here independently of script.ts: each row re-parses the variable with eval under a start
 * condition that lets a pusher or PR author pick it (must be reported) and under one that fixes
 * it (must stay silent). The last test walks every pipeline kind and variable, so a kind or
 * variable added to the source without a row here shows up as a difference.
 */

interface Row {
  variable: string;
  /** The `pipelines:` section and its pattern line, e.g. `branches:\n    '**':`. */
  section: string;
  rating: string;
  who: string;
}

const section = (kind: string, pattern?: string) => (pattern === undefined ? `  ${kind}:` : `  ${kind}:\n    '${pattern}':`);

const REPORTED: Row[] = [
  { variable: 'BITBUCKET_BRANCH', section: section('default'), rating: 'medium/high', who: 'anyone who can push a branch' },
  { variable: 'BITBUCKET_BRANCH', section: section('custom', 'release'), rating: 'medium/high', who: 'anyone who can push a branch' },
  { variable: 'BITBUCKET_TAG', section: section('custom', 'release'), rating: 'medium/high', who: 'anyone who can push a tag' },
  { variable: 'BITBUCKET_BRANCH', section: section('branches', '**'), rating: 'medium/high', who: 'anyone who can push a branch' },
  { variable: 'BITBUCKET_BRANCH', section: section('branches', 'feature/*'), rating: 'medium/high', who: 'anyone who can push a branch' },
  { variable: 'BITBUCKET_BOOKMARK', section: section('bookmarks', '*'), rating: 'medium/high', who: 'anyone who can push a bookmark' },
  { variable: 'BITBUCKET_BRANCH', section: section('pull-requests', '**'), rating: 'medium/high', who: 'the pull request author (source branch name)' },
  { variable: 'BITBUCKET_PR_DESTINATION_BRANCH', section: section('pull-requests', '**'), rating: 'low/high', who: 'the pull request author (destination branch)' },
  { variable: 'BITBUCKET_TAG', section: section('tags', 'v*'), rating: 'medium/high', who: 'anyone who can push a tag' },
];

const SILENT: Array<Omit<Row, 'rating' | 'who'>> = [
  { variable: 'BITBUCKET_TAG', section: section('default') },
  { variable: 'BITBUCKET_BRANCH', section: section('branches', 'main') },
  { variable: 'BITBUCKET_BOOKMARK', section: section('bookmarks', 'main') },
  { variable: 'BITBUCKET_TAG', section: section('tags', 'v1.0.0') },
  { variable: 'BITBUCKET_TAG', section: section('pull-requests', '**') },
  { variable: 'BITBUCKET_BRANCH', section: section('tags', 'v*') },
  { variable: 'BITBUCKET_COMMIT', section: section('pull-requests', '**') },
  { variable: 'BITBUCKET_REPO_SLUG', section: section('default') },
];

function pipeline(sectionText: string, variable: string): string {
  const indent = sectionText.includes('\n') ? '      ' : '    ';
  return ['pipelines:', sectionText, `${indent}- step:`, `${indent}    name: sink`, `${indent}    script:`, `${indent}      - eval "echo $${variable}"`, ''].join('\n');
}

const run = (text: string) => summarize(auditFiles(templateInjection, { 'bitbucket-pipelines.yml': text }));

describe('attacker-chosen Bitbucket variables, one row at a time', () => {
  for (const row of REPORTED) {
    it(`reports $${row.variable} under ${row.section.trim().replace(/\n\s*/g, ' ')}`, () => {
      const text = pipeline(row.section, row.variable);
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes('eval')) + 1;
      const column = lines[line - 1]!.indexOf('$') + 1;
      expect(run(text)).toEqual([
        `bitbucket-pipelines.yml:${line}:${column}-${line}:${column + `$${row.variable}`.length} ${row.rating} $${row.variable} expands ${row.variable} (set by ${row.who}) into code that eval parses again, in step "sink"; do not eval it; use the value directly as a quoted argument ("$VAR")`,
      ]);
    });
  }
  for (const row of SILENT) {
    it(`stays silent on $${row.variable} under ${row.section.trim().replace(/\n\s*/g, ' ')}`, () => {
      expect(run(pipeline(row.section, row.variable))).toEqual([]);
    });
  }

  it('covers every variable any pipeline kind taints', () => {
    const known = new Set([...REPORTED, ...SILENT].map((r) => r.variable));
    const kinds = [section('default'), section('custom', 'x'), section('branches', '**'), section('bookmarks', '*'), section('pull-requests', '**'), section('tags', '*')];
    const candidates = ['BITBUCKET_BRANCH', 'BITBUCKET_TAG', 'BITBUCKET_BOOKMARK', 'BITBUCKET_PR_DESTINATION_BRANCH', 'BITBUCKET_PR_ID', 'BITBUCKET_COMMIT', 'BITBUCKET_REPO_SLUG', 'BITBUCKET_REPO_FULL_NAME', 'BITBUCKET_WORKSPACE', 'BITBUCKET_STEP_TRIGGERER_UUID', 'BITBUCKET_DEPLOYMENT_ENVIRONMENT', 'BITBUCKET_PROJECT_KEY', 'BITBUCKET_GIT_HTTP_ORIGIN'];
    const tainted = new Set<string>();
    for (const k of kinds) for (const v of candidates) if (run(pipeline(k, v)).length > 0) tainted.add(v);
    expect([...tainted].filter((v) => !REPORTED.some((r) => r.variable === v))).toEqual([]);
    expect([...known].filter((v) => REPORTED.some((r) => r.variable === v) && !tainted.has(v))).toEqual([]);
  });
});
