import { SEVERITIES, hasRegion, type Diagnostic, type Finding, type Location, type Severity } from '../core/finding.js';
import { escapeControls } from './escape.js';
import { codeFrame, splitLines, type FrameStyle } from './frame.js';
import { countBySeverity } from './summary.js';
import type { ReportContext } from './types.js';

const SEVERITY_SGR: Record<Severity, string> = {
  critical: '1;35',
  high: '1;31',
  medium: '1;33',
  low: '36',
  info: '2',
};

type Paint = (sgr: string, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (sgr, text) => `\x1b[${sgr}m${text}\x1b[0m` : (_sgr, text) => text;
}

/** Human report: one block per finding, then a summary line. Diagnostics go to stderr (see renderDiagnosticsText). */
export function renderText(findings: readonly Finding[], ctx: ReportContext): string {
  const paint = painter(ctx.color);
  const lineCache = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!lineCache.has(file)) {
      const src = ctx.sourceOf(file);
      lineCache.set(file, src === undefined ? undefined : splitLines(src));
    }
    return lineCache.get(file);
  };
  const blocks = findings.map((f) => renderFinding(f, linesOf(f.location.file), paint));
  const summary = summaryLine(findings, ctx.suppressedCount, ctx.diagnostics.filter((d) => d.failsGate === true).length, ctx.belowThresholdCount ?? 0);
  blocks.push(findings.length > 0 ? `${summary}\n${legendLine(findings[0]!)}` : summary);
  return blocks.join('\n\n') + '\n';
}

/**
 * The `severity[confidence]` notation of the finding lines, explained with the report's own first
 * finding: severity is the harm if exploited, confidence how sure the rule is that it is real.
 */
export function legendLine(f: Finding): string {
  return `(severity[confidence]: ${f.severity}[${f.confidence}] means ${f.severity} severity, ${f.confidence} confidence that the finding is real)`;
}

/**
 * Finding properties that are for machines (fix engine keys, classifier outputs): kept in JSON
 * and SARIF, left out of the text report, where they read like noise.
 */
const TEXT_HIDDEN_PROPERTIES = new Set(['pinKey', 'refKind', 'sameRepository']);

function renderFinding(f: Finding, lines: string[] | undefined, paint: Paint): string {
  const sgr = SEVERITY_SGR[f.severity];
  const out = [
    `${position(f.location)}: ${paint(sgr, `${f.severity}[${f.confidence}]`)} ${paint('1', escapeControls(f.ruleId))}: ${escapeControls(f.message)}${occurrences(f)}`,
  ];
  if (lines && hasRegion(f.location)) {
    const style: FrameStyle = { gutter: (t) => paint('34', t), marker: (t) => paint(sgr, t) };
    out.push(...codeFrame(lines, f.location, style));
  }
  const eq = paint('34', '=');
  for (const r of f.related) out.push(`  ${eq} note: ${position(r)}: ${escapeControls(r.message)}`);
  for (const flow of f.codeFlows ?? []) out.push(`  ${eq} flow: ${compactFlow(flow)}`);
  for (const key of Object.keys(f.properties ?? {}).sort()) {
    if (TEXT_HIDDEN_PROPERTIES.has(key)) continue;
    out.push(`  ${eq} ${escapeControls(key)}: ${escapeControls(String(f.properties![key]))}`);
  }
  if (f.fix) {
    const cmd = f.fix.safety === 'safe' ? 'pipewarden fix' : 'pipewarden fix --unsafe';
    out.push(`  ${eq} fix: ${escapeControls(f.fix.description)} (${cmd})`);
  }
  // Imported findings carry their own `help` (the producing tool's docs) among the properties.
  if (f.properties?.help === undefined) out.push(`  ${eq} help: pipewarden rules ${escapeControls(f.ruleId)}`);
  return out.join('\n');
}

/** ` (500 occurrences, 100 more listed below)` for a merged finding. */
function occurrences(f: Finding): string {
  const o = f.occurrences;
  if (!o || o.count < 2) return '';
  const unlisted = o.count - 1 - o.listed;
  return ` (${o.count} occurrences${unlisted > 0 ? `; ${o.listed} more listed below, ${unlisted} not listed` : ''})`;
}

/** `a.ts:3:9 req.query.id → :5:7 sql → db.ts:10:3 db.query`: the file is named only when it changes. */
function compactFlow(flow: NonNullable<Finding['codeFlows']>[number]): string {
  let file = '';
  return flow
    .map((s) => {
      const where = s.file === file ? `:${s.startLine}:${s.startColumn}` : `${escapeControls(s.file)}:${s.startLine}:${s.startColumn}`;
      file = s.file;
      return `${where} ${escapeControls(s.message)}`;
    })
    .join(' → ');
}

function position(loc: Location): string {
  if (!hasRegion(loc)) return escapeControls(loc.file);
  return `${escapeControls(loc.file)}:${loc.startLine}:${loc.startColumn}`;
}

/**
 * `N findings (x critical, y high)` listing only non-zero severities, most severe first, and what
 * could not be checked (`incomplete`: diagnostics that fail the gate), so "no findings" is never
 * the last word of a run that exits 1.
 */
export function summaryLine(findings: readonly Finding[], suppressed: number, incomplete = 0, belowThreshold = 0): string {
  const unchecked = incomplete > 0 ? `; ${incomplete} input${incomplete === 1 ? ' was' : 's were'} not fully checked (errors on stderr)` : '';
  const below = belowThreshold > 0 ? `, ${belowThreshold} below --min-severity/--min-confidence` : '';
  const suffix = (suppressed > 0 ? `, ${suppressed} suppressed` : '') + below + unchecked;
  if (findings.length === 0) return `no findings${suffix}`;
  const counts = countBySeverity(findings);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const noun = findings.length === 1 ? 'finding' : 'findings';
  return `${findings.length} ${noun} (${parts.join(', ')})${suffix}`;
}

/** Diagnostics for stderr, one per line, escaped like findings since paths and messages come from files. */
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], color: boolean): string {
  const paint = painter(color);
  const sgr = { error: '1;31', warning: '1;33', note: '36' } as const;
  return diagnostics
    .map((d) => {
      let where = '';
      if (d.file !== undefined) {
        where = escapeControls(d.file);
        if (d.line !== undefined) where += `:${d.line}` + (d.column !== undefined ? `:${d.column}` : '');
        where += ': ';
      }
      return `${where}${paint(sgr[d.level], d.level)}: ${escapeControls(d.message)}\n`;
    })
    .join('');
}
