import type { Rule } from '../../../core/rule.js';
import type { Location } from '../../../core/finding.js';
import { walkExpr, type Expr } from '../../../platforms/github/expressions/ast.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { parseCondition, scalarSites } from '../../../platforms/github/permissions.js';
import { loc, templatesIn } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'overprovisioned-secrets',
    title: 'Whole secrets context sent to the runner',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-200'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    // Composite actions cannot read `secrets`; only workflows can.
    for (const wf of model.workflows) {
      for (const site of scalarSites(wf.root)) {
        const where = site.jobId ? `job "${site.jobId}"` : 'every job of the workflow';
        const exprs: Array<{ ast: Expr; text: string; location: Location }> = templatesIn(wf.source, site.scalar)
          .filter((t) => t.ast)
          .map((t) => ({ ast: t.ast!, text: t.inner, location: t.location }));
        if (site.isCondition && exprs.length === 0) {
          const cond = parseCondition(site.scalar);
          if (cond) exprs.push({ ast: cond, text: String(site.scalar.value), location: loc(wf.source, site.scalar) });
        }
        for (const e of exprs) {
          const use = wholeSecretsUse(e.ast);
          if (!use) continue;
          const shown = e.text.slice(use.node.start, use.node.end).trim();
          const why =
            use.kind === 'dynamic'
              ? 'picks a secret by a computed name, so GitHub sends every secret to the runner of'
              : 'reads the whole secrets context, so GitHub sends every secret to the runner of';
          const fix =
            use.kind === 'dynamic'
              ? 'reference each secret by its name, or use environment secrets that share one name'
              : 'reference only the secrets it needs as secrets.NAME';
          report({
            message: `"${shown}" ${why} ${where}; ${fix}`,
            location: e.location,
            route: `${site.route}:${shown}`,
          });
        }
      }
    }
  },
};

export interface SecretsUse {
  kind: 'whole' | 'dynamic';
  /** The construct to show: `toJSON(secrets)`, `secrets[matrix.name]`, `secrets.*`. */
  node: Expr;
}

/**
 * First use of `secrets` that is not a static member: `secrets.X` and `secrets['X']` are fine;
 * `secrets[expr]`, `secrets.*` and `secrets` passed to a function or operator are not.
 */
export function wholeSecretsUse(ast: Expr): SecretsUse | undefined {
  const parents = new Map<Expr, Expr>();
  walkExpr(ast, (n) => {
    if (n.type === 'member' || n.type === 'star' || n.type === 'index') parents.set(n.object, n);
    if (n.type === 'index') parents.set(n.index, n);
    if (n.type === 'call') for (const a of n.args) parents.set(a, n);
    if (n.type === 'unary') parents.set(n.operand, n);
    if (n.type === 'binary' || n.type === 'logical') {
      parents.set(n.left, n);
      parents.set(n.right, n);
    }
  });
  let found: SecretsUse | undefined;
  walkExpr(ast, (n) => {
    if (found || n.type !== 'ident' || n.name.toLowerCase() !== 'secrets') return;
    const p = parents.get(n);
    if (p?.type === 'member') return;
    if (p?.type === 'index' && p.object === n) {
      if (p.index.type === 'literal' && typeof p.index.value === 'string') return;
      found = { kind: 'dynamic', node: p };
      return;
    }
    if (p?.type === 'star') {
      found = { kind: 'whole', node: p };
      return;
    }
    found = { kind: 'whole', node: p && p.type === 'call' ? p : n };
  });
  return found;
}
