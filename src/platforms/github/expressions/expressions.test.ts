import { describe, expect, it } from 'vitest';
import { parseExpression } from './parser.js';
import { contextPath, ExpressionError } from './ast.js';
import { evaluate, truthiness, truthy, UNKNOWN } from './evaluate.js';
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


// Each row is [expression, value GitHub's runner gives it]; the semantics follow the runner's
// expression engine (loose equality with number coercion, ordinal case-insensitive strings).
describe('GitHub expression semantics, one row at a time', () => {
  const table = (rows: Array<[string, unknown]>) => expect(rows.map(([src]) => [src, ev(src)])).toEqual(rows);

  it('truthiness of values: false, 0, -0, NaN, empty string and null are falsy; nothing else is', () => {
    expect([false, 0, -0, NaN, '', null].map(truthy)).toEqual([false, false, false, false, false, false]);
    expect([true, 1, -1, 0.5, '0', 'false', ' ', 'null'].map(truthy)).toEqual([true, true, true, true, true, true, true, true]);
  });

  it('== and != coerce mismatched types to numbers; strings compare ignoring case', () => {
    table([
      ["'1' == 1", true],
      ["1 == '1'", true],
      ["'1.0' == 1", true],
      ["' 2 ' == 2", true],
      ["'abc' == 0", false],
      ["'' == 0", true],
      ['null == 0', true],
      ["null == ''", true],
      ['null == null', true],
      ['null == false', true],
      ['true == 1', true],
      ['true == 2', false],
      ["true == '1'", true],
      ["false == ''", true],
      ['false == 0', true],
      ['true == true', true],
      ['true == false', false],
      ["'Refs/Heads/Main' == 'refs/heads/main'", true],
      ["'main' == 'main2'", false],
      ["'main' != 'MAIN'", false],
      ["'1' != 1", false],
      ["'a' != 1", true],
      ['1 != 2', true],
    ]);
  });

  it('orders numbers, coerced values and strings like the runner (NaN compares false)', () => {
    table([
      ['1 < 2', true],
      ['2 < 1', false],
      ['2 < 2', false],
      ['2 <= 2', true],
      ['3 <= 2', false],
      ['3 > 2', true],
      ['2 > 2', false],
      ['2 >= 2', true],
      ['1 >= 2', false],
      ["'10' > 9", true],
      ["'10' < 9", false],
      ['null < 1', true],
      ['null >= 0', true],
      ['true > false', true],
      ['false >= true', false],
      ["'abc' < 1", false],
      ["'abc' >= 1", false],
      ["'abc' > 1", false],
      ["'abc' <= 1", false],
      // two strings: ordinal, ignoring case (a regression: these were compared as numbers, NaN)
      ["'abc' < 'abd'", true],
      ["'abd' < 'abc'", false],
      ["'B' > 'a'", true],
      ["'a' >= 'B'", false],
      ["'abc' <= 'ABC'", true],
      ["'abc' >= 'ABC'", true],
      ["'abc' < 'ABC'", false],
      ["'abc' > 'ABC'", false],
      ["'_' > 'a'", true],
      ["'10' < '9'", true],
      ["9 < '10'", true],
      ["10 <= 'abc'", false],
    ]);
    expect(ev('github.run_number > 1')).toBe(UNKNOWN);
    expect(ev("1 < github.event.issue.title")).toBe(UNKNOWN);
  });

  it('! negates truthiness, and keeps an unknown operand unknown', () => {
    table([
      ["!''", true],
      ['!0', true],
      ['!null', true],
      ["!'false'", false],
      ['!1', false],
      ['!!1', true],
      ['!github.ref', UNKNOWN],
    ]);
    expect(truthiness(parseExpression('!github.ref'))).toBe(UNKNOWN);
    expect(truthiness(parseExpression("!'x'"))).toBe(false);
    expect(truthiness(parseExpression('!(false && github.ref)'))).toBe(true);
  });

  it('&& and || yield one of their operands, not a boolean', () => {
    table([
      ["'a' && 'b'", 'b'],
      ["'' && 'b'", ''],
      ["0 && 'b'", 0],
      ['null || 0', 0],
      ["'a' || 'b'", 'a'],
      ["0 || ''", ''],
      ["'a' && github.ref", UNKNOWN],
      ["'' || github.ref", UNKNOWN],
    ]);
  });

  it('truthiness short-circuits on a known left side, and on a known right side when it decides', () => {
    const t = (src: string) => truthiness(parseExpression(src));
    expect(['false && github.ref', 'true || github.ref', "github.ref && ''", 'github.ref || 1', 'github.ref && true', 'github.ref || false', "'x' && github.ref", "'' || github.ref", "'' || 'y'", "'x' && 0"].map(t)).toEqual([
      false,
      true,
      false,
      true,
      UNKNOWN,
      UNKNOWN,
      UNKNOWN,
      UNKNOWN,
      true,
      false,
    ]);
  });

  it('string functions ignore case and treat null as an empty string; format fills every {n}', () => {
    table([
      ["contains('Hello World', 'WORLD')", true],
      ["contains('Hello', 'bye')", false],
      ["contains(null, '')", true],
      ["startsWith('Release/1.2', 'release/')", true],
      ["startsWith('release/1.2', '1.2')", false],
      ["endsWith('v1.2.3-RC', '-rc')", true],
      ["endsWith('v1.2.3-rc', 'v1')", false],
      ["format('{0}/{1}/{0}', 'a', 'b')", 'a/b/a'],
      ["format('{10}{1}', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 'ten')", 'ten1'],
      ["format('[{0}]', null)", '[]'],
      ["format('{0}', true)", 'true'],
      ['format(github.ref)', UNKNOWN],
      ["hashFiles('**/package-lock.json')", UNKNOWN],
      ["fromJSON('{}')", UNKNOWN],
    ]);
  });

  it('reads contexts from known facts by exact value, through any access syntax', () => {
    const facts = { values: new Map<string, string | number | boolean | null>([['github.event_name', 'push'], ['github.event.forced', false], ['vars', 'x'], ['github.run_attempt', 2]]) };
    const known = (src: string) => evaluate(parseExpression(src), facts);
    expect(['github.event_name', "github['EVENT_NAME']", 'github.event.forced', 'vars', 'github.run_attempt > 1', 'github.ref', "github.event_name == 'PUSH'"].map(known)).toEqual([
      'push',
      'push',
      false,
      'x',
      true,
      UNKNOWN,
      true,
    ]);
  });

  it('uses a known prefix on either side of == and in startsWith, and nowhere else', () => {
    const facts = { prefixes: new Map([['github.ref', 'refs/tags/']]) };
    const known = (src: string) => evaluate(parseExpression(src), facts);
    expect(
      [
        "'refs/heads/main' == github.ref",
        "github.ref != 'refs/heads/main'",
        "github.ref == 'refs/tags/v1'",
        "github.ref == 'REFS/TAGS/v1'",
        "startsWith(github.ref, 'refs/')",
        "startsWith(github.ref, 'REFS/TAGS/')",
        "startsWith(github.ref, 'refs/tags/v')",
        "startsWith(github.ref, 'refs/heads/')",
        'startsWith(github.ref, inputs.prefix)',
        "startsWith(github.ref, 'refs/tags/') && 'tag'",
        "contains(github.ref, 'refs/heads/')",
        "endsWith(github.ref, 'refs/heads/')",
        "github.ref < 'refs/heads/'",
        'github.ref == 1',
        'github.ref != github.head_ref',
        'github.event.commits.*.message',
      ].map(known),
    ).toEqual([false, true, UNKNOWN, UNKNOWN, true, true, UNKNOWN, false, UNKNOWN, 'tag', UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN]);
  });
});
