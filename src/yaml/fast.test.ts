import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { fastParseDocument, plainShortcutEnabled } from './fast.js';
import { loadYaml } from './load.js';

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: true, version: '1.2', keepSourceTokens: false } as const;
const PROPS = ['range', 'value', 'type', 'source', 'format', 'minFractionDigits', 'flow', 'tag', 'anchor'] as const;

/** First difference between two trees (every property the model builders and fixes read), or undefined. */
function difference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (a === null || b === null) return a === b ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: different classes`;
  if (isPair(a) && isPair(b)) return difference(a.key, b.key, `${path}.key`) ?? difference(a.value, b.value, `${path}.value`);
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const p of PROPS) {
    if (p === 'value' && !isScalar(a)) continue;
    if (JSON.stringify(x[p]) !== JSON.stringify(y[p])) return `${path}: ${p} ${JSON.stringify(x[p])} vs ${JSON.stringify(y[p])}`;
  }
  if (isMap(a) || isSeq(a)) {
    const ia = (a as { items: unknown[] }).items;
    const ib = (b as { items: unknown[] }).items;
    if (ia.length !== ib.length) return `${path}: ${ia.length} vs ${ib.length} items`;
    for (let i = 0; i < ia.length; i++) {
      const d = difference(ia[i], ib[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  return undefined;
}

/** undefined when the fast path declines; otherwise the difference from `yaml` ('' when none). */
function compare(text: string): string | undefined {
  const fast = fastParseDocument(text);
  if (!fast) return undefined;
  const ref = parseDocument(text, YAML_OPTIONS);
  if (ref.errors.length > 0) return `fast path accepted what yaml rejects: ${ref.errors[0]!.message}`;
  return difference(fast.contents, ref.contents) ?? '';
}

/** `path=value@start-end` for every scalar, to pin down exact values and ranges. */
function scalars(node: Node | null, path = ''): string[] {
  if (isScalar(node)) return [`${path}=${JSON.stringify(node.value)}@${node.range![0]}-${node.range![1]}-${node.range![2]}${node.type === 'PLAIN' ? '' : ` ${node.type}`}`];
  if (isMap(node)) return node.items.flatMap((p) => scalars(p.value as Node | null, `${path}.${String((p.key as { value: unknown }).value)}`));
  if (isSeq(node)) return node.items.flatMap((n, i) => scalars(n as Node | null, `${path}[${i}]`));
  return [];
}

describe('fastParseDocument', () => {
  it('builds the same values, styles and ranges as yaml for plain CI YAML', () => {
    const text = [
      'name: CI',
      'on:',
      '  push:',
      '    branches: [main, "release/*" ]  # c',
      '  workflow_dispatch:',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 10',
      '    steps:',
      '    - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567 # v4.2.2',
      "    - name: 'it''s'",
      '      run: |',
      '        echo "${{ github.event.issue.title }}"',
      '',
      '        make',
      '      env:',
      '        DEBUG: true',
      '        LEVEL: 1.50',
      '    -',
      '    - >-',
      '      folded',
      '      text',
      '',
    ].join('\n');
    expect(compare(text)).toBe('');
    expect(scalars(fastParseDocument(text)!.contents)).toEqual([
      '.name="CI"@6-8-9',
      '.on.push.branches[0]="main"@36-40-40',
      '.on.push.branches[1]="release/*"@42-53-54 QUOTE_DOUBLE',
      '.on.workflow_dispatch=null@81-81-81',
      '.jobs.build.runs-on="ubuntu-latest"@110-123-124',
      '.jobs.build.timeout-minutes=10@145-147-148',
      '.jobs.build.steps[0].uses="actions/checkout@0123456789abcdef0123456789abcdef01234567"@171-228-238',
      '.jobs.build.steps[1].name="it\'s"@250-257-258 QUOTE_SINGLE',
      '.jobs.build.steps[1].run="echo \\"${{ github.event.issue.title }}\\"\\n\\nmake\\n"@269-332-332 BLOCK_LITERAL',
      '.jobs.build.steps[1].env.DEBUG=true@358-362-363',
      '.jobs.build.steps[1].env.LEVEL=1.5@378-382-383',
      '.jobs.build.steps[2]=null@388-388-388',
      '.jobs.build.steps[3]="folded text"@395-422-422 BLOCK_FOLDED',
    ]);
  });

  it('recognises the core schema tags without testing every string (yaml 2 tag tests)', () => {
    expect(plainShortcutEnabled()).toBe(true);
    const doc = fastParseDocument('a: ~\nb: TRUE\nc: 0x1F\nd: 0o17\ne: -2.5e3\nf: .inf\ng: +12\nh: 1.0\ni: yes\nj: .5x\n')!;
    expect(doc.toJS()).toEqual({ a: null, b: true, c: 31, d: 15, e: -2500, f: Infinity, g: 12, h: 1, i: 'yes', j: '.5x' });
    expect(compare('a: ~\nb: TRUE\nc: 0x1F\nd: 0o17\ne: -2.5e3\nf: .inf\ng: +12\nh: 1.0\ni: yes\nj: .5x\n')).toBe('');
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !reference [x, y]\n'],
    ['a comment line deeper than the next line', 'a: 1\n  # c\nb: 2\n'],
    ['a comment line after an empty value', 'a:\n# c\nb: 2\n'],
    ['a comment line before an empty item', '- a\n# c\n- \n- x\n'],
    ['a comment after an empty value', 'a: # c\nb: 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a flow map with entries', 'a: {b: 1}\n'],
    ['a nested flow sequence', 'a: [[1]]\n'],
    ['a tab', 'a:\t1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a document marker', '---\na: 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['keep chomping', 'a: |+\n  x\n\nb: 1\n'],
    ['an indentation indicator', 'a: |2\n   x\n'],
    ['a more-indented folded line', 'a: >\n  x\n    y\n'],
    ['a \\u escape', 'a: "\\u0041"\n'],
    ['an invalid mapping value', 'a: b: c\n'],
    ['a scalar document', 'just text\n'],
    ['an empty document', '# only a comment\n'],
    ['a comment line deeper than column 0 at the end', 'a:\n  b: 1\n  # c\n'],
    ['a compact nested sequence', '- - a\n'],
    ['a key with a space before the colon', 'a : 1\n'],
    ['a key longer than yaml allows an implicit key', `${'k'.repeat(1030)}: 1\n`],
    ['a block sequence indicator inside brackets', 'a: [x, - y]\n'],
  ])('declines %s', (_what, text) => {
    expect(fastParseDocument(text)).toBeUndefined();
  });

  it('gives loadYaml the same problems for duplicate keys on the fast path', () => {
    const text = 'on: push\njobs:\n  a:\n    x: 1\n    x: 2\non: pull_request\n';
    expect(fastParseDocument(text)).toBeDefined();
    expect(loadYaml('f.yml', text).problems.map((p) => `${p.location.startLine}:${p.location.startColumn} ${p.message}`)).toEqual([
      '5:5 Map keys must be unique',
      '6:1 Map keys must be unique',
    ]);
  });

  it('matches yaml node for node on generated block YAML, and declines the rest (property)', () => {
    let accepted = 0;
    let declined = 0;
    fc.assert(
      fc.property(documents, mutations, ({ text }, mutate) => {
        const t = mutate(text);
        const r = compare(t);
        if (r === undefined) declined++;
        else accepted++;
        if (r) throw new Error(`${r}\n--- text:\n${t}`);
      }),
      { seed: 20261208, numRuns: 5000 },
    );
    // Both sides of the property were exercised.
    expect(accepted).toBeGreaterThan(700);
    expect(declined).toBeGreaterThan(300);
  });
});

// Generated documents: maps and sequences nested a few levels, in the styles CI files use,
// with scalars chosen to sit on the edges of the core schema and the plain-scalar rules.
const plainWords = fc.constantFrom(
  'push', 'main', 'ubuntu-latest', 'a b', 'x#y', 'x # y', 'a:b', 'http://h/p', '-x', '--flag', '${{ github.head_ref }}', '1', '-1', '+2', '0x1F', '0o7', '1.50', '.5',
  '1e3', '.inf', '-.Inf', '.nan', 'null', 'Null', '~', 'true', 'False', 'yes', 'on', '@x', '`x', '%x', '!x', '&x', '*x', '?x', ':x', 'x:', 'a: b', '{x}', '[x]', 'x]', 'é', '"', "'",
);
const quoted = fc.constantFrom('"a"', '"a \\"b\\""', '"\\\\"', '"\\n"', '"\\t"', '"\\x41"', '"a # b"', "'a'", "'it''s'", "''", '""', "'a", '"a', '"a"b', "'a' # c");
const blockBodies = fc.constantFrom(['x'], ['x', 'y'], ['x', '', 'y'], ['x', '  y'], ['x', ''], ['x', '', ''], ['  x', 'y'], ['', 'x'], ['# not a comment']);
const scalarText = fc.oneof(plainWords, quoted, fc.constantFrom('', '[a, b]', '[ a , "b" ]', '[]', '[a,]', '[a', '[a, [b]]', '[a: b]'));

type Tree = { kind: 'scalar'; text: string } | { kind: 'block'; header: string; lines: string[] } | { kind: 'map'; entries: Array<[string, Tree]> } | { kind: 'seq'; items: Tree[] };
const keys = fc.constantFrom('a', 'on', 'run', 'x y', '"q"', "'s'", 'k#', '1', 'true', 'a', 'on');
const leaf: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 4, arbitrary: scalarText.map((text): Tree => ({ kind: 'scalar', text })) },
  {
    weight: 1,
    arbitrary: fc.record({ header: fc.constantFrom('|', '|-', '>', '>-', '|+', '|2', '| # c'), lines: blockBodies }).map((b): Tree => ({ kind: 'block', header: b.header, lines: [...b.lines] })),
  },
);
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(fc.tuple(keys, tie('tree')), { minLength: 1, maxLength: 4 }).map((entries) => ({ kind: 'map' as const, entries })),
    fc.array(tie('tree'), { minLength: 1, maxLength: 4 }).map((items) => ({ kind: 'seq' as const, items })),
  ),
}));

interface Style {
  step: number;
  seqInline: boolean;
  comments: boolean;
  blank: boolean;
}

function render(t: Tree, indent: number, style: Style, out: string[], prefix: string): void {
  const pad = ' '.repeat(indent);
  const comment = style.comments ? '  # note' : '';
  switch (t.kind) {
    case 'scalar':
      out.push(`${prefix}${t.text}${t.text.startsWith('[') ? comment : ''}`);
      return;
    case 'block':
      out.push(`${prefix}${t.header}`);
      for (const l of t.lines) out.push(l === '' ? '' : `${pad}${' '.repeat(style.step)}${l}`);
      return;
    case 'map':
      t.entries.forEach(([k, v], i) => {
        const head = i === 0 ? prefix : pad;
        if (v.kind === 'map' || (v.kind === 'seq' && !style.seqInline)) {
          out.push(`${head}${k}:${comment}`);
          const inner = indent + style.step;
          render(v, inner, style, out, ' '.repeat(inner));
        } else if (v.kind === 'seq') {
          out.push(`${head}${k}:${comment}`);
          render(v, indent, style, out, pad);
        } else {
          render(v, indent, style, out, `${head}${k}: `);
        }
        if (style.blank && i === 0) out.push('');
      });
      return;
    case 'seq':
      t.items.forEach((v, i) => {
        const head = i === 0 ? prefix : pad;
        if (v.kind === 'map') render(v, indent + 2, style, out, `${head}- `);
        else if (v.kind === 'seq') {
          out.push(`${head}-${comment}`);
          render(v, indent + style.step, style, out, ' '.repeat(indent + style.step));
        } else render(v, indent, style, out, `${head}- `);
      });
  }
}

const documents = fc
  .record({
    t: tree,
    step: fc.integer({ min: 1, max: 4 }),
    seqInline: fc.boolean(),
    comments: fc.boolean(),
    blank: fc.boolean(),
    header: fc.constantFrom('', '# header\n', '\n', '# a\n\n'),
    eof: fc.constantFrom('\n', '', '\n\n', '\n# end\n', '\n  # end\n'),
    // Comment lines inserted before some lines, at some indentation.
    commentLines: fc.oneof(
      { weight: 2, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 8 })), { maxLength: 3 }) },
    ),
  })
  .map(({ t, header, eof, commentLines, ...style }) => {
    const out: string[] = [];
    render(t.kind === 'map' || t.kind === 'seq' ? t : { kind: 'map', entries: [['a', t]] }, 0, style, out, '');
    for (const [at, indent] of commentLines) out.splice(at % (out.length + 1), 0, `${' '.repeat(indent)}# comment`);
    return { text: header + out.join('\n') + eof };
  });

/** Sometimes inserts or deletes a character, or changes an indentation, to reach the edges. */
const mutations = fc.oneof(
  { weight: 3, arbitrary: fc.constant((s: string) => s) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), fc.constantFrom(' ', '\n', '#', ':', '-', '"', "'", '|', '>', '[', ']', ',', '&', '*', '\t', ''))
      .map(([at, c]) => (s: string) => {
        const i = s.length === 0 ? 0 : at % s.length;
        return c === '' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + c + s.slice(i);
      }),
  },
);
