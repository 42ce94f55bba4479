import type { Rule } from '../../../core/rule.js';
import type { Location } from '../../../core/finding.js';
import { contextPath, walkExpr, type Expr } from '../../../platforms/github/expressions/ast.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { scalarSites } from '../../../platforms/github/permissions.js';
import { templatesIn } from '../util.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'unredacted-secrets',
    title: 'Value derived from a secret escapes log masking',
    platform: 'github',
    severity: 'medium',
    confidence: 'high',
    owasp: ['CICD-SEC-6', 'CICD-SEC-10'],
    cwe: ['CWE-532'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) {
      for (const site of scalarSites(wf.root)) {
        const where = site.jobId ? `job "${site.jobId}"` : 'the workflow';
        // Secrets cannot appear in `if:`, so only `${{ }}` templates matter.
        const exprs: Array<{ ast: Expr; text: string; location: Location }> = templatesIn(wf.source, site.scalar)
          .filter((t) => t.ast)
          .map((t) => ({ ast: t.ast!, text: t.inner, location: t.location }));
        for (const e of exprs) {
          const d = parsedSecret(e.ast);
          if (!d) continue;
          const shown = e.text.slice(d.node.start, d.node.end).trim();
          const message = d.field
            ? `"${shown}" in ${where} is a field parsed out of secret ${d.secret}, and GitHub only masks the secret's whole value in logs; store the field as its own secret`
            : `"${shown}" in ${where} parses secret ${d.secret} into values that GitHub does not mask in logs; store each field as its own secret`;
          report({ message, location: e.location, route: `${site.route}:${shown}` });
        }
      }
    }
  },
};

export interface ParsedSecret {
  /** Outermost expression derived from the parsed secret (`fromJSON(secrets.X).a.b`). */
  node: Expr;
  /** Secret name as written. */
  secret: string;
  /** A field of the parsed value is taken (rather than the whole parsed object). */
  field: boolean;
}

/** First `fromJSON(<something reading a secret>)`, with the member/index chain applied to it. */
export function parsedSecret(ast: Expr): ParsedSecret | undefined {
  const parents = new Map<Expr, Expr>();
  walkExpr(ast, (n) => {
    if (n.type === 'member' || n.type === 'star' || n.type === 'index') parents.set(n.object, n);
  });
  let found: ParsedSecret | undefined;
  walkExpr(ast, (n) => {
    if (found || n.type !== 'call' || n.callee !== 'fromjson' || n.args.length !== 1) return;
    let secret: string | undefined;
    walkExpr(n.args[0]!, (a) => {
      const p = contextPath(a);
      if (!secret && p && p[0] === 'secrets' && p.length === 2 && p[1] !== '*') {
        secret = a.type === 'member' ? a.property : p[1]!.toUpperCase();
      }
    });
    if (!secret) return;
    let top: Expr = n;
    for (let p = parents.get(top); p; p = parents.get(top)) top = p;
    found = { node: top, secret, field: top !== n };
  });
  return found;
}
