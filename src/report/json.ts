import type { Diagnostic, Finding } from '../core/finding.js';
import { countBySeverity, type SeverityCounts } from './summary.js';
import type { NewOnlySummary, ReportContext } from './types.js';

/** Bumped only for breaking changes; additive fields keep version 1 (docs/json-format.md). */
export const JSON_FORMAT_VERSION = 1;

export interface JsonReport {
  version: typeof JSON_FORMAT_VERSION;
  tool: { name: 'pipewarden'; version: string };
  findings: Finding[];
  diagnostics: Diagnostic[];
  summary: { total: number; bySeverity: SeverityCounts; suppressed: number; belowThreshold: number };
  /** Present only with `--new-only`. */
  newOnly?: NewOnlySummary;
}

export function renderJson(findings: readonly Finding[], ctx: ReportContext): string {
  const report: JsonReport = {
    version: JSON_FORMAT_VERSION,
    tool: { name: 'pipewarden', version: ctx.toolVersion },
    findings: findings.map(canonicalFinding),
    diagnostics: ctx.diagnostics.map(canonicalDiagnostic),
    summary: { total: findings.length, bySeverity: countBySeverity(findings), suppressed: ctx.suppressedCount, belowThreshold: ctx.belowThresholdCount ?? 0 },
    ...(ctx.newOnly && { newOnly: { ref: ctx.newOnly.ref, mergeBase: ctx.newOnly.mergeBase, preExisting: ctx.newOnly.preExisting } }),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

/** Rebuilt with a fixed key order so output does not depend on how a scanner built the object. */
function canonicalFinding(f: Finding): Finding {
  const out: Finding = {
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    message: f.message,
    location: loc(f.location),
    related: f.related.map((r) => ({ ...loc(r), message: r.message })),
    owasp: [...f.owasp],
    cwe: [...f.cwe],
    fingerprint: f.fingerprint,
  };
  if (f.fix) {
    out.fix = {
      description: f.fix.description,
      safety: f.fix.safety,
      edits: f.fix.edits.map((e) => ({ file: e.file, start: e.start, end: e.end, replacement: e.replacement })),
    };
  }
  if (f.properties) out.properties = { ...f.properties };
  // count: how many places; listed: how many of the others are in `related` (the list is capped).
  if (f.occurrences) out.occurrences = { count: f.occurrences.count, listed: f.occurrences.listed };
  if (f.codeFlows?.length) out.codeFlows = f.codeFlows.map((flow) => flow.map((s) => ({ ...loc(s), message: s.message })));
  return out;
}

function loc(l: Finding['location']): Finding['location'] {
  return { file: l.file, startLine: l.startLine, startColumn: l.startColumn, endLine: l.endLine, endColumn: l.endColumn };
}

function canonicalDiagnostic(d: Diagnostic): Diagnostic {
  return {
    level: d.level,
    ...(d.file !== undefined && { file: d.file }),
    ...(d.line !== undefined && { line: d.line }),
    ...(d.column !== undefined && { column: d.column }),
    message: d.message,
    ...(d.code !== undefined && { code: d.code }),
    ...(d.failsGate === true && { failsGate: true }),
  };
}
