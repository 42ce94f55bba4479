import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

/*
 * Expressions whose value may or may not carry attacker text, each in a real sink (a run:
 * script) with the exact span of the finding: GitHub's value semantics of `&&` / `||`, `case()`,
 * `format()`, `toJSON()` of an attacker object, dynamic indexes, `fromJSON()` and matrices built
 * from expressions. The expected columns come from the fixture text, not from the code under test.
 */

const FILE = '.github/workflows/t.yml';

function sink(expr: string, on = '[issues, issue_comment, pull_request_target]'): { files: Record<string, string>; line: number; span: string } {
  const run = `        run: echo "\${{ ${expr} }}"`;
  const text = [`on: ${on}`, 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - name: sink', run, ''].join('\n');
  const start = run.indexOf('${{') + 1;
  const end = run.lastIndexOf('}}') + 3;
  return { files: { [FILE]: text }, line: 7, span: `${FILE}:7:${start}-7:${end}` };
}

const message = (path: string) => `"${path}" is attacker-controlled and is expanded into the run: script of step "sink"; pass it through env: and read "$VAR" instead`;

/** Expression → the attacker-controlled path the finding must name, or null when it must stay silent. */
const CASES: Array<[expr: string, reported: string | null, severity?: string]> = [
  // `a && b` is b when a is truthy, else a falsy a: the right operand is what reaches the script.
  ["github.event.issue.title != '' && github.event.issue.body", 'github.event.issue.body'],
  ["contains(github.event.comment.body, '/run') && github.event.comment.body", 'github.event.comment.body'],
  ["github.event.issue.title && 'lit'", null],
  ["github.event.issue.body && github.sha", null],
  ['false && github.event.issue.title', null],
  // `cond && x || y` is x or y: either operand reaches it.
  ["github.event.issue.number > 1 && 'safe' || github.event.comment.body", 'github.event.comment.body'],
  ["github.event.issue.number > 1 && github.event.issue.title || 'default'", 'github.event.issue.title'],
  ["github.event.issue.number > 1 && 'a' || 'b'", null],
  ["github.event.issue.title || 'none'", 'github.event.issue.title'],
  // A truthy literal on the left decides `||`.
  ["'none' || github.event.issue.title", null],
  ["'' || github.event.issue.title", 'github.event.issue.title'],
  // case(pred1, val1, pred2, val2, ..., default): values and the default reach the result, predicates do not.
  ["case(github.event.issue.title == 'a', 'safe', github.event.issue.body)", 'github.event.issue.body'],
  ["case(github.event.issue.title == 'a', github.event.issue.body, 'safe')", 'github.event.issue.body'],
  ["case(github.event.issue.title == 'a', 'x', github.event.issue.title == 'b', 'y', 'z')", null],
  ["case(github.event.issue.title, 'x', 'y')", null],
  ["format('{0} by {1}', github.event.issue.title, github.actor)", 'github.event.issue.title'],
  ["format('#{0}', github.event.issue.number)", null],
  ["format('{0}', 'constant')", null],
  ['toJSON(github.event.issue)', 'github.event.issue.title'],
  ['toJSON(github.event.pull_request)', 'github.event.pull_request.title'],
  ['toJSON(github.event.issue.number)', null],
  ["join(github.event.pull_request.labels.*.name, ', ')", 'github.event.pull_request.labels.*.name', 'medium'],
  ['github.event[inputs.key]', 'github.event.issue.title'],
  ["github.event.issue[format('{0}', 'title')]", 'github.event.issue.title'],
  ['fromJSON(github.event.issue.body).cmd', 'github.event.issue.body'],
  ['fromJSON(github.event.comment.body)[0]', 'github.event.comment.body'],
  ["fromJSON('[\"a\", \"b\"]')[0]", null],
  ["contains(github.event.issue.title, 'bug')", null],
  ["startsWith(github.event.comment.body, '/deploy')", null],
  ['!github.event.issue.title', null],
  ["github.event.issue.title == 'x'", null],
  ['hashFiles(github.event.issue.title)', null],
];

describe('template-injection: expressions in a run: script, with exact spans', () => {
  for (const [expr, reported, severity = 'high'] of CASES) {
    it(`${reported ? 'reports' : 'stays silent on'} \${{ ${expr} }}`, () => {
      const { files, span } = sink(expr);
      const out = summarize(auditFiles(rule, files));
      expect(out).toEqual(reported ? [`${span} ${severity}/high ${message(reported)}`] : []);
    });
  }

  it('reports the operand of `&&` only under a trigger that fills it', () => {
    const { files } = sink("github.event.issue.title != '' && github.event.pull_request.body", 'issues');
    expect(auditFiles(rule, files)).toEqual([]);
  });

  it('follows a matrix built from an attacker-controlled expression, and names the hop', () => {
    const text = yaml`
      on: issue_comment
      jobs:
        a:
          runs-on: ubuntu-latest
          strategy:
            matrix:
              target: \${{ fromJSON(github.event.comment.body) }}
          steps:
            - name: sink
              run: make \${{ matrix.target }}
    `;
    const findings = auditFiles(rule, { [FILE]: text });
    expect(summarize(findings)).toEqual([
      `${FILE}:10:19-10:39 high/medium "matrix.target" (carrying github.event.comment.body) is attacker-controlled and is expanded into the run: script of step "sink"; pass it through env: and read "$VAR" instead`,
    ]);
    expect(findings[0]!.related.map((r) => `${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn} ${r.message}`)).toEqual([
      '7:17-7:59 the matrix is built from attacker-controlled data here',
      '1:5-1:18 "issue_comment" lets an outside user set github.event.comment.body',
    ]);
  });

  it('stays silent on a matrix of literals and on a matrix from a literal fromJSON', () => {
    const text = yaml`
      on: issue_comment
      jobs:
        a:
          runs-on: ubuntu-latest
          strategy:
            matrix:
              os: [ubuntu-latest, windows-latest]
              node: \${{ fromJSON('[18, 20]') }}
          steps:
            - run: echo \${{ matrix.os }} \${{ matrix.node }}
    `;
    expect(auditFiles(rule, { [FILE]: text })).toEqual([]);
  });

  it('gives each of two expressions on one line its own span', () => {
    const text = yaml`
      on: issues
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - name: sink
              run: echo \${{ github.event.issue.title }} \${{ github.event.issue.body }}
    `;
    expect(summarize(auditFiles(rule, { [FILE]: text }))).toEqual([
      `${FILE}:7:19-7:50 high/high ${message('github.event.issue.title')}`,
      `${FILE}:7:51-7:81 high/high ${message('github.event.issue.body')}`,
    ]);
  });

  it('spans an expression on a later line of a block script', () => {
    const text = yaml`
      on: issues
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - name: sink
              run: |
                set -e
                  echo "\${{ github.event.issue.title }}"
    `;
    expect(summarize(auditFiles(rule, { [FILE]: text }))).toEqual([`${FILE}:9:19-9:50 high/high ${message('github.event.issue.title')}`]);
  });
});
