import fc from 'fast-check';
import { check, defineTarget, lines, repeated, tokenText } from '../harness.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import type { Diagnostic } from '../../../src/core/finding.js';
import { analyse } from '../../../src/sast/analysis.js';
import { vueSource } from '../../../src/sast/vue.js';

// ---------------------------------------------------------------------------------------------
// The taint analysis on arbitrary source text: it must never throw, never hit an internal error,
// never hang (deadline per input), and every finding and flow step must point inside its file.

const JS_TOKENS = [
  'const ', 'let ', 'var ', 'x', 'y', ' = ', ';', '\n', '(', ')', '{', '}', '[', ']', ',', '.', '...', '=>', 'function ', 'f', 'g', 'return ', 'class A ', 'extends A ', 'constructor(', 'super(',
  'this.', 'new ', 'await ', 'async ', 'yield ', 'function* ', 'if (', 'else ', 'for (const k of ', 'for (const k in ', 'while (', 'do ', 'switch (', 'case 1:', 'default:', 'break;', 'continue;',
  'try {', '} catch (e) {', 'finally {', 'throw ', 'typeof ', ' === ', ' !== ', ' && ', ' || ', ' ?? ', ' ? ', ' : ', '!', '+', '+=', '`${', '}`', '`', "'", '"', '/re/g', 'req.query.q',
  'req.body', 'req.params.id', 'res.send(', 'res.redirect(', "require('express')", "require('./b')", "require('child_process').exec(", 'eval(', 'db.query(', "import x from './b';\n",
  "export default ", 'export const ', "export * from './a';\n", 'module.exports = ', 'exports.h = ', "app.get('/', ", '(req, res) => ', 'Object.assign(', 'JSON.parse(', '.then(', '.map(', '.bind(',
  '.call(', '.apply(', 'arguments', 'delete ', 'void ', 'x[y] = ', 'x[y][k] = ', '<div ', '/>', '</div>', 'dangerouslySetInnerHTML={{ __html: ', '}}', '@Get()', '#p', 'static ', 'get ', 'set ',
  'label: ', '?.', '!.', ' as any', ': string', '<T>', 'enum E {', 'namespace N {', 'declare ', '\\u0041', '0x1f', '1e3', 'null', 'undefined', 'NaN',
];

/** Programs that parse more often than token soup: handlers composed of assignments, calls and returns. */
const EXPR = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('req.query.q', 'req.body', 'x', 'y', "'lit'", '1', 'req.params', 'this.v', 'arguments[0]', 'process.env.X', 'location.hash', 'await x'),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} + ${b}`),
    fc.tuple(tie('e'), fc.constantFrom('trim', 'slice', 'split', 'map', 'join', 'then', 'replace', 'toString')).map(([a, m]) => `${a}.${m}(x => x)`),
    fc.tuple(fc.constantFrom('f', 'g', 'eval', 'db.query', 'res.send', 'exec', 'fs.readFile', 'fetch', 'new RegExp', 'Object.assign', 'JSON.parse', '_.merge'), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `{ k: ${a}, ...${b} }`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `[${a}, ...${b}]`),
    tie('e').map((a) => `\`<b>\${${a}}</b>\``),
    tie('e').map((a) => `((a) => a)(${a})`),
    tie('e').map((a) => `function (a) { return ${a}; }`),
  ),
})).e;

const STATEMENT = fc.oneof(
  EXPR.map((e) => `x = ${e};`),
  EXPR.map((e) => `const y = ${e};`),
  EXPR.map((e) => `return ${e};`),
  fc.tuple(EXPR, EXPR).map(([a, b]) => `if (${a}) { y = ${b}; } else { x = ${a}; }`),
  fc.tuple(EXPR, EXPR).map(([a, b]) => `for (const k of ${a}) { x[k] = ${b}; }`),
  fc.tuple(EXPR, EXPR).map(([a, b]) => `x[${a}][${b}] = ${a};`),
  EXPR.map((e) => `function f(a, b) { return ${e}; }`),
  EXPR.map((e) => `class A { m(a) { this.v = a; return ${e}; } }`),
);

const PROGRAM = lines(STATEMENT, 12).map(
  (body) => `const express = require('express');\nconst { exec } = require('child_process');\nconst app = express();\nlet x, y;\napp.get('/', async (req, res) => {\n${body}\n});\nmodule.exports = { f: typeof f === 'undefined' ? null : f };\n`,
);

export const jsText = fc.oneof(
  { weight: 4, arbitrary: PROGRAM },
  { weight: 3, arbitrary: lines(tokenText(JS_TOKENS, 30), 20) },
  { weight: 1, arbitrary: repeated(fc.constantFrom('(', '{', '[', 'f(', 'x.', '`${', 'a => ', 'new ', '...'), 3000) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300, unit: 'binary' }) },
);

interface SastInput {
  a: string;
  b: string;
  ext: 'js' | 'ts' | 'tsx';
}

const sastAnalysis = defineTarget<SastInput>({
  name: 'sast-analysis',
  about: 'src/sast (program loading, taint engine, models) on two arbitrary files that import each other: no exception, no internal error, findings and flow steps inside their files',
  arbitrary: fc.record({ a: jsText, b: jsText, ext: fc.constantFrom<'js' | 'ts' | 'tsx'>('js', 'ts', 'tsx') }),
  run({ a, b, ext }) {
    const files = { [`a.${ext}`]: a, [`b.${ext}`]: `${b}\n` };
    const diagnostics: Diagnostic[] = [];
    const { findings } = analyse(DEFAULT_CONFIG, {
      root: '/fuzz',
      sources: Object.entries(files).map(([rel, text]) => ({ rel, text })),
      configs: [],
      reportPath: (rel) => rel,
      diagnostics,
      literalSecrets: true,
    });
    const internal = diagnostics.filter((d) => d.level === 'error');
    check(internal.length === 0, () => `error diagnostics: ${internal.map((d) => d.message).join('; ')}`);
    const lineCount = (file: string): number => (files[file] ?? '').split('\n').length;
    for (const f of findings) {
      check(f.location.file in files, `finding in unknown file ${f.location.file}`);
      check(f.location.startLine >= 1 && f.location.endLine <= lineCount(f.location.file) && f.location.startLine <= f.location.endLine, `finding ${f.ruleId} at lines ${f.location.startLine}-${f.location.endLine} outside its file`);
      for (const flow of f.codeFlows ?? []) {
        check(flow.length >= 1, 'an empty code flow');
        for (const s of flow) check(s.file in files && s.startLine >= 1 && s.startLine <= lineCount(s.file), `flow step ${s.file}:${s.startLine} outside its file`);
      }
      check(f.message.length > 0 && !f.message.includes('\n'), 'finding message not one line');
    }
  },
  deadlineMs: 5000,
});

// Vue components: the virtual script (vue.ts) around arbitrary script text and template bindings.
// Findings and every flow step must point inside the component's own text (never into the tail the
// analysis appends), and the analysis must not fail.
const TEMPLATE_PART = fc.oneof(
  EXPR.map((e) => `<div v-html="${e.replace(/"/g, '&quot;')}"></div>`),
  EXPR.map((e) => `<p :innerHTML='${e.replace(/'/g, '&#39;')}'/>`),
  EXPR.map((e) => `<span v-text="${e.replace(/"/g, '&quot;')}">{{ ${e} }}</span>`),
  fc.constantFrom('<template v-if="ok">', '</template>', '<!-- v-html="x" -->', '\n  ', '<a v-html=x/>', '{{ a < b }}', '<b', '>', '"', "'"),
);

interface VueInput {
  script: string;
  parts: string[];
  setup: boolean;
  first: boolean;
}

const sastVue = defineTarget<VueInput>({
  name: 'sast-vue',
  about: 'src/sast/vue.ts + the taint analysis on .vue components with arbitrary scripts and v-html bindings: no exception, no internal error, findings and flow steps inside the component',
  arbitrary: fc.record({ script: jsText, parts: fc.array(TEMPLATE_PART, { maxLength: 12 }), setup: fc.boolean(), first: fc.boolean() }),
  run({ script, parts, setup, first }) {
    const tpl = `<template>\n${parts.join('')}\n</template>\n`;
    const scr = `<script${setup ? ' setup' : ''} lang="ts">\n${script}\n</script>\n`;
    const text = first ? `${tpl}${scr}` : `${scr}${tpl}`;
    const source = vueSource('C.vue', text);
    if (!source) return;
    check(source.text.length >= text.length && source.text.slice(0, text.length).split('\n').length === text.split('\n').length, 'the virtual script moved a line');
    const diagnostics: Diagnostic[] = [];
    const { findings } = analyse(DEFAULT_CONFIG, { root: '/fuzz', sources: [source], configs: [], reportPath: (rel) => rel, diagnostics, literalSecrets: true });
    const internal = diagnostics.filter((d) => d.level === 'error');
    check(internal.length === 0, () => `error diagnostics: ${internal.map((d) => d.message).join('; ')}`);
    const lineCount = text.split('\n').length;
    for (const f of findings) {
      check(f.location.file === 'C.vue' && f.location.startLine >= 1 && f.location.endLine <= lineCount, `finding ${f.ruleId} at ${f.location.file}:${f.location.startLine}-${f.location.endLine} outside the component`);
      for (const flow of f.codeFlows ?? []) for (const st of flow) check(st.startLine >= 1 && st.startLine <= lineCount, `flow step ${st.file}:${st.startLine} outside the component`);
    }
  },
  deadlineMs: 5000,
});

export default [sastAnalysis, sastVue];
