import { ExpressionError, type Expr } from './ast.js';
import { parseExpression } from './parser.js';
import { templateSpans } from '../../../analysis/template-spans.js';

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

/** Finds every `${{ ... }}` in a string (`templateSpans`), skipping `}}` inside quoted string literals, and parses each. */
export function findTemplates(text: string): Template[] {
  if (!text.includes('${{')) return [];
  // Many rules look at the same strings: parse each once. Results are shared, so never mutated.
  const cached = templateCache.get(text);
  if (cached) return cached;
  const found = findTemplatesUncached(text);
  if (templateCache.size >= 8192) templateCache.clear();
  templateCache.set(text, found);
  return found;
}

const templateCache = new Map<string, Template[]>();

function findTemplatesUncached(text: string): Template[] {
  return templateSpans(text).map(({ start, end, closed }) => {
    if (!closed) return { start, end, inner: text.slice(start + 3), innerStart: start + 3, error: new ExpressionError('unterminated "${{"', 0) };
    const inner = text.slice(start + 3, end - 2);
    const t: Template = { start, end, inner, innerStart: start + 3 };
    try {
      t.ast = parseExpression(inner);
    } catch (e) {
      t.error = e instanceof ExpressionError ? e : new ExpressionError(String(e), 0);
    }
    return t;
  });
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
