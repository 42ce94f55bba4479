import { ExpressionError, type Expr } from './ast.js';

type Tok =
  | { k: 'num'; v: number; s: number; e: number }
  | { k: 'str'; v: string; s: number; e: number }
  | { k: 'id'; v: string; s: number; e: number }
  | { k: 'op'; v: string; s: number; e: number }
  | { k: 'eof'; s: number; e: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ',', '*'];
const MAX_LENGTH = 64 * 1024;
const MAX_DEPTH = 200;

export function tokenize(src: string): Tok[] {
  if (src.length > MAX_LENGTH) throw new ExpressionError('expression is too long', 0);
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ExpressionError('unterminated string literal', start);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      toks.push({ k: 'str', v, s: start, e: i });
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|0o[0-7]+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(src.slice(i, i + 64));
    if (num && (/[0-9.]/.test(c) || ((c === '-' || c === '+') && /[0-9.]/.test(src[i + 1] ?? '')))) {
      const text = num[0];
      const v = text.startsWith('0o') ? parseInt(text.slice(2), 8) : Number(text);
      i += text.length;
      toks.push({ k: 'num', v, s: start, e: i });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_-]/.test(src[i]!)) i++;
      toks.push({ k: 'id', v: src.slice(start, i), s: start, e: i });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected character "${c}"`, i);
    i += op.length;
    toks.push({ k: 'op', v: op, s: start, e: i });
  }
  toks.push({ k: 'eof', s: src.length, e: src.length });
  return toks;
}

/** Recursive-descent parser for the GitHub Actions expression grammar. */
export function parseExpression(src: string): Expr {
  const toks = tokenize(src);
  let p = 0;
  let depth = 0;
  const peek = (): Tok => toks[p]!;
  const isOp = (v: string): boolean => {
    const t = peek();
    return t.k === 'op' && t.v === v;
  };
  const expectOp = (v: string): Tok => {
    const t = peek();
    if (t.k !== 'op' || t.v !== v) throw new ExpressionError(`expected "${v}"`, t.s);
    p++;
    return t;
  };
  const enter = (at: number): void => {
    if (++depth > MAX_DEPTH) throw new ExpressionError('expression nested too deeply', at);
  };

  const orExpr = (): Expr => {
    let left = andExpr();
    while (isOp('||')) {
      p++;
      const right = andExpr();
      left = { type: 'logical', op: '||', left, right, start: left.start, end: right.end };
    }
    return left;
  };
  const andExpr = (): Expr => {
    let left = cmpExpr();
    while (isOp('&&')) {
      p++;
      const right = cmpExpr();
      left = { type: 'logical', op: '&&', left, right, start: left.start, end: right.end };
    }
    return left;
  };
  const cmpExpr = (): Expr => {
    let left = unary();
    for (;;) {
      const t = peek();
      if (t.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
        p++;
        const right = unary();
        left = { type: 'binary', op: t.v as '==', left, right, start: left.start, end: right.end };
      } else return left;
    }
  };
  const unary = (): Expr => {
    const t = peek();
    if (t.k === 'op' && t.v === '!') {
      p++;
      enter(t.s);
      const operand = unary();
      depth--;
      return { type: 'unary', op: '!', operand, start: t.s, end: operand.end };
    }
    return postfix(primary());
  };
  const postfix = (base: Expr): Expr => {
    let e = base;
    for (;;) {
      if (isOp('.')) {
        p++;
        const t = peek();
        if (t.k === 'op' && t.v === '*') {
          p++;
          e = { type: 'star', object: e, start: e.start, end: t.e };
        } else if (t.k === 'id') {
          p++;
          e = { type: 'member', object: e, property: t.v, start: e.start, end: t.e };
        } else if (t.k === 'num' && Number.isInteger(t.v)) {
          // `steps.build.outputs.1` is unusual but legal-looking; treat as a property name.
          p++;
          e = { type: 'member', object: e, property: String(t.v), start: e.start, end: t.e };
        } else throw new ExpressionError('expected a property name after "."', t.s);
      } else if (isOp('[')) {
        const open = peek();
        p++;
        enter(open.s);
        if (isOp('*')) {
          p++;
          const close = expectOp(']');
          e = { type: 'star', object: e, start: e.start, end: close.e };
        } else {
          const index = orExpr();
          const close = expectOp(']');
          e = { type: 'index', object: e, index, start: e.start, end: close.e };
        }
        depth--;
      } else return e;
    }
  };
  const primary = (): Expr => {
    const t = peek();
    if (t.k === 'num') {
      p++;
      return { type: 'literal', value: t.v, start: t.s, end: t.e };
    }
    if (t.k === 'str') {
      p++;
      return { type: 'literal', value: t.v, start: t.s, end: t.e };
    }
    if (t.k === 'id') {
      p++;
      if (t.v === 'true' || t.v === 'false') return { type: 'literal', value: t.v === 'true', start: t.s, end: t.e };
      if (t.v === 'null') return { type: 'literal', value: null, start: t.s, end: t.e };
      if (t.v === 'NaN' || t.v === 'Infinity') return { type: 'literal', value: Number(t.v), start: t.s, end: t.e };
      if (isOp('(')) {
        p++;
        enter(t.s);
        const args: Expr[] = [];
        if (!isOp(')')) {
          args.push(orExpr());
          while (isOp(',')) {
            p++;
            args.push(orExpr());
          }
        }
        const close = expectOp(')');
        depth--;
        return { type: 'call', callee: t.v.toLowerCase(), args, start: t.s, end: close.e };
      }
      return { type: 'ident', name: t.v, start: t.s, end: t.e };
    }
    if (t.k === 'op' && t.v === '(') {
      p++;
      enter(t.s);
      const inner = orExpr();
      expectOp(')');
      depth--;
      return inner;
    }
    if (t.k === 'eof') throw new ExpressionError('unexpected end of expression', t.s);
    throw new ExpressionError(`unexpected "${(t as Tok).k === 'op' ? (t as { v: string }).v : src.slice((t as Tok).s, (t as Tok).e)}"`, (t as Tok).s);
  };

  const e = orExpr();
  const rest = peek();
  if (rest.k !== 'eof') throw new ExpressionError(`unexpected "${src.slice(rest.s, rest.e)}" after expression`, rest.s);
  return e;
}
