/**
 * Vue single-file components (`.vue`) as code the taint analysis can read, without a Vue compiler.
 *
 * The TypeScript program gets a *virtual* text of the same length and the same line breaks as the
 * component: the `<script>` and `<script setup>` blocks are copied at their own offsets, everything
 * else is blanked, so every node (and every finding) sits at its line and column in the `.vue` file.
 * Each `v-html="expr"` (or `:innerHTML="expr"`) binding of `<template>` becomes a call
 * `$vh$(expr)` whose argument is the expression text at its original position; the short call name
 * and the function that wraps them (`function $vr$(){ ... }`) are written into the blanked markup
 * around them (tokens may span lines, so line breaks are kept). Names the expressions use that the
 * script does not declare get a module-level `var` in a tail appended after the file's end (never
 * part of a finding), and a setter `$vs$` that copies the component instance's members into them
 * (for `<script setup>` the instance only has the globals `$route`/`$router`, so props stay
 * unknown); models/vue.ts builds the instance and calls both once the module is loaded.
 *
 * The scanner is a small tolerant one (top-level blocks, then tags and attributes of the template,
 * quotes respected, comments and `{{ }}` skipped): it needs no full HTML parser because only the
 * attributes' positions and values matter; @vue/compiler-sfc would add megabytes for the same
 * offsets.
 */
import type { SourceText } from './tree.js';

/** Call and function names of the virtual text; `$` keeps them out of any real code's way. */
export const VUE_HTML_CALL = '$vh$';
export const VUE_PROP_CALL = '$vp$';
export const VUE_RENDER_FN = '$vr$';
export const VUE_SETTER_FN = '$vs$';
export const VUE_INSTANCE_CALL = '$vi$';

export function isVueFile(rel: string): boolean {
  return rel.endsWith('.vue');
}

interface Block {
  name: string;
  attrs: string;
  /** Content range (between the opening tag's `>` and the closing tag). */
  start: number;
  end: number;
}

interface Binding {
  attr: string;
  start: number;
  end: number;
}

/** Line terminators as TypeScript counts them: kept wherever they are, so lines stay where they were. */
function isBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}
const KEYWORDS = new Set(['true', 'false', 'null', 'undefined', 'this', 'new', 'typeof', 'instanceof', 'in', 'of', 'void', 'delete', 'await', 'function', 'return', 'if', 'else', 'NaN', 'Infinity']);
/** Globals Vue lets templates read (its allow-list); anything else a template names is component state. */
const TEMPLATE_GLOBALS = new Set(['Math', 'Date', 'JSON', 'Number', 'String', 'Boolean', 'Array', 'Object', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURI', 'encodeURIComponent', 'decodeURI', 'decodeURIComponent', 'Intl', 'BigInt', 'RegExp', 'Map', 'Set', 'console']);
const HTML_ATTR = /^v-html$/i;
const PROP_ATTR = /^(?:v-bind:|:|\.)inner-?html(?:\.prop)?$/i;

/** Index just past the `>` that ends the tag opening at `lt` (quoted values may hold `>`), or -1. */
function tagEnd(text: string, lt: number, limit: number): number {
  let quote = '';
  for (let i = lt + 1; i < limit; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return -1;
}

/** The top-level blocks of a component (`template`, `script`, `style`, custom blocks). */
export function sfcBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt + 4);
      i = e < 0 ? text.length : e + 3;
      continue;
    }
    const m = /^<([A-Za-z][\w-]*)/.exec(text.slice(lt, lt + 64));
    if (!m) {
      i = lt + 1;
      continue;
    }
    const name = m[1]!.toLowerCase();
    const end = tagEnd(text, lt, text.length);
    if (end < 0) break;
    const attrs = text.slice(lt + 1 + name.length, end - 1);
    if (attrs.endsWith('/')) {
      i = end;
      continue;
    }
    let close: number;
    let after: number;
    if (name === 'template') {
      // Nested <template v-if>/<template #slot> elements: count them.
      const re = /<!--[\s\S]*?-->|<template\b(?:"[^"]*"|'[^']*'|[^'">])*>|<\/template\s*>/gi;
      re.lastIndex = end;
      let depth = 1;
      close = -1;
      after = text.length;
      for (let t = re.exec(text); t; t = re.exec(text)) {
        if (t[0].startsWith('<!--')) continue;
        if (t[0].startsWith('</')) {
          if (--depth === 0) {
            close = t.index;
            after = t.index + t[0].length;
            break;
          }
        } else if (!t[0].endsWith('/>')) depth++;
      }
      if (close < 0) close = text.length;
    } else {
      const re = new RegExp(`</${name}\\s*>`, 'ig');
      re.lastIndex = end;
      const t = re.exec(text);
      close = t ? t.index : text.length;
      after = t ? t.index + t[0].length : text.length;
    }
    blocks.push({ name, attrs, start: end, end: close });
    i = after;
  }
  return blocks;
}

function attrValue(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function hasAttr(attrs: string, name: string): boolean {
  return new RegExp(`(?:^|\\s)${name}(?:\\s|=|$)`, 'i').test(attrs);
}

/** The `v-html` / `:innerHTML` bindings of a template's content range, with their value ranges. */
export function htmlBindings(text: string, start: number, end: number): Binding[] {
  const out: Binding[] = [];
  let i = start;
  // The next `{{`, searched again only once passed (a search per tag would be quadratic).
  let mustache = -2;
  while (i < end) {
    const lt = text.indexOf('<', i);
    if (mustache !== -1 && mustache < i) mustache = text.indexOf('{{', i);
    if (mustache >= 0 && mustache < end && (lt < 0 || mustache < lt)) {
      const e = text.indexOf('}}', mustache + 2);
      i = e < 0 || e >= end ? end : e + 2;
      continue;
    }
    if (lt < 0 || lt >= end) break;
    if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt + 4);
      i = e < 0 ? end : e + 3;
      continue;
    }
    const m = /^<([A-Za-z][\w:.-]*)/.exec(text.slice(lt, lt + 128));
    if (!m) {
      i = lt + 1;
      continue;
    }
    // Attributes: name [= value], values quoted or bare.
    let p = lt + m[0].length;
    for (;;) {
      while (p < end && /\s/.test(text[p]!)) p++;
      if (p >= end || text[p] === '>' || text.startsWith('/>', p)) break;
      const n = /^[^\s"'>/=]+/.exec(text.slice(p, p + 256));
      if (!n) {
        p++;
        continue;
      }
      const attr = n[0];
      p += attr.length;
      let q = p;
      while (q < end && /\s/.test(text[q]!)) q++;
      if (text[q] !== '=') continue;
      q++;
      while (q < end && /\s/.test(text[q]!)) q++;
      let vs: number;
      let ve: number;
      if (text[q] === '"' || text[q] === "'") {
        vs = q + 1;
        ve = text.indexOf(text[q]!, vs);
        if (ve < 0 || ve > end) ve = end;
        p = ve + 1;
      } else {
        vs = q;
        ve = q;
        // A bare value ends at a space or `>`; a `/` right before `>` closes the tag (`v-html=x/>`).
        while (ve < end && !/[\s>]/.test(text[ve]!) && !text.startsWith('/>', ve)) ve++;
        p = ve;
      }
      if ((HTML_ATTR.test(attr) || PROP_ATTR.test(attr)) && text.slice(vs, ve).trim()) out.push({ attr, start: vs, end: ve });
    }
    i = p + 1;
  }
  return out;
}

/** Code with string and template-literal text blanked (expressions inside `${}` kept). */
function codeOnly(expr: string): string {
  let out = '';
  const stack: string[] = [];
  let mode = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (mode === "'" || mode === '"') {
      if (c === '\\') i++;
      else if (c === mode) mode = '';
      out += ' ';
    } else if (mode === '`') {
      if (c === '\\') i++;
      else if (c === '`') mode = stack.pop() ?? '';
      else if (c === '$' && expr[i + 1] === '{') {
        stack.push('`');
        mode = '';
        i++;
      }
      out += ' ';
    } else {
      if (c === "'" || c === '"' || c === '`') {
        if (c === '`') stack.push(mode);
        mode = c;
        out += ' ';
      } else if (c === '}' && stack.length && stack[stack.length - 1] === '`') {
        stack.pop();
        mode = '`';
        out += ' ';
      } else out += c;
    }
  }
  return out;
}

/** Free names an expression reads (not after a `.`, not keywords or template globals). */
export function freeNames(expr: string): string[] {
  const names = new Set<string>();
  const code = codeOnly(expr);
  for (const m of code.matchAll(/(?<![\w$.]|\?\.)[A-Za-z_$][\w$]*/g)) {
    const after = code.slice(m.index + m[0].length).trimStart();
    // `{ key: value }` object keys are not names.
    if (after.startsWith(':') && !after.startsWith('::') && /[{,]\s*$/.test(code.slice(0, m.index))) continue;
    if (!KEYWORDS.has(m[0]) && !TEMPLATE_GLOBALS.has(m[0]) && !/^\d/.test(m[0])) names.add(m[0]);
  }
  return [...names];
}

/** Names a script declares at its top level (imports, variables, functions, classes). */
export function declaredNames(script: string): Set<string> {
  const out = new Set<string>();
  const code = codeOnly(script);
  // Nesting depth at each offset: declarations inside functions, blocks and parentheses are not module bindings.
  const depth = new Uint16Array(code.length + 1);
  for (let i = 0, d = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '{' || c === '(') d++;
    else if ((c === '}' || c === ')') && d > 0) d--;
    depth[i + 1] = d;
  }
  const top = (i: number): boolean => depth[i] === 0;
  for (const m of code.matchAll(/\b(?:const|let|var|function\*?|class|enum)\s+([A-Za-z_$][\w$]*)/g)) if (top(m.index)) out.add(m[1]!);
  for (const m of code.matchAll(/\b(?:const|let|var)\s*[{[]([^=]*?)[}\]]\s*=/g)) {
    if (!top(m.index)) continue;
    for (const n of m[1]!.matchAll(/([A-Za-z_$][\w$]*)\s*(?=,|$|=)/g)) out.add(n[1]!);
  }
  for (const m of script.matchAll(/\bimport\s+(?:type\s+)?([^'";]*?)\s+from\s*['"]/g)) {
    for (const n of m[1]!.matchAll(/(?:\bas\s+|^|[{,]\s*)([A-Za-z_$][\w$]*)\s*(?=,|}|$)/g)) out.add(n[1]!);
    const star = /\*\s*as\s+([A-Za-z_$][\w$]*)/.exec(m[1]!);
    if (star) out.add(star[1]!);
  }
  return out;
}

const UTF16 = new TextDecoder('utf-16le');

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#34;': '"', '&apos;': "'", '&#39;': "'", '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * The virtual source of a component, or undefined when it has no script to analyse. `kind` is the
 * script language; `original` keeps the component's own text for reports.
 */
export function vueSource(rel: string, text: string): SourceText | undefined {
  const blocks = sfcBlocks(text);
  const scripts = blocks.filter((b) => b.name === 'script' && !attrValue(b.attrs, 'src'));
  if (scripts.length === 0) return undefined;
  // UTF-16 code units, as TypeScript counts offsets (a surrogate pair is two blanks or two copied units).
  const buf = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    buf[i] = isBreak(c) ? c : 32;
  }
  const str = (from: number, to: number): string => UTF16.decode(buf.subarray(from, to));
  const isWord = (c: number | undefined): boolean => c !== undefined && (c === 36 || c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122));
  const used = new Uint8Array(text.length);
  for (const s of scripts) {
    for (let i = s.start; i < s.end; i++) {
      buf[i] = text.charCodeAt(i);
      used[i] = 1;
    }
  }
  const setup = scripts.some((s) => hasAttr(s.attrs, 'setup'));
  const lang = (attrValue((scripts.find((s) => hasAttr(s.attrs, 'setup')) ?? scripts[0]!).attrs, 'lang') ?? 'js').toLowerCase();
  const kind: SourceText['kind'] = lang === 'ts' || lang === 'tsx' || lang === 'jsx' ? lang : 'js';
  const scriptText = scripts.map((s) => text.slice(s.start, s.end)).join('\n');

  const template = blocks.find((b) => b.name === 'template' && !attrValue(b.attrs, 'src') && !/^(?:pug|jade)$/i.test(attrValue(b.attrs, 'lang') ?? 'html'));
  const tail: string[] = [];
  const names = new Set<string>();
  let note: string | undefined;
  if (template) {
    const bindings = htmlBindings(text, template.start, template.end);
    const free = (p: number): boolean => p >= 0 && p < text.length && !used[p] && !isBreak(text.charCodeAt(p));
    const write = (p: number, s: string): void => {
      for (let k = 0; k < s.length; k++) {
        buf[p + k] = s.charCodeAt(k);
        used[p + k] = 1;
      }
    };
    /** First position in [from, to) where `tok` fits between blanks; -1 if none. */
    const place = (tok: string, from: number, to: number): number => {
      for (let p = from; p + tok.length < to; p++) {
        let ok = !(p > 0 && isWord(buf[p - 1])) && !isWord(buf[p + tok.length]);
        for (let k = 0; ok && k < tok.length; k++) ok = free(p + k);
        if (ok) {
          write(p, tok);
          return p + tok.length;
        }
      }
      return -1;
    };
    const saved = { buf: buf.slice(), used: used.slice() };
    const placed: Binding[] = [];
    const bound = new Set<string>();
    for (const b of bindings) {
      const call = HTML_ATTR.test(b.attr) ? VUE_HTML_CALL : VUE_PROP_CALL;
      const pre = b.start - call.length - 1;
      let fits = true;
      for (let k = pre; k < b.start; k++) fits &&= free(k);
      let close = b.end;
      while (close < text.length && !free(close)) close++;
      if (!fits || close >= text.length) continue;
      write(pre, `${call}(`);
      for (let k = b.start; k < b.end; k++) {
        buf[k] = text.charCodeAt(k);
        used[k] = 1;
      }
      // Entities in attribute values, decoded in place (padded with spaces: same length).
      const value = text.slice(b.start, b.end);
      for (const m of value.matchAll(/&(?:quot|apos|amp|lt|gt|#34|#39);/g)) {
        buf[b.start + m.index] = ENTITIES[m[0]]!.charCodeAt(0);
        for (let k = 1; k < m[0].length; k++) buf[b.start + m.index + k] = 32;
      }
      write(close, ')');
      placed.push({ attr: b.attr, start: pre, end: close + 1 });
      for (const n of freeNames(str(b.start, b.end))) bound.add(n);
    }
    if (placed.length) {
      // The wrapper: after any script that ends before the template, before the first binding.
      const before = Math.max(0, ...scripts.filter((s) => s.end <= template.start).map((s) => s.end));
      const afterEnd = Math.min(text.length + 1, ...scripts.filter((s) => s.start >= template.end).map((s) => s.start));
      let at = before;
      for (const tok of ['function', VUE_RENDER_FN, '(', ')', '{']) if (at >= 0) at = place(tok, at, placed[0]!.start);
      // Statement ends between bindings, then the closing brace.
      for (let k = 0; at >= 0 && k < placed.length; k++) at = place(';', placed[k]!.end, k + 1 < placed.length ? placed[k + 1]!.start : afterEnd);
      if (at >= 0) at = place('}', at, afterEnd);
      if (at < 0) {
        buf.set(saved.buf);
        used.set(saved.used);
        note = 'the template has no room for the analysis wrapper (minified?): its v-html bindings are not analysed';
      } else for (const n of bound) names.add(n);
    }
  }
  const declared = declaredNames(scriptText);
  const vars = [...names].filter((n) => !declared.has(n)).sort();
  // Initialised, so the variable exists in the module scope before the setter writes it.
  if (vars.length) tail.push(`var ${vars.map((n) => `${n} = undefined`).join(", ")};`);
  // The setter's parameter name tells models/vue.ts which instance to build (only `$route`/`$router` for <script setup>).
  if (vars.length || !setup) tail.push(`function ${VUE_SETTER_FN}(${setup ? '$pw$setup' : '$pw$options'}) { const $pw$i = ${VUE_INSTANCE_CALL}();${vars.map((n) => ` ${n} = $pw$i.${n};`).join('')} }`);
  return { rel, text: str(0, buf.length) + (tail.length ? `\n${tail.join('\n')}\n` : ''), original: text, kind, ...(note && { note }) };
}
