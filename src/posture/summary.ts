import { SEVERITIES, type Finding } from '../core/finding.js';
import type { PostureTarget } from './check.js';
import { meta as notEvaluatedMeta } from './checks/not-evaluated/check.js';

/** The target a finding belongs to: the one whose URL is the longest prefix of its location. */
export function targetOf(f: Finding, targets: readonly PostureTarget[]): PostureTarget | undefined {
  let best: PostureTarget | undefined;
  for (const t of targets) {
    const u = t.url;
    if ((f.location.file === u || f.location.file.startsWith(`${u}/`)) && (!best || u.length > best.url.length)) best = t;
  }
  return best;
}

/**
 * One row per organisation/repository: findings by severity (after baseline, ignores and
 * thresholds) and checks not evaluated. Rows in the order given (organisation first, then
 * repositories by name).
 */
export function summaryTable(kept: readonly Finding[], targets: readonly PostureTarget[], visibility: ReadonlyMap<string, string> = new Map()): string {
  const counts = new Map<string, Record<string, number>>();
  for (const t of targets) counts.set(t.url, Object.fromEntries([...SEVERITIES, 'ne'].map((k) => [k, 0])));
  for (const f of kept) {
    const t = targetOf(f, targets);
    if (!t) continue;
    const row = counts.get(t.url)!;
    if (f.ruleId === notEvaluatedMeta.id) row.ne!++;
    else row[f.severity]!++;
  }
  const header = ['target', 'kind', 'visibility', ...SEVERITIES, 'not evaluated'];
  const rows = targets.map((t) => {
    const c = counts.get(t.url)!;
    return [t.name, t.kind, visibility.get(t.url) ?? '-', ...SEVERITIES.map((s) => String(c[s])), String(c.ne)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
