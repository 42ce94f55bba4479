import { ExpressionError, type Expr } from './ast.js';
import { parseExpression } from './parser.js';

export interface Template {
  /** Offsets in the containing string: `start` at `$`, `end` after the closing `}}`. */
  start: number;
  end: number;
  /** The text between `${{` and `}}`. */
  inner: string;
  /** Offset of `inner` in the containing string. */
  innerStart: number;
  ast?: Expr;
  error?: ExpressionError;
}

/** Finds every `${{ ... }}` in a string, skipping `}}` inside quoted string literals. */
export function findTemplates(text: string): Template[] {
  const out: Template[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('${{', from);
    if (open === -1) return out;
    let i = open + 3;
    let inString = false;
    let close = -1;
    while (i < text.length) {
      const c = text[i];
      if (c === "'") inString = !inString;
      else if (!inString && c === '}' && text[i + 1] === '}') {
        close = i;
        break;
      }
      i++;
    }
    if (close === -1) {
      out.push({ start: open, end: text.length, inner: text.slice(open + 3), innerStart: open + 3, error: new ExpressionError('unterminated "${{"', 0) });
      return out;
    }
    const inner = text.slice(open + 3, close);
    const t: Template = { start: open, end: close + 2, inner, innerStart: open + 3 };
    try {
      t.ast = parseExpression(inner);
    } catch (e) {
      t.error = e instanceof ExpressionError ? e : new ExpressionError(String(e), 0);
    }
    out.push(t);
    from = close + 2;
  }
}

/**
 * Parses an `if:` condition or an input toggle given as text: a bare expression, or one `${{ }}`
 * wrapping the whole value. Undefined when empty, unparsable, or text mixed with templates.
 */
export function parseConditionText(raw: string | undefined): Expr | undefined {
  const text = raw?.trim();
  if (text === undefined || text === '') return undefined;
  try {
    if (!text.includes('${{')) return parseExpression(text);
    const ts = findTemplates(text);
    if (ts.length === 1 && ts[0]!.start === 0 && ts[0]!.end === text.length) return ts[0]!.ast;
  } catch {
    return undefined;
  }
  return undefined;
}
