import type { Scalar } from 'yaml';
import type { Fix, FixIntent, TextEdit } from '../core/finding.js';
import type { SourceText } from '../yaml/load.js';
import type { Job, Step, Workflow } from '../platforms/github/model.js';
import { contextPath, walkExpr } from '../platforms/github/expressions/ast.js';
import { findTemplates, type Template } from '../platforms/github/expressions/extract.js';
import { dialectOf } from '../platforms/github/dialect.js';
import { addEntries, yamlScalar, type EntryText } from './yaml-edit.js';

/**
 * template-injection fix: move each attacker-controlled `${{ expr }}` of a `run:` script (or an
 * `actions/github-script` `script:`) into an `env:` entry of the step and read the variable
 * instead, so the value is data, never code.
 *
 * Where the expansion sits decides the replacement (bash):
 *   unquoted          echo ${{ x }}          → echo "${X}"        safe
 *   double quotes     echo "a ${{ x }}"      → echo "a ${X}"      safe
 *   here-doc (<<EOF)  ${{ x }}               → ${X}               safe
 *   comment           # ${{ x }}             → # ${X}             safe
 *   single quotes     echo 'a ${{ x }}'      → echo 'a '"${X}"''  unsafe: the text inside was often a
 *                                                                 program for another tool (jq, python -c)
 *   [[ a == ${{ x }} ]]  (pattern side)      → "${X}"             unsafe: quoting turns a pattern literal
 *   quoted here-doc (<<'EOF')                → no fix (nothing expands there)
 * PowerShell reads `${env:X}` (unsafe inside single quotes); other shells get no fix.
 * github-script: `"${{ x }}"` → `process.env.X` and `` `a ${{ x }}` `` → `` `a ${process.env.X}` `` (safe);
 * inside a larger '...' or "..." string or bare in code → unsafe.
 */

export type InjectionSink = 'run' | 'script';

type Context = 'unquoted' | 'double' | 'single' | 'heredoc' | 'heredoc-quoted' | 'comment' | 'pattern';

export interface InjectionFixInput {
  source: SourceText;
  step: Step;
  job?: Job;
  workflow?: Workflow;
  scalar: Scalar;
  sink: InjectionSink;
  /** Value offsets (`Template.start`) of the attacker-controlled templates. */
  tainted: ReadonlySet<number>;
}

export interface InjectionFixes {
  /** Fix for a template (by value offset); absent when it cannot be rewritten. */
  fixFor(start: number): Fix | undefined;
}

interface Planned {
  template: Template;
  name: string;
  rawStart: number;
  rawEnd: number;
  replacement: string;
  safe: boolean;
  /** The env entry to add (undefined when the step already maps this name to the expression). */
  entry?: EntryText;
}

const RESERVED = /^(?:GITHUB_|RUNNER_|ACTIONS_|INPUT_|STATE_)|^(?:CI|HOME|PATH|PWD|SHELL|USER|TEMP|TMP|LANG|IFS|PS1|PS4|OLDPWD|HOSTNAME|NODE_OPTIONS|LD_PRELOAD|BASH_ENV|ENV)$/;

/** `github.event.issue.title` → ISSUE_TITLE; `inputs.name` → INPUTS_NAME; `github.head_ref` → HEAD_REF. */
export function envNameFor(template: Template): string {
  let path: string[] | undefined;
  if (template.ast) {
    walkExpr(template.ast, (n) => {
      const p = contextPath(n);
      if (!path && p && p.length >= 2) path = p;
    });
  }
  let segs = (path ?? []).filter((s) => s !== '*' && !/^\d+$/.test(s));
  if (segs[0] === 'github') segs = segs.slice(segs[1] === 'event' ? 2 : 1);
  if (segs[0] === 'steps' || segs[0] === 'needs') segs = segs.filter((s) => s !== 'outputs');
  const base = segs.slice(-2).join('_').toUpperCase().replace(/[^A-Z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const name = base === '' ? 'VALUE' : /^\d/.test(base) ? `_${base}` : base;
  return RESERVED.test(name) ? `PW_${name}` : name;
}

function normalizeExpr(s: string): string {
  return s.replace(/\s+/g, '');
}

/** Spans of `${{ }}` templates, which the quote scanners treat as opaque words (indexed once: scanners ask at every character). */
const TEMPLATE_INDEX = new WeakMap<Template[], Map<number, Template>>();
function templateAt(templates: Template[], i: number): Template | undefined {
  let index = TEMPLATE_INDEX.get(templates);
  if (!index) TEMPLATE_INDEX.set(templates, (index = new Map(templates.map((t) => [t.start, t]))));
  return index.get(i);
}

/** Bash quoting context at each template start. */
function bashContexts(value: string, templates: Template[]): Map<number, Context> {
  const out = new Map<number, Context>();
  const stack: Array<'unquoted' | 'double' | 'single' | 'backtick'> = ['unquoted'];
  const pendingHeredocs: Array<{ delim: string; strip: boolean; quoted: boolean }> = [];
  const wanted = templates.map((t) => t.start).sort((a, b) => a - b);
  let i = 0;
  const top = (): string => stack[stack.length - 1]!;
  let bracketTest = false; // inside [[ ... ]]
  while (i < value.length) {
    const t = templateAt(templates, i);
    if (t) {
      const state = top();
      let ctx: Context = state === 'double' ? 'double' : state === 'single' ? 'single' : 'unquoted';
      if (ctx === 'unquoted' && bracketTest && /(?:==|!=|=~|=)\s*$/.test(value.slice(lineStart(value, i), i))) ctx = 'pattern';
      out.set(t.start, ctx);
      i = t.end;
      continue;
    }
    const c = value[i]!;
    const state = top();
    if (state === 'single') {
      if (c === "'") stack.pop();
      i++;
      continue;
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (state === 'double') {
      if (c === '"') stack.pop();
      else if (c === '$' && value[i + 1] === '(') {
        stack.push('unquoted');
        i += 2;
        continue;
      } else if (c === '`') stack.push('backtick');
      i++;
      continue;
    }
    // unquoted or backtick or command substitution
    if (c === "'") stack.push('single');
    else if (c === '"') stack.push('double');
    else if (c === '$' && value[i + 1] === "'") {
      stack.push('single');
      i += 2;
      continue;
    } else if (c === '`') {
      if (state === 'backtick') stack.pop();
      else stack.push('backtick');
    } else if (c === '$' && value[i + 1] === '(') {
      stack.push('unquoted');
      i += 2;
      continue;
    } else if (c === ')' && stack.length > 1 && state === 'unquoted') stack.pop();
    else if (c === '[' && value[i + 1] === '[') bracketTest = true;
    else if (c === ']' && value[i + 1] === ']') bracketTest = false;
    else if (c === '#' && (i === 0 || /\s/.test(value[i - 1]!))) {
      const eol = value.indexOf('\n', i);
      const end = eol === -1 ? value.length : eol;
      for (const s of startsIn(wanted, i + 1, end)) out.set(s, 'comment');
      i = end;
      continue;
    } else if (c === '<' && value[i + 1] === '<' && value[i + 2] !== '<') {
      const m = /^<<(-?)\s*(["']?)([A-Za-z_][\w-]*)\2/.exec(value.slice(i));
      if (m) {
        pendingHeredocs.push({ delim: m[3]!, strip: m[1] === '-', quoted: m[2] !== '' });
        i += m[0].length;
        continue;
      }
    } else if (c === '\n') {
      bracketTest = false;
      i++;
      // Here-document bodies start on the next line.
      while (pendingHeredocs.length > 0) {
        const h = pendingHeredocs.shift()!;
        for (;;) {
          const eol = value.indexOf('\n', i);
          const end = eol === -1 ? value.length : eol;
          const line = value.slice(i, end);
          const body = h.strip ? line.replace(/^\t+/, '') : line;
          if (body === h.delim) {
            i = end === value.length ? end : end + 1;
            break;
          }
          for (const s of startsIn(wanted, i, end)) out.set(s, h.quoted ? 'heredoc-quoted' : 'heredoc');
          if (end === value.length) {
            i = end;
            break;
          }
          i = end + 1;
        }
      }
      continue;
    }
    i++;
  }
  return out;
}

/** The values of an ascending list in [from, to): a binary search, so a scan of many lines stays linear-ish. */
function startsIn(sorted: readonly number[], from: number, to: number): number[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let k = lo; k < sorted.length && sorted[k]! < to; k++) out.push(sorted[k]!);
  return out;
}

function lineStart(s: string, i: number): number {
  return s.lastIndexOf('\n', i - 1) + 1;
}

/** PowerShell: single-quoted strings and here-strings are literal. */
function pwshContexts(value: string, templates: Template[]): Map<number, Context> {
  const out = new Map<number, Context>();
  const starts = templates.map((t) => t.start);
  let state: 'code' | 'single' | 'double' = 'code';
  let i = 0;
  while (i < value.length) {
    const t = templateAt(templates, i);
    if (t) {
      out.set(t.start, state === 'single' ? 'single' : state === 'double' ? 'double' : 'unquoted');
      i = t.end;
      continue;
    }
    const c = value[i]!;
    if (state === 'single') {
      if (c === "'" && value[i + 1] === "'") i++;
      else if (c === "'") state = 'code';
    } else if (state === 'double') {
      if (c === '`') i++;
      else if (c === '"') state = 'code';
    } else if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
    else if (c === '#') {
      const eol = value.indexOf('\n', i);
      const end = eol === -1 ? value.length : eol;
      for (const st of startsIn(starts, i + 1, end)) out.set(st, 'comment');
      i = end;
      continue;
    }
    i++;
  }
  return out;
}

type JsContext = { kind: 'code' | 'comment' | 'template-literal' } | { kind: 'string'; quote: string; whole: boolean };

/** JavaScript (github-script): strings, template literals and comments. */
function jsContexts(value: string, templates: Template[]): Map<number, JsContext> {
  const out = new Map<number, JsContext>();
  let state: 'code' | 'line-comment' | 'block-comment' | '"' | "'" | '`' = 'code';
  let stringStart = -1;
  let i = 0;
  while (i < value.length) {
    const t = templateAt(templates, i);
    if (t) {
      if (state === 'code') out.set(t.start, { kind: 'code' });
      else if (state === 'line-comment' || state === 'block-comment') out.set(t.start, { kind: 'comment' });
      else if (state === '`') out.set(t.start, { kind: 'template-literal' });
      else out.set(t.start, { kind: 'string', quote: state, whole: stringStart === t.start - 1 && value[t.end] === state });
      i = t.end;
      continue;
    }
    const c = value[i]!;
    if (state === 'code') {
      if (c === '/' && value[i + 1] === '/') state = 'line-comment';
      else if (c === '/' && value[i + 1] === '*') state = 'block-comment';
      else if (c === '"' || c === "'" || c === '`') {
        state = c;
        stringStart = i;
      }
    } else if (state === 'line-comment') {
      if (c === '\n') state = 'code';
    } else if (state === 'block-comment') {
      if (c === '*' && value[i + 1] === '/') {
        state = 'code';
        i++;
      }
    } else if (c === '\\') i++;
    else if (c === state) state = 'code';
    i++;
  }
  return out;
}

/** Escapes replacement text for the scalar style it is written into. */
function escapeFor(scalar: Scalar, text: string): string | undefined {
  switch (scalar.type) {
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
    case 'PLAIN':
      return text;
    case 'QUOTE_DOUBLE':
      return text.replace(/[\\"]/g, (c) => `\\${c}`);
    case 'QUOTE_SINGLE':
      return text.replace(/'/g, "''");
    default:
      return undefined;
  }
}

/**
 * Plans the rewrite of every tainted template of one scalar and returns, per template, the fix
 * that findings on it carry: safe templates share one safe fix (all of them at once, so one
 * pass fixes a whole step), unsafe ones carry a fix that rewrites every template (unsafe).
 */
export function injectionFixes(input: InjectionFixInput): InjectionFixes {
  const none: InjectionFixes = { fixFor: () => undefined };
  const { source, step, scalar, sink } = input;
  if (typeof scalar.value !== 'string' || !scalar.range || step.node.flow) return none;
  const value = scalar.value;
  const templates = findTemplates(value);
  const tainted = templates.filter((t) => input.tainted.has(t.start) && t.ast);
  if (tainted.length === 0) return none;
  const dialect = sink === 'run' ? dialectOf(step, input.job, input.workflow) : 'js';
  if (dialect !== 'bash' && dialect !== 'pwsh' && dialect !== 'js') return none;

  const raw = source.text.slice(scalar.range[0], scalar.range[1]);
  const rawOpens: number[] = [];
  for (let i = raw.indexOf('${{'); i !== -1; i = raw.indexOf('${{', i + 3)) rawOpens.push(i);

  // Names: reuse the step's own entry for the same expression; avoid every name in sight.
  const taken = new Set<string>();
  for (const level of [step.env, input.job?.env ?? [], input.workflow?.env ?? []]) for (const e of level) taken.add(e.key.toUpperCase());
  let outside = '';
  let from = 0;
  for (const t of templates) {
    outside += `${value.slice(from, t.start)} `;
    from = t.end;
  }
  outside += value.slice(from);
  for (const m of outside.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) taken.add(m[0].toUpperCase());
  const byExpr = new Map<string, { name: string; existing: boolean }>();
  for (const e of step.env) {
    const ts = e.text !== undefined ? findTemplates(e.text) : [];
    if (ts.length === 1 && ts[0]!.start === 0 && ts[0]!.end === e.text!.length) byExpr.set(normalizeExpr(ts[0]!.inner), { name: e.key, existing: true });
  }
  const nameFor = (t: Template): { name: string; existing: boolean } => {
    const key = normalizeExpr(t.inner);
    const known = byExpr.get(key);
    if (known) return known;
    const base = envNameFor(t);
    let name = base;
    for (let k = 2; taken.has(name.toUpperCase()); k++) name = `${base}_${k}`;
    taken.add(name.toUpperCase());
    const made = { name, existing: false };
    byExpr.set(key, made);
    return made;
  };

  const bash = dialect === 'bash' ? bashContexts(value, templates) : undefined;
  const pwsh = dialect === 'pwsh' ? pwshContexts(value, templates) : undefined;
  const js = dialect === 'js' ? jsContexts(value, templates) : undefined;
  const planned: Planned[] = [];
  const block = scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED';
  const indexOf = new Map(templates.map((t, k) => [t, k]));
  for (const t of tainted) {
    const k = indexOf.get(t)!;
    const open = rawOpens[k];
    if (open === undefined || raw.slice(open, open + (t.end - t.start)) !== value.slice(t.start, t.end)) continue;
    const { name, existing } = nameFor(t);
    let replacement: string;
    let safe = true;
    let rawStart = open;
    let rawEnd = open + (t.end - t.start);
    if (bash) {
      const ctx = bash.get(t.start) ?? 'unquoted';
      if (ctx === 'heredoc-quoted') continue;
      if (ctx === 'double' || ctx === 'heredoc' || ctx === 'comment') replacement = `\${${name}}`;
      else if (ctx === 'single') {
        replacement = `'"\${${name}}"'`;
        safe = false;
      } else {
        replacement = `"\${${name}}"`;
        safe = ctx !== 'pattern';
      }
    } else if (pwsh) {
      const ctx = pwsh.get(t.start) ?? 'unquoted';
      replacement = `\${env:${name}}`;
      safe = ctx !== 'single';
    } else {
      const ctx = js!.get(t.start) ?? { kind: 'code' };
      const ref = `process.env.${name}`;
      if (ctx.kind === 'string' && ctx.whole && block) {
        replacement = ref;
        rawStart -= 1;
        rawEnd += 1;
      } else if (ctx.kind === 'string') {
        replacement = `${ctx.quote} + ${ref} + ${ctx.quote}`;
        safe = false;
      } else if (ctx.kind === 'template-literal') replacement = `\${${ref}}`;
      else {
        replacement = ref;
        safe = ctx.kind === 'comment';
      }
    }
    const escaped = escapeFor(scalar, replacement);
    // A plain scalar cannot start with a quote: that would turn it into a quoted one.
    if (escaped === undefined || (scalar.type === 'PLAIN' && rawStart === 0 && /^["']/.test(escaped))) continue;
    planned.push({
      template: t,
      name,
      rawStart: scalar.range[0] + rawStart,
      rawEnd: scalar.range[0] + rawEnd,
      replacement: escaped,
      safe,
      entry: existing ? undefined : { key: name, value: yamlScalar(`\${{ ${t.inner.trim()} }}`) },
    });
  }
  if (planned.length === 0) return none;

  const build = (items: Planned[], safety: Fix['safety']): Fix | undefined => {
    if (items.length === 0) return undefined;
    const entries: EntryText[] = [];
    const seen = new Set<string>();
    for (const p of items) {
      if (p.entry && !seen.has(p.name)) {
        seen.add(p.name);
        entries.push(p.entry);
      }
    }
    const edits: TextEdit[] = items.map((p) => ({ file: source.path, start: p.rawStart, end: p.rawEnd, replacement: p.replacement }));
    // The model may change in the script's value and in the step's env: only.
    const intents: FixIntent[] = [{ at: scalar.range![0] }];
    if (entries.length > 0) {
      const envEdit = addEntries(source, step.node, 'env', entries, sink === 'run' ? 'run' : 'with');
      const stepAt = step.node.range?.[0];
      if (!envEdit || stepAt === undefined) return undefined;
      edits.push(envEdit);
      intents.push({ at: stepAt, key: 'env' });
    }
    const names = [...new Set(items.map((p) => p.name))];
    const exprs = [...new Set(items.map((p) => p.template.inner.trim()))];
    return {
      description: `move ${exprs.join(', ')} into env: ${names.join(', ')} and read ${names.length === 1 ? 'it' : 'them'} from the environment`,
      safety,
      edits: edits.sort((a, b) => a.start - b.start),
      intents,
    };
  };
  const safeItems = planned.filter((p) => p.safe);
  const safeFix = build(safeItems, 'safe');
  const allFix = planned.some((p) => !p.safe) ? build(planned, 'unsafe') : safeFix;
  const byStart = new Map(planned.map((p) => [p.template.start, p]));
  return {
    fixFor(start) {
      const p = byStart.get(start);
      if (!p) return undefined;
      return p.safe ? safeFix : allFix;
    },
  };
}
