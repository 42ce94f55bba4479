import { createHash } from 'node:crypto';

/** Stable identity of a finding: independent of line numbers so baselines survive edits. */
export function fingerprintOf(ruleId: string, file: string, route: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${route}`).digest('hex').slice(0, 32);
}
