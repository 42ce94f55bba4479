import { SEVERITIES, type Finding, type Severity } from '../core/finding.js';

export type SeverityCounts = Record<Severity, number>;

/** Counts in the fixed order critical..info, so serialised output has a stable key order. */
export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  for (const f of findings) counts[f.severity]++;
  return counts;
}
