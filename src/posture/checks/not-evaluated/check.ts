import type { Finding } from '../../../core/finding.js';
import { fingerprintOf } from '../../../core/fingerprint.js';
import type { RuleMeta } from '../../../core/rule.js';
import { wholeResource, type NotEvaluatedEntry, type PostureTarget } from '../../check.js';

/**
 * What could not be checked fails the gate: each check that could not be evaluated (missing
 * scope, plan, rate limit, API error, not in the snapshot) becomes one finding, grouped by check
 * and reason so a token without admin rights gives one line per check, not one per repository.
 * High by default (fails `--fail-on high`); lower it with `rules: { posture/not-evaluated: { severity: low } }`
 * or turn off the checks your token cannot read.
 */
export const meta: RuleMeta = {
  id: 'posture/not-evaluated',
  title: 'Posture check could not be evaluated',
  platform: 'core',
  severity: 'high',
  confidence: 'high',
  owasp: ['CICD-SEC-10'],
  cwe: ['CWE-1059'],
  fixable: false,
  online: true,
  docs: new URL('./README.md', import.meta.url),
};

export function notEvaluatedFindings(entries: readonly NotEvaluatedEntry[], top: PostureTarget): Finding[] {
  const groups = new Map<string, NotEvaluatedEntry[]>();
  for (const e of entries) {
    const key = `${e.checkId}\0${e.why.reason}\0${e.why.detail}`;
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const out: Finding[] = [];
  for (const [key, list] of groups) {
    const { checkId, why } = list[0]!;
    const names = [...new Set(list.map((e) => e.target.name))].sort();
    const single = names.length === 1;
    const where = single ? list[0]!.target : top;
    const kinds = new Set(list.map((e) => e.target.kind));
    const noun = kinds.size === 1 && (kinds.has('repository') || kinds.has('project')) ? [...kinds][0]! : 'target';
    const what = single ? names[0]! : `${names.length} ${noun === 'repository' ? 'repositories' : `${noun}s`} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`;
    out.push({
      ruleId: meta.id,
      severity: meta.severity,
      confidence: meta.confidence,
      message: `${checkId} not evaluated for ${what}: ${why.detail}`,
      location: wholeResource(where.url),
      related: [],
      owasp: meta.owasp,
      cwe: meta.cwe,
      fingerprint: fingerprintOf(meta.id, where.url, key.replace(/\0/g, ':')),
      properties: { check: checkId, reason: why.reason, targets: names.length },
    });
  }
  return out;
}
