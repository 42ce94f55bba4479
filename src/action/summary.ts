/**
 * The job summary (Markdown for $GITHUB_STEP_SUMMARY): counts by severity, the most severe
 * findings with links to the file and line, and how to suppress one. Messages come partly from
 * the scanned files (a fork's pull request), so every piece of text is escaped: no HTML, no
 * Markdown link or table syntax can come through.
 */
import { SEVERITIES, severityRank, type Finding, type Severity } from '../core/finding.js';
import type { JsonReport } from '../report/json.js';

/** Findings listed in the summary; the rest are in the annotations, SARIF and JSON. */
export const TOP_FINDINGS = 20;

export interface SummaryContext {
  command: string;
  failOn: Severity | 'never';
  exitCode: number;
  /** Why findings are or are not limited to the change (see chooseBase). */
  scope: string;
  /** `https://github.com/OWNER/REPO/blob/SHA/`, or undefined when not known (no links then). */
  blobBase?: string;
  /** A finding's path (relative to the working directory) → its path in the repository. */
  repoPath(file: string): string | undefined;
}

/** Text made inert for GitHub-flavoured Markdown inside a table cell. */
export function mdText(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]#!|~@$]/g, (c) => `\\${c}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderSummary(report: JsonReport, ctx: SummaryContext): string {
  const findings = report.findings;
  const counts = report.summary.bySeverity;
  const out: string[] = [];
  const nonZero = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const what = report.newOnly ? 'new finding' : 'finding';
  out.push(`## pipewarden ${ctx.command}: ${findings.length === 0 ? `no ${what}s` : `${plural(findings.length, what)} (${nonZero.join(', ')})`}`);
  out.push('');
  out.push(gateLine(ctx, findings));
  out.push('');
  const scope = [mdText(ctx.scope)];
  if (report.newOnly) {
    scope.push(`${plural(report.newOnly.preExisting, 'finding')} already at the merge base \`${report.newOnly.mergeBase.slice(0, 12)}\` are not shown.`);
  }
  if (report.summary.suppressed > 0) scope.push(`${report.summary.suppressed} suppressed by ignores or the baseline.`);
  out.push(scope.join(' '));
  out.push('');
  if (findings.length > 0) {
    out.push('| severity | count |', '|---|---:|');
    for (const s of SEVERITIES) if (counts[s] > 0) out.push(`| ${s} | ${counts[s]} |`);
    out.push('');
    const top = [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity)).slice(0, TOP_FINDINGS);
    out.push(findings.length > TOP_FINDINGS ? `### The ${TOP_FINDINGS} most severe of ${findings.length}` : '### Findings');
    out.push('');
    out.push('| severity | rule | where | message |', '|---|---|---|---|');
    for (const f of top) out.push(`| ${f.severity} | ${mdText(f.ruleId)} | ${where(f, ctx)} | ${mdText(f.message)} |`);
    out.push('');
    out.push(suppressHelp(ctx.command));
  }
  return out.join('\n') + '\n';
}

function gateLine(ctx: SummaryContext, findings: Finding[]): string {
  if (ctx.exitCode >= 2) return `**The scan did not complete (exit code ${ctx.exitCode}); see the log.**`;
  if (ctx.failOn === 'never') return 'The gate is off (`fail-on: never`).';
  const failing = findings.filter((f) => severityRank(f.severity) >= severityRank(ctx.failOn as Severity)).length;
  return failing > 0
    ? `**Failed:** ${plural(failing, 'finding')} at or above \`${ctx.failOn}\`.`
    : `**Passed:** nothing at or above \`${ctx.failOn}\`.`;
}

function where(f: Finding, ctx: SummaryContext): string {
  const label = mdText(`${f.location.file}:${f.location.startLine}`);
  const path = ctx.repoPath(f.location.file);
  if (!ctx.blobBase || path === undefined) return label;
  const url = `${ctx.blobBase}${path.split('/').map(encodeURIComponent).join('/')}#L${f.location.startLine}`;
  return `[${label}](${url})`;
}

function suppressHelp(command: string): string {
  return `<details><summary>How to suppress a finding</summary>

- Fix it: \`pipewarden fix\` applies the safe fixes; \`pipewarden rules RULE\` explains each rule.
- On the line, or the line above: \`# pipewarden: ignore[RULE] why this is fine\`.
- In \`.github/pipewarden.yml\`: an \`ignore:\` entry with \`rule\`, \`path\` (\`file\` or \`file:line\`), \`reason\` and an optional \`expires\` date.
- Accept everything found today: \`pipewarden ${command} --write-baseline .pipewarden-baseline.json\`, commit the file and set the Action's \`baseline\` input to it.

</details>`;
}
