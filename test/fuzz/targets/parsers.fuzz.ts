import fc from 'fast-check';
import { check, defineTarget, lines, onlyThrows, repeated, tokenText } from '../harness.js';
import { loadYaml } from '../../../src/yaml/load.js';
import { GITLAB_TAGS } from '../../../src/platforms/gitlab/parse.js';
import { parseExpression, tokenize } from '../../../src/platforms/github/expressions/parser.js';
import { ExpressionError, contextPath, walkExpr, type Expr } from '../../../src/platforms/github/expressions/ast.js';
import { evaluate, truthiness } from '../../../src/platforms/github/expressions/evaluate.js';
import { findTemplates } from '../../../src/platforms/github/expressions/extract.js';
import { blankSingleQuoted, commandLines, downloadExecs, envReads, hasVerification, maskTemplates, parseScript, splitCode, statementsOf, type Dialect } from '../../../src/shell/script.js';
import { fileCommandWrites } from '../../../src/platforms/github/file-commands.js';
import { readCondition } from '../../../src/platforms/github/conditions.js';
import { shellWords, sinksOf, taintedExpansions } from '../../../src/platforms/bitbucket/script.js';
import { envNamesIn, loggingCommands } from '../../../src/platforms/azure/scripts.js';

// ---------------------------------------------------------------------------------------------
// YAML loader

const YAML_TOKENS = [
  'on: push', 'jobs:', '  a:', '    steps:', '      - run: x', '- ', '  ', '    ', ': ', ':', '? ', '-', '[', ']', '{', '}', ',', '&a ', '*a', '&b ', '*b', '<<: *a', '!!str ', '!reference [a, b]',
  '!!binary ', '!custom ', '|', '|-', '>', '>+', '"', "'", '\\', '#', ' # c', '%YAML 1.2', '%TAG ! tag:x,2000:', '---', '...', '\n', '\r\n', '\t', 'key', 'true', '0x1F', '1e3', '.inf', '~', 'null',
  '${{ github.head_ref }}', '\ufeff',
];

/** Documents that are valid YAML more often than random text: nested maps, sequences, anchors, aliases. */
const yamlNode: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', '1', 'true', '"q # x"', "'s'", '*a', '&a x', '${{ x }}', 'null', '[]', '{}'),
    fc.array(fc.tuple(fc.constantFrom('k', 'on', 'jobs', 'steps', '<<', 'run', '"k"', '? k'), tie('node')), { maxLength: 4 }).map((ps) => `{${ps.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    fc.array(tie('node'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
  ),
})).node;

function blockDoc(): fc.Arbitrary<string> {
  const line = fc.tuple(fc.integer({ min: 0, max: 8 }), fc.constantFrom('k: ', '- ', 'k:', '- k: ', '? ', ''), yamlNode).map(([indent, key, value]) => `${' '.repeat(indent)}${key}${value}`);
  return lines(line, 25);
}

export const yamlText = fc.oneof(
  { weight: 3, arbitrary: blockDoc() },
  { weight: 2, arbitrary: lines(tokenText(YAML_TOKENS, 12), 20) },
  { weight: 1, arbitrary: repeated(fc.constantFrom('[', '{', '- ', '  - ', 'a: &x [*x]\n', '*a ', '"\\', 'k: v\n'), 3000) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
);

function checkLocation(text: string, where: { startLine: number; startColumn: number; endLine: number; endColumn: number }, what: string): void {
  const lineCount = text.split('\n').length;
  check(where.startLine >= 1 && where.startLine <= lineCount && where.endLine >= where.startLine && where.endLine <= lineCount, `${what}: lines ${where.startLine}-${where.endLine} outside 1-${lineCount}`);
  check(where.startColumn >= 1 && where.endColumn >= 1, `${what}: column below 1`);
}

const yamlLoader = defineTarget<{ text: string; gitlab: boolean }>({
  name: 'yaml-loader',
  about: 'src/yaml/load.ts: never throws; problems have positions inside the file; a parsed document stays within the limits',
  arbitrary: fc.record({ text: yamlText, gitlab: fc.boolean() }),
  run({ text, gitlab }) {
    const loaded = loadYaml('f.yml', text, gitlab ? { customTags: GITLAB_TAGS } : {});
    check(loaded.problems.length <= text.length + 1, `${loaded.problems.length} problems for ${text.length} characters`);
    for (const p of loaded.problems) {
      checkLocation(text, p.location, `problem "${p.message}"`);
      check(p.message.length > 0 && p.message.length < 500 && !p.message.includes('\n'), `problem message not one short line: ${JSON.stringify(p.message)}`);
    }
    check((loaded.doc === undefined) === (loaded.problems.length > 0), 'a document is returned exactly when there are no problems');
  },
});

// ---------------------------------------------------------------------------------------------
// GitHub expressions

const EXPR_TOKENS = [
  'github', '.', 'event', 'head_ref', 'pull_request', 'title', '[', ']', '(', ')', '*', "'a'", "''", "'it''s'", '1', '-1', '0x1f', '0o17', '1e3', '.5', 'true', 'false', 'null', '==', '!=', '<', '<=', '>',
  '>=', '&&', '||', '!', ',', 'contains', 'format', 'join', 'toJSON', 'fromJSON', 'always', 'success', 'startsWith', ' ', '\n', 'inputs', 'matrix', 'env', 'secrets', '-', '_x',
];

export const exprText = fc.oneof(
  { weight: 5, arbitrary: tokenText(EXPR_TOKENS, 40) },
  { weight: 1, arbitrary: repeated(fc.constantFrom('(', '!', 'a.', 'a[', '-', "'", 'a || ', 'f(', '[0]'), 40000) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

function exprSpanOk(e: Expr, length: number): void {
  walkExpr(e, (n) => check(n.start >= 0 && n.end <= length && n.start <= n.end, `node ${n.type} spans [${n.start}, ${n.end}) outside [0, ${length})`));
}

const expressionParser = defineTarget<{ text: string; template: boolean }>({
  name: 'github-expression',
  about: 'GitHub expression lexer, parser, evaluator and ${{ }} extraction: only ExpressionError, spans inside the text',
  arbitrary: fc.record({ text: exprText, template: fc.boolean() }),
  run({ text, template }) {
    if (template) {
      const src = `echo \${{ ${text} }} and \${{ ${text.slice(0, 5)}`;
      const found = findTemplates(src);
      let at = 0;
      for (const t of found) {
        check(t.start >= at && t.end <= src.length && t.start < t.end, `template [${t.start}, ${t.end}) out of order or outside the text`);
        check(src.slice(t.innerStart, t.innerStart + t.inner.length) === t.inner, 'inner text does not match its offset');
        if (t.ast) exprSpanOk(t.ast, t.inner.length);
        at = t.end;
      }
      check(maskTemplates(src).length === src.length, 'masking changed the length');
      return;
    }
    onlyThrows(() => tokenize(text), [ExpressionError]);
    const ast = onlyThrows(() => parseExpression(text), [ExpressionError]);
    if (!ast) return;
    exprSpanOk(ast, text.length);
    evaluate(ast);
    truthiness(ast);
    contextPath(ast);
  },
});

// ---------------------------------------------------------------------------------------------
// Shell scripts (run:, script:, bash:/powershell: steps)

const SHELL_TOKENS = [
  'curl -sSL https://x.sh', ' | ', 'bash', 'sh', ' && ', ' || ', ';', '&', ' ', '\n', '\\\n', '`\n', '^\n', '"', "'", '$(', ')', '`', '{', '}', '(', '<(', '<<EOF\n', '<<-"EOF"\n', 'EOF\n', '\tEOF\n',
  'echo ', '$VAR', '${VAR}', '$GITHUB_ENV', '${{ github.head_ref }}', '>> "$GITHUB_ENV"', '>> $env:GITHUB_PATH', 'tee -a $GITHUB_ENV', 'Out-File -FilePath $env:GITHUB_ENV', 'iex (iwr x)',
  'wget -O- x', 'sha256sum -c', 'eval ', 'sudo ', 'env X=1 ', '# comment', 'if [ -f x ]; then', 'fi', 'for x in a; do', 'done', '%GITHUB_ENV%', 'git checkout ', 'npm install', 'ssh h ',
];

export const shellText = fc.oneof(
  { weight: 5, arbitrary: tokenText(SHELL_TOKENS, 50) },
  { weight: 1, arbitrary: repeated(fc.constantFrom('$(', '"', '\\\n', '<<EOF\n', '(', '{ ', '| ', "'", '`'), 20000) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80, unit: 'binary' }) },
);

const DIALECTS: Dialect[] = ['bash', 'pwsh', 'cmd', 'other'];

const shellParser = defineTarget<{ text: string; dialect: Dialect }>({
  name: 'shell-parser',
  about: 'shell script parsing shared by the platforms (lines, statements, pipes, file commands, words, sinks): no exception, spans inside the script',
  arbitrary: fc.record({ text: shellText, dialect: fc.constantFrom(...DIALECTS) }),
  run({ text, dialect }) {
    const script = parseScript(text, dialect);
    let at = 0;
    for (const l of script.lines) {
      check(l.start >= at && l.start <= l.end && l.end <= text.length, `line [${l.start}, ${l.end}) out of order or outside the script`);
      check(l.code.length === l.text.length, 'code view and text differ in length');
      at = l.end;
    }
    for (const s of statementsOf(script)) check(s.start >= 0 && s.end <= text.length && s.start <= s.end, `statement [${s.start}, ${s.end}) outside the script`);
    commandLines(script);
    for (const d of downloadExecs(script)) check(d.statement.end <= text.length, 'download statement outside the script');
    for (const w of fileCommandWrites(script)) for (const p of w.payload) check(p.start >= 0 && p.end <= text.length, 'file command payload outside the script');
    envReads(text, dialect);
    hasVerification(text);
    blankSingleQuoted(text);
    readCondition(text);
    for (const mode of ['statements', 'pipeline'] as const) {
      for (const s of splitCode(text, mode, dialect)) check(s.start >= 0 && s.end <= text.length && s.start < s.end, `${mode} span outside the code`);
    }
    for (const w of shellWords(text)) check(w.start >= 0 && w.end <= text.length && w.text === text.slice(w.start, w.end), 'word does not match its span');
    sinksOf(text);
    taintedExpansions(text, new Map([['VAR', { source: 'VAR', strength: 'high', who: 'anyone', chain: [] }]]));
    loggingCommands(text);
    envNamesIn(text, dialect);
  },
});

export default [yamlLoader, expressionParser, shellParser];
