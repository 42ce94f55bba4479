import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type PipewardenConfig } from '../config/types.js';
import { runRules } from './engine.js';
import { RuleOptionsError, type RawFinding, type Rule, type RuleMeta } from './rule.js';

type Model = { lines: string[] };

const meta = (id: string, extra: Partial<RuleMeta> = {}): RuleMeta => ({
  id,
  title: `rule ${id}`,
  platform: 'github',
  severity: 'medium',
  confidence: 'high',
  owasp: ['CICD-SEC-4'],
  cwe: ['CWE-94'],
  fixable: false,
  online: false,
  docs: new URL('file:///docs/README.md'),
  ...extra,
});

const at = (line: number, column: number, route: string, extra: Partial<RawFinding> = {}): RawFinding => ({
  message: `m${line}`,
  location: { file: 'w.yml', startLine: line, startColumn: column, endLine: line, endColumn: column + 3 },
  route,
  ...extra,
});

/** A rule that reports one finding per model line `line:column:route`. */
function lineRule(id: string, extra: Partial<RuleMeta> = {}): Rule<Model> {
  return {
    meta: meta(id, extra),
    check(model, report) {
      for (const l of model.lines) {
        const [line, column, route] = l.split(':');
        report(at(Number(line), Number(column), route!));
      }
    },
  };
}

const config = (rules: PipewardenConfig['rules'] = {}): PipewardenConfig => ({ ...DEFAULT_CONFIG, rules, source: 'pipewarden.yml' });
const brief = (r: ReturnType<typeof runRules>) => ({
  findings: r.findings.map((f) => `${f.ruleId} ${f.location.startLine}:${f.location.startColumn} ${f.severity}/${f.confidence} ${f.message}`),
  diagnostics: r.diagnostics,
});

describe('runRules', () => {
  it('reports a route once: other places of the same route are counted occurrences, other routes stay findings', () => {
    const model = { lines: ['2:5:a', '1:5:a', '1:5:a', '1:5:b', '1:6:a'] };
    const r = runRules([lineRule('r')], model, { config: config(), online: false });
    // The earliest place carries the finding (source order, whatever order the rule reported in).
    expect(brief(r)).toEqual({ findings: ['r 1:5 medium/high m1', 'r 1:5 medium/high m1'], diagnostics: [] });
    const [a, b] = r.findings;
    expect(a!.occurrences).toEqual({ count: 3, listed: 2 });
    expect(a!.related.map((x) => `${x.startLine}:${x.startColumn} ${x.message}`)).toEqual(['1:6 occurrence 2 of 3 of the same problem', '2:5 occurrence 3 of 3 of the same problem']);
    expect(b!.occurrences).toBeUndefined();
  });

  it('lists at most 100 further occurrences and keeps the fingerprint of a single occurrence', () => {
    const lines = Array.from({ length: 250 }, (_, i) => `${i + 1}:1:same`);
    const [one] = runRules([lineRule('r')], { lines: lines.slice(0, 1) }, { config: config(), online: false }).findings;
    const [many] = runRules([lineRule('r')], { lines }, { config: config(), online: false }).findings;
    expect(many!.occurrences).toEqual({ count: 250, listed: 100 });
    expect(many!.related).toHaveLength(100);
    expect(many!.fingerprint).toBe(one!.fingerprint);
    expect(one!.occurrences).toBeUndefined();
  });

  it('attaches a fix shared by several findings to the first only, unless shareFixes (the fix engine)', () => {
    const shared = { description: 'd', safety: 'safe' as const, edits: [{ file: 'w.yml', start: 0, end: 1, replacement: 'x' }] };
    const rule: Rule<Model> = {
      meta: meta('s'),
      check(_m, report) {
        report(at(1, 1, 'one', { fix: shared }));
        report(at(2, 1, 'two', { fix: shared }));
      },
    };
    expect(runRules([rule], { lines: [] }, { config: config(), online: false }).findings.map((f) => f.fix)).toEqual([shared, undefined]);
    expect(runRules([rule], { lines: [] }, { config: config(), online: false, shareFixes: true }).findings.map((f) => f.fix)).toEqual([shared, shared]);
  });

  it('does not merge two rules that report the same place and route', () => {
    const model = { lines: ['3:1:x'] };
    expect(brief(runRules([lineRule('a'), lineRule('b')], model, { config: config(), online: false })).findings).toEqual(['a 3:1 medium/high m3', 'b 3:1 medium/high m3']);
  });

  it('runs online rules only with --online', () => {
    const rules = [lineRule('offline'), lineRule('net', { online: true })];
    const model = { lines: ['1:1:x'] };
    expect(brief(runRules(rules, model, { config: config(), online: false })).findings).toEqual(['offline 1:1 medium/high m1']);
    expect(brief(runRules(rules, model, { config: config(), online: true })).findings).toEqual(['offline 1:1 medium/high m1', 'net 1:1 medium/high m1']);
  });

  it('skips rules disabled in the config and hands the others their options', () => {
    const seen: unknown[] = [];
    const withOptions: Rule<Model> = { meta: meta('opts'), check: (_m, _r, options) => void seen.push(options) };
    const r = runRules([lineRule('off'), withOptions], { lines: ['1:1:x'] }, { config: config({ off: { enabled: false }, opts: { options: { depth: 3 } } }), online: false });
    expect(brief(r)).toEqual({ findings: [], diagnostics: [] });
    expect(seen).toEqual([{ depth: 3 }]);
  });

  it('turns a rule that throws into an error diagnostic, keeps what it reported, and runs the rest', () => {
    const broken: Rule<Model> = {
      meta: meta('broken'),
      check(_m, report) {
        report(at(4, 2, 'before'));
        throw new TypeError('cannot read x of undefined');
      },
    };
    const r = runRules([broken, lineRule('after')], { lines: ['9:9:x'] }, { config: config(), online: false });
    expect(brief(r)).toEqual({
      findings: ['broken 4:2 medium/high m4', 'after 9:9 medium/high m9'],
      diagnostics: [{ level: 'error', code: 'internal-error', file: undefined, message: 'internal error in rule broken: cannot read x of undefined' }],
    });
  });

  it('reports bad options as a config error at the config file, not as an internal error', () => {
    const picky: Rule<Model> = {
      meta: meta('picky'),
      check() {
        throw new RuleOptionsError('"depth" must be a number');
      },
    };
    expect(runRules([picky], { lines: [] }, { config: config(), online: false }).diagnostics).toEqual([
      { level: 'error', file: 'pipewarden.yml', message: 'rules.picky.options: "depth" must be a number' },
    ]);
    const thrower: Rule<Model> = { meta: meta('t'), check: () => { throw 'plain string'; } };
    expect(runRules([thrower], { lines: [] }, { config: config(), online: false }).diagnostics).toEqual([{ level: 'error', code: 'internal-error', file: undefined, message: 'internal error in rule t: plain string' }]);
  });

  it('completes findings: overrides, metadata, related, fix and properties, and a line-free fingerprint', () => {
    const rule: Rule<Model> = {
      meta: meta('full', { severity: 'low', confidence: 'low' }),
      check(_m, report) {
        report(at(1, 1, 'route-1', { severity: 'critical', properties: { k: 1 } }));
        report(at(7, 1, 'route-2', { confidence: 'medium', related: [{ file: 'w.yml', startLine: 2, startColumn: 1, endLine: 2, endColumn: 4, message: 'from here' }] }));
      },
    };
    const [a, b] = runRules([rule], { lines: [] }, { config: config(), online: false }).findings;
    expect([a!.severity, a!.confidence, a!.properties, a!.related, a!.owasp, a!.cwe, 'fix' in a!]).toEqual(['critical', 'low', { k: 1 }, [], ['CICD-SEC-4'], ['CWE-94'], false]);
    expect([b!.severity, b!.confidence, b!.related.length, 'properties' in b!]).toEqual(['low', 'medium', 1, false]);
    expect(a!.fingerprint).toMatch(/^[0-9a-f]{16,}$/);
    expect(b!.fingerprint).not.toBe(a!.fingerprint);
  });
});
