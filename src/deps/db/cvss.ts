import type { Severity } from '../../core/finding.js';

/**
 * CVSS v3.0/v3.1 base score from a vector string (FIRST's specification, section 7.1), and the
 * qualitative rating it maps to. OSV records carry the vector, not the score.
 */
const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

export function cvss3BaseScore(vector: string): number | undefined {
  const m = /^CVSS:3\.[01]\/(.*)$/.exec(vector.trim());
  if (!m) return undefined;
  const metrics = new Map<string, string>();
  for (const part of m[1]!.split('/')) {
    const [k, v] = part.split(':');
    if (k && v) metrics.set(k, v);
  }
  const get = (k: string): string | undefined => metrics.get(k);
  const av = W.AV[get('AV') as keyof typeof W.AV];
  const ac = W.AC[get('AC') as keyof typeof W.AC];
  const ui = W.UI[get('UI') as keyof typeof W.UI];
  const scope = get('S');
  const c = W.CIA[get('C') as keyof typeof W.CIA];
  const i = W.CIA[get('I') as keyof typeof W.CIA];
  const a = W.CIA[get('A') as keyof typeof W.CIA];
  const prRaw = get('PR');
  if (av === undefined || ac === undefined || ui === undefined || c === undefined || i === undefined || a === undefined || (scope !== 'U' && scope !== 'C')) return undefined;
  const pr = prRaw === 'N' ? 0.85 : prRaw === 'L' ? (scope === 'C' ? 0.68 : 0.62) : prRaw === 'H' ? (scope === 'C' ? 0.5 : 0.27) : undefined;
  if (pr === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const raw = scope === 'U' ? Math.min(impact + exploitability, 10) : Math.min(1.08 * (impact + exploitability), 10);
  return roundUp(raw);
}

/** CVSS v3.1 Roundup: the smallest number with one decimal that is >= the input, free of float noise. */
function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

export function ratingOf(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** GitHub's advisory severities (`database_specific.severity`): MODERATE is medium. */
export function ghsaSeverity(s: unknown): Severity | undefined {
  if (typeof s !== 'string') return undefined;
  const v = s.toUpperCase();
  if (v === 'CRITICAL') return 'critical';
  if (v === 'HIGH') return 'high';
  if (v === 'MODERATE' || v === 'MEDIUM') return 'medium';
  if (v === 'LOW') return 'low';
  return undefined;
}
