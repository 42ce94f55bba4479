/** AST of GitHub Actions expressions (`${{ ... }}`), offsets relative to the expression text. */
export type Expr =
  | { type: 'literal'; value: string | number | boolean | null; start: number; end: number }
  | { type: 'ident'; name: string; start: number; end: number }
  | { type: 'member'; object: Expr; property: string; start: number; end: number }
  | { type: 'index'; object: Expr; index: Expr; start: number; end: number }
  | { type: 'star'; object: Expr; start: number; end: number }
  | { type: 'call'; callee: string; args: Expr[]; start: number; end: number }
  | { type: 'unary'; op: '!'; operand: Expr; start: number; end: number }
  | { type: 'binary'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: Expr; right: Expr; start: number; end: number }
  | { type: 'logical'; op: '&&' | '||'; left: Expr; right: Expr; start: number; end: number };

export class ExpressionError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/**
 * The dotted path of a context access, lower-cased (contexts are case-insensitive), with `*` for
 * wildcards and numeric/unknown indexes. Undefined when the expression is not a pure access.
 * `github.event.commits[0].message` → `github.event.commits.*.message`.
 */
export function contextPath(e: Expr): string[] | undefined {
  switch (e.type) {
    case 'ident':
      return [e.name.toLowerCase()];
    case 'member': {
      const base = contextPath(e.object);
      return base ? [...base, e.property.toLowerCase()] : undefined;
    }
    case 'star': {
      const base = contextPath(e.object);
      return base ? [...base, '*'] : undefined;
    }
    case 'index': {
      const base = contextPath(e.object);
      if (!base) return undefined;
      if (e.index.type === 'literal' && typeof e.index.value === 'string') return [...base, e.index.value.toLowerCase()];
      return [...base, '*'];
    }
    default:
      return undefined;
  }
}

/** Visits every node, parents first. */
export function walkExpr(e: Expr, visit: (node: Expr) => void): void {
  visit(e);
  switch (e.type) {
    case 'member':
    case 'star':
      walkExpr(e.object, visit);
      break;
    case 'index':
      walkExpr(e.object, visit);
      walkExpr(e.index, visit);
      break;
    case 'call':
      for (const a of e.args) walkExpr(a, visit);
      break;
    case 'unary':
      walkExpr(e.operand, visit);
      break;
    case 'binary':
    case 'logical':
      walkExpr(e.left, visit);
      walkExpr(e.right, visit);
      break;
    default:
      break;
  }
}
