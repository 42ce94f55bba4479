import type { Rule } from '../../../core/rule.js';
import { walkExpr, type Expr } from '../../../platforms/github/expressions/ast.js';
import { findTemplates } from '../../../platforms/github/expressions/extract.js';
import type { GithubModel, Workflow } from '../../../platforms/github/model.js';
import { findWorkflow, parseCondition, scalarSites } from '../../../platforms/github/permissions.js';
import { loc, related } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'secrets-inherit',
    title: 'Reusable workflow called with every secret',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-200', 'CWE-272'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) {
      for (const job of wf.jobs) {
        if (!job.uses || !job.secrets?.inherit) continue;
        const target = job.uses.raw.trim();
        const callee = job.uses.kind === 'local' ? findWorkflow(model, job.uses.path) : undefined;
        let advice = 'pass only the secrets it needs under "secrets:"';
        const rel = [related(wf.source, job.uses.node, `job "${job.id}" calls ${target}`)];
        if (callee) {
          // A callee that hands everything on with its own `secrets: inherit` needs whatever its
          // callees read, which its own expressions do not show: no specific advice then.
          const forwards = callee.jobs.some((j) => j.uses !== undefined && j.secrets?.inherit === true);
          const used = forwards ? 'dynamic' : secretNames(callee);
          if (used !== 'dynamic') {
            const names = [...used].filter((n) => n !== 'GITHUB_TOKEN').sort();
            advice =
              names.length === 0
                ? 'it uses no secrets, so remove "secrets: inherit"'
                : `it uses only ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`}, so pass ${names.length === 1 ? 'that one' : 'those'} under "secrets:"`;
          }
        }
        report({
          message: `job "${job.id}" passes every repository and organization secret to ${target} with "secrets: inherit"; ${advice}`,
          location: loc(wf.source, job.secrets.node),
          related: rel,
          route: `jobs.${job.id}.secrets:inherit`,
        });
      }
    }
  },
};

/**
 * Names of `secrets.NAME` / `secrets['NAME']` the workflow reads, upper-cased (secret names are
 * case-insensitive); `dynamic` when it reads the whole context or a computed name.
 */
export function secretNames(wf: Workflow): Set<string> | 'dynamic' {
  const names = new Set<string>();
  let dynamic = false;
  const visit = (ast: Expr): void => {
    const parents = new Map<Expr, Expr>();
    walkExpr(ast, (n) => {
      if (n.type === 'member' || n.type === 'star' || n.type === 'index') parents.set(n.object, n);
      if (n.type === 'index') parents.set(n.index, n);
      if (n.type === 'call') for (const a of n.args) parents.set(a, n);
    });
    walkExpr(ast, (n) => {
      if (n.type !== 'ident' || n.name.toLowerCase() !== 'secrets') return;
      const p = parents.get(n);
      if (p?.type === 'member') names.add(p.property.toUpperCase());
      else if (p?.type === 'index' && p.object === n && p.index.type === 'literal' && typeof p.index.value === 'string') names.add(p.index.value.toUpperCase());
      else dynamic = true;
    });
  };
  for (const site of scalarSites(wf.root)) {
    const text = String(site.scalar.value);
    const templates = findTemplates(text);
    for (const t of templates) if (t.ast) visit(t.ast);
    if (site.isCondition && templates.length === 0) {
      const cond = parseCondition(site.scalar);
      if (cond) visit(cond);
    }
  }
  return dynamic ? 'dynamic' : names;
}
