import type { Confidence, Fix, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { PRIVILEGED_TRIGGERS } from '../../../platforms/github/contexts.js';
import type { Expr } from '../../../platforms/github/expressions/ast.js';
import { taintOfExpr } from '../../../platforms/github/taint.js';
import { conditionScope, conditionSites, exprLocation, exprText, type ConditionSite } from '../../../platforms/github/conditions.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'unsound-contains',
    title: 'contains() used as an exact match on a string',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-697'],
    fixable: true,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of conditionSites(model)) {
      if (site.condition.kind !== 'expression') continue;
      for (const call of substringChecks(site.condition.expr)) {
        const [hay, needle] = call.args as [Expr & { type: 'literal'; value: string }, Expr];
        const needleText = exprText(site, needle);
        const items = hay.value.split(/[\s,;|]+/).filter(Boolean);
        if (items.length === 0) continue;
        const json = JSON.stringify(items).replace(/'/g, "''");
        const origins = taintOfExpr(needle, conditionScope(model, site));
        const high = origins.find((o) => o.strength === 'high');
        const severity: Severity = high && high.via.some((v) => PRIVILEGED_TRIGGERS.has(v) || v === 'workflow_call') ? 'high' : 'medium';
        const confidence: Confidence = origins.length > 0 ? 'high' : 'medium';
        const who = origins.length > 0 ? `attacker-controlled ${needleText}` : needleText;
        report({
          message: `${site.label} checks ${who} with contains() against the string '${hay.value}', which matches any substring such as '${partial(items[0]!)}'; use contains(fromJSON('${json}'), ${needleText}) for an exact match`,
          location: exprLocation(site, call),
          severity,
          confidence,
          route: `${site.route}:${exprText(site, call).replace(/\s+/g, ' ')}`,
          fix: fixFor(site, hay, json),
        });
      }
    }
  },
};

/** `contains('a b', x)` with a string literal haystack and a non-constant needle, where a match grants. */
export function substringChecks(e: Expr): Array<Expr & { type: 'call' }> {
  const out: Array<Expr & { type: 'call' }> = [];
  const visit = (n: Expr, positive: boolean): void => {
    switch (n.type) {
      case 'logical':
        visit(n.left, positive);
        visit(n.right, positive);
        return;
      case 'unary':
        visit(n.operand, !positive);
        return;
      case 'binary':
        // contains(...) == true / != false keep the polarity; other comparisons are left alone.
        for (const [a, b] of [[n.left, n.right], [n.right, n.left]] as const) {
          if (b.type === 'literal' && typeof b.value === 'boolean') visit(a, (n.op === '==') === b.value ? positive : !positive);
        }
        return;
      case 'call':
        if (n.callee === 'contains' && positive && n.args.length === 2) {
          const [hay, needle] = n.args as [Expr, Expr];
          if (hay.type === 'literal' && typeof hay.value === 'string' && needle.type !== 'literal' && !isConstant(needle)) out.push(n);
        }
        return;
      default:
        return;
    }
  };
  visit(e, true);
  return out;
}

function isConstant(e: Expr): boolean {
  if (e.type === 'literal') return true;
  if (e.type === 'call') return e.args.every(isConstant) && ['format', 'tojson', 'fromjson'].includes(e.callee);
  return false;
}

/** A value that is not in the list but is a substring of it: the first item cut short. */
function partial(item: string): string {
  return item.length > 4 ? item.slice(0, item.length - 3) : item.slice(0, Math.max(1, item.length - 1));
}

/** Rewrites the literal to fromJSON of the same items; unsafe because it assumes space-separated items. */
function fixFor(site: ConditionSite, hay: Expr, json: string): Fix | undefined {
  if (site.condition.kind !== 'expression' || !site.scalar.range) return undefined;
  // Inside quoted YAML the JSON double quotes would need escaping; offer the fix for plain and block values only.
  if (site.scalar.type !== 'PLAIN' && site.scalar.type !== 'BLOCK_LITERAL' && site.scalar.type !== 'BLOCK_FOLDED') return undefined;
  const base = site.condition.offset;
  const start = site.text.offset(base + hay.start);
  const end = site.text.offset(base + hay.end - 1) + 1;
  return {
    description: 'compare against a fromJSON() list instead of a string',
    safety: 'unsafe',
    edits: [{ file: site.source.path, start, end, replacement: `fromJSON('${json}')` }],
    intents: [{ at: site.scalar.range[0] }], // only this condition's text changes
  };
}
