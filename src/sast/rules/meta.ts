/** Metadata of a SAST rule: the engine finds the flows, the rule names and documents them. */
import type { Severity } from '../../core/finding.js';
import type { RuleMeta } from '../../core/rule.js';

export interface SastRule {
  meta: RuleMeta;
  /** What the sink is, for messages: "a SQL query". */
  sinkNoun: string;
}

export function sastRule(r: { id: string; title: string; severity: Severity; owasp: string[]; cwe: string[]; sinkNoun: string; docs: URL }): SastRule {
  return {
    meta: { id: r.id, title: r.title, platform: 'sast', severity: r.severity, confidence: 'high', owasp: r.owasp, cwe: r.cwe, fixable: false, online: false, docs: r.docs },
    sinkNoun: r.sinkNoun,
  };
}
