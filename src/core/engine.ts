import { MAX_LISTED_OCCURRENCES, type Diagnostic, type Finding, type Fix, type Location } from './finding.js';
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
  /**
   * Keep a fix on every finding that offers it (the fix engine groups findings by fix). Reports
   * leave this off: a fix shared by several findings (template-injection rewrites every expansion
   * of a step in one fix) is attached to the first only, so a report never repeats N edits N times.
   */
  shareFixes?: boolean;
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
    // One finding per problem: the same route (fingerprint) reported again elsewhere is one more
    // occurrence of it, not one more finding (linear output however often a step repeats it).
    const groups = new Map<string, { finding: Finding; seen: Set<string>; others: Location[] }>();
    try {
      rule.check(
        model,
        (raw) => {
          const f = completeFinding(rule.meta, raw);
          const at = `${f.location.startLine}:${f.location.startColumn}`;
          const g = groups.get(f.fingerprint);
          if (!g) {
            groups.set(f.fingerprint, { finding: f, seen: new Set([at]), others: [] });
            return;
          }
          if (g.seen.has(at)) return;
          g.seen.add(at);
          // The earliest place carries the finding (its message, related and fix describe that place).
          if (byPosition(f.location, g.finding.location) < 0) {
            g.others.push(g.finding.location);
            g.finding = f;
          } else g.others.push(f.location);
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
    const attached = new Set<Fix>();
    for (const g of groups.values()) {
      const f = g.others.length > 0 ? mergeOccurrences(g.finding, g.others) : g.finding;
      if (f.fix && !opts.shareFixes) {
        if (attached.has(f.fix)) delete f.fix;
        else attached.add(f.fix);
      }
      findings.push(f);
    }
  }
  return { findings, diagnostics };
}

function byPosition(a: Location, b: Location): number {
  return a.startLine - b.startLine || a.startColumn - b.startColumn;
}

/** The first occurrence (in source order) carries the finding; the others are counted and listed up to a cap. */
function mergeOccurrences(first: Finding, others: Location[]): Finding {
  const rest = [...others].sort(byPosition).slice(0, MAX_LISTED_OCCURRENCES);
  const count = others.length + 1;
  return {
    ...first,
    related: [
      ...first.related,
      ...rest.map((l, i) => ({ ...l, message: `occurrence ${i + 2} of ${count} of the same problem` })),
    ],
    occurrences: { count, listed: rest.length },
  };
}
