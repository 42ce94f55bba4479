import { describe, expect, it } from 'vitest';
import { parseExpression } from './parser.js';
import { contextPath, ExpressionError } from './ast.js';
import { evaluate, truthiness, UNKNOWN } from './evaluate.js';
import { findTemplates } from './extract.js';

const path = (src: string) => contextPath(parseExpression(src))?.join('.');
const ev = (src: string) => evaluate(parseExpression(src));

describe('expression parser', () => {
  it('parses context access with dots, indexes and wildcards', () => {
    expect(path('github.event.issue.title')).toBe('github.event.issue.title');
    expect(path("github['event'].Issue['TITLE']")).toBe('github.event.issue.title');
    expect(path('github.event.commits[0].message')).toBe('github.event.commits.*.message');
    expect(path('github.event.commits.*.message')).toBe('github.event.commits.*.message');
    expect(path('steps.my-step.outputs.value')).toBe('steps.my-step.outputs.value');
    expect(path('contains(a, b)')).toBeUndefined();
  });

  it('respects precedence: ! > comparison > && > ||', () => {
    expect(parseExpression('a || b && !c == d')).toMatchObject({
      type: 'logical',
      op: '||',
      left: { type: 'ident', name: 'a' },
      right: { type: 'logical', op: '&&', left: { type: 'ident', name: 'b' }, right: { type: 'binary', op: '==', left: { type: 'unary', op: '!' }, right: { type: 'ident', name: 'd' } } },
    });
  });

  it('reads literals: strings with escaped quotes, numbers, hex, booleans, null', () => {
    expect(ev("'it''s'")).toBe("it's");
    expect(ev('0xff')).toBe(255);
    expect(ev('-1.5e2')).toBe(-150);
    expect(ev('true')).toBe(true);
    expect(ev('null')).toBe(null);
  });

  it('reports errors with offsets', () => {
    expect(() => parseExpression('github.event.')).toThrow(ExpressionError);
    expect(() => parseExpression("'open")).toThrow(/unterminated string/);
    expect(() => parseExpression('a b')).toThrow(/unexpected "b" after expression/);
    expect(() => parseExpression('a ~ b')).toThrow(/unexpected character "~"/);
    let offset: number | undefined;
    try {
      parseExpression('foo(a,');
    } catch (e) {
      offset = (e as ExpressionError).offset;
    }
    expect(offset).toBe(6);
  });

  it('refuses pathological nesting instead of overflowing the stack', () => {
    expect(() => parseExpression('('.repeat(5000) + 'a' + ')'.repeat(5000))).toThrow(/nested too deeply/);
    expect(() => parseExpression('!'.repeat(5000) + 'a')).toThrow(/nested too deeply/);
  });
});

describe('constant folding', () => {
  it('folds operators and pure functions, with GitHub semantics', () => {
    expect(ev("'ABC' == 'abc'")).toBe(true); // string comparison ignores case
    expect(ev("1 == '1'")).toBe(true);
    expect(ev("contains('refs/heads/main', 'MAIN')")).toBe(true);
    expect(ev("startsWith('abc', 'a') && 'x'")).toBe('x');
    expect(ev("format('{0}-{1}', 'a', 2)")).toBe('a-2');
    expect(ev("'' || 0 || 'fallback'")).toBe('fallback');
  });

  it('keeps runtime values unknown, but short-circuits where it can', () => {
    expect(ev('github.ref == "x"'.replace(/"/g, "'"))).toBe(UNKNOWN);
    expect(ev('success()')).toBe(UNKNOWN);
    expect(ev('false && github.ref')).toBe(false);
    // The value of `x || true` is x when x is truthy: unknown; only its truthiness is known.
    expect(ev('github.ref || true')).toBe(UNKNOWN);
    expect(ev('github.ref && false')).toBe(UNKNOWN);
    expect(ev("inputs.plan != '' && fromJson(inputs.plan).tag || 'dry-run'")).toBe(UNKNOWN);
    expect(truthiness(parseExpression('github.ref || true'))).toBe(true);
    expect(truthiness(parseExpression('github.ref && false'))).toBe(false);
    expect(truthiness(parseExpression('!(github.ref || true)'))).toBe(false);
    expect(truthiness(parseExpression('github.ref || false'))).toBe(UNKNOWN);
  });
});

describe('findTemplates', () => {
  it('finds every template with offsets and skips }} inside strings', () => {
    const ts = findTemplates("a ${{ x }} b ${{ format('}}', y) }} c");
    expect(ts.map((t) => [t.start, t.end, t.inner.trim()])).toEqual([
      [2, 10, 'x'],
      [13, 35, "format('}}', y)"],
    ]);
  });

  it('reports an unterminated template', () => {
    const ts = findTemplates('echo ${{ github.sha');
    expect(ts).toHaveLength(1);
    expect(ts[0]!.error?.message).toBe('unterminated "${{"');
  });
});

describe('evaluation with known context facts', () => {
  const facts = { values: new Map([['github.event_name', 'push'], ['github.ref_type', 'tag']]), prefixes: new Map([['github.ref', 'refs/tags/']]) };
  const inTagPush = (src: string) => truthiness(parseExpression(src), facts);
  it('uses exact values and known prefixes, and stays unknown otherwise', () => {
    expect(inTagPush("!startsWith(github.ref, 'refs/tags/')")).toBe(false);
    expect(inTagPush("startsWith(github.ref, 'refs/tags/v')")).toBe(UNKNOWN);
    expect(inTagPush("startsWith(github.ref, 'refs/heads/')")).toBe(false);
    expect(inTagPush("github.ref == 'refs/heads/main'")).toBe(false);
    expect(inTagPush("github.ref != 'refs/heads/main'")).toBe(true);
    expect(inTagPush("github.event_name == 'pull_request' || github.ref_type != 'tag'")).toBe(false);
    expect(inTagPush("github.event_name == 'push' && inputs.x")).toBe(UNKNOWN);
    expect(truthiness(parseExpression("github.event_name == 'push'"))).toBe(UNKNOWN);
  });
});

