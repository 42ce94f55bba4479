import type { Diagnostic, Finding } from './finding.js';
import { fingerprintOf } from './fingerprint.js';
import { RuleOptionsError, type RawFinding, type Rule, type RuleMeta } from './rule.js';
import type { PipewardenConfig } from '../config/types.js';

/** Turns what a rule reported into a complete Finding. */
export function completeFinding(meta: RuleMeta, raw: RawFinding): Finding {
  return {
    ruleId: meta.id,
    severity: raw.severity ?? meta.severity,
    confidence: raw.confidence ?? meta.confidence,
    message: raw.message,
    location: raw.location,
    related: raw.related ?? [],
    owasp: meta.owasp,
    cwe: meta.cwe,
    fingerprint: fingerprintOf(meta.id, raw.location.file, raw.route),
    ...(raw.fix ? { fix: raw.fix } : {}),
    ...(raw.properties ? { properties: raw.properties } : {}),
  };
}

export interface EngineOptions {
  config: PipewardenConfig;
  online: boolean;
}

/**
 * Runs every enabled rule over a model. A rule that throws is a bug in pipewarden, not in the
 * scanned repo: it becomes an error diagnostic and the other rules still run.
 */
export function runRules<M>(rules: readonly Rule<M>[], model: M, opts: EngineOptions): { findings: Finding[]; diagnostics: Diagnostic[] } {
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const settings = opts.config.rules[rule.meta.id];
    if (settings?.enabled === false) continue;
    if (rule.meta.online && !opts.online) continue;
    const seen = new Set<string>();
    try {
      rule.check(
        model,
        (raw) => {
          const f = completeFinding(rule.meta, raw);
          // One finding per problem: the same route at the same place is reported once.
          const key = `${f.fingerprint}:${f.location.startLine}:${f.location.startColumn}`;
          if (seen.has(key)) return;
          seen.add(key);
          findings.push(f);
        },
        settings?.options ?? {},
      );
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      diagnostics.push({
        level: 'error',
        ...(e instanceof RuleOptionsError ? {} : { code: 'internal-error' }),
        file: e instanceof RuleOptionsError ? opts.config.source : undefined,
        message: e instanceof RuleOptionsError ? `rules.${rule.meta.id}.options: ${text}` : `internal error in rule ${rule.meta.id}: ${text}`,
      });
    }
  }
  return { findings, diagnostics };
}
