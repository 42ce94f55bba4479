import type { Scalar } from 'yaml';
import type { Location } from '../core/finding.js';
import { locationOf, nodeLocation, type SourceText } from '../yaml/load.js';
import { templateSpans } from '../analysis/template-spans.js';

/*
 * Helpers for reading scripts (`run:`, `script:`, `bash:`...) of every CI platform as a person
 * would: where each part of a parsed YAML value sits in the file, which lines are code (not
 * comments or here-document bodies), how lines split into statements and pipelines, and what is
 * downloaded and run. GitHub's `if:` conditions and `$GITHUB_ENV` writes, built on these, are in
 * src/platforms/github/conditions.ts and file-commands.ts.
 * Everything works on offsets into the parsed scalar value; ScalarText maps them back to the file.
 */

// ---------------------------------------------------------------------------------------------
// Positions

/**
 * Maps offsets in a scalar's parsed value to offsets in the source file. Literal blocks (`|`)
 * map exactly: value line i is source line header+1+i, shifted by the block's indentation.
 * Other styles (plain, quoted, folded) are aligned character by character, skipping the
 * indentation, line folds, quotes and escapes that YAML removed.
 */
export class ScalarText {
  readonly value: string;
  private readonly map: number[];

  constructor(readonly source: SourceText, readonly scalar: Scalar) {
    this.value = typeof scalar.value === 'string' ? scalar.value : String(scalar.value ?? '');
    this.map = (scalar.type === 'BLOCK_LITERAL' && this.literalMap()) || this.alignedMap();
  }

  /** Absolute source offset of value offset `i` (clamped to the value). */
  offset(i: number): number {
    return this.map[Math.max(0, Math.min(i, this.map.length - 1))]!;
  }

  /** File location of the value range [start, end). */
  location(start: number, end: number): Location {
    if (!this.scalar.range) return nodeLocation(this.source, this.scalar);
    const s = this.offset(start);
    const e = end > start ? this.offset(end - 1) + 1 : s;
    return locationOf(this.source, s, Math.max(e, s));
  }

  private literalMap(): number[] | undefined {
    const range = this.scalar.range;
    if (!range) return undefined;
    const text = this.source.text;
    const header = this.source.lines.linePos(range[0]).line; // 1-based
    const lineStarts = this.source.lines.lineStarts;
    const valueLines = this.value.split('\n');
    let indent: number | undefined;
    for (let i = 0; i < valueLines.length && indent === undefined; i++) {
      const v = valueLines[i]!;
      if (v.trim() === '') continue;
      const srcLine = sourceLine(text, lineStarts, header + i); // 0-based index header+i is the 1-based line header+1+i
      if (srcLine === undefined || !srcLine.endsWith(v)) return undefined;
      indent = srcLine.length - v.length;
    }
    if (indent === undefined) return undefined;
    const map: number[] = [];
    let fallback = range[0];
    for (let i = 0; i < valueLines.length; i++) {
      const v = valueLines[i]!;
      const lineStart = lineStarts[header + i];
      const base = lineStart === undefined ? undefined : lineStart + indent;
      for (let c = 0; c <= v.length; c++) {
        // c === v.length is the newline after the line (or the end of the value).
        const at = base === undefined ? fallback : Math.min(base + c, text.length);
        if (i === valueLines.length - 1 && c === v.length) {
          map.push(at);
          break;
        }
        map.push(at);
        fallback = at;
      }
    }
    return map.length === this.value.length + 1 ? map : undefined;
  }

  private alignedMap(): number[] {
    const map: number[] = [];
    const range = this.scalar.range;
    if (!range) return new Array<number>(this.value.length + 1).fill(0);
    const raw = this.source.text;
    const end = range[1];
    let j = range[0];
    if (this.scalar.type === 'BLOCK_FOLDED') {
      const nl = raw.indexOf('\n', j);
      j = nl === -1 ? end : nl + 1;
    } else if (this.scalar.type === 'QUOTE_DOUBLE' || this.scalar.type === 'QUOTE_SINGLE') {
      j++;
    }
    for (let i = 0; i < this.value.length; i++) {
      const c = this.value[i]!;
      let k = j;
      while (k < end && raw[k] !== c && SKIPPABLE.has(raw[k]!)) k++;
      if (k < end && raw[k] === c) {
        map.push(k);
        j = k + 1;
      } else if (/\s/.test(c)) {
        map.push(Math.min(j, end));
      } else {
        map.push(Math.min(j, end));
        if (j < end) j++;
      }
    }
    map.push(Math.min(j, end));
    return map;
  }
}

const SKIPPABLE = new Set([' ', '\t', '\n', '\r', '"', "'", '\\']);

function sourceLine(text: string, lineStarts: readonly number[], index: number): string | undefined {
  const start = lineStarts[index];
  if (start === undefined) return undefined;
  const next = lineStarts[index + 1];
  let end = next === undefined ? text.length : next - 1;
  if (text[end - 1] === '\r') end--;
  return text.slice(start, end);
}

// ---------------------------------------------------------------------------------------------
// Scripts

export type Dialect = 'bash' | 'pwsh' | 'cmd' | 'other';

export interface Span {
  /** Offsets into the script (the scalar value), [start, end). */
  start: number;
  end: number;
}

export interface ScriptLine extends Span {
  /** Original text of the logical line (continuations included). */
  text: string;
  /** Same length as `text`: `${{ }}` replaced by `_`, comments and line continuations by spaces. */
  code: string;
  /** Set for lines that are the body (or terminator) of a here-document: data, not commands. */
  heredoc?: { opener: number; expands: boolean; terminator: boolean };
}

export interface Script {
  value: string;
  dialect: Dialect;
  lines: ScriptLine[];
}

const HEREDOC_RE = /(?<![<\w])<<(-?)\s*(["']?)([A-Za-z_][\w-]*)\2/g;

/**
 * Splits a script into logical lines (backslash or backtick continuations joined), blanks
 * comments and `${{ }}` templates in a `code` view, and marks here-document bodies.
 */
export function parseScript(value: string, dialect: Dialect): Script {
  // Several rules parse the same run: scripts; the result is never mutated, so share it.
  const key = `${dialect}\0${value}`;
  const cached = scriptCache.get(key);
  if (cached) return cached;
  const script = parseScriptUncached(value, dialect);
  if (scriptCache.size >= 4096) scriptCache.clear();
  scriptCache.set(key, script);
  return script;
}

const scriptCache = new Map<string, Script>();

function parseScriptUncached(value: string, dialect: Dialect): Script {
  const physical: Span[] = [];
  let from = 0;
  for (;;) {
    const nl = value.indexOf('\n', from);
    physical.push({ start: from, end: nl === -1 ? value.length : nl });
    if (nl === -1) break;
    from = nl + 1;
  }
  const masked = maskTemplates(value);
  const lines: ScriptLine[] = [];
  const cont = dialect === 'pwsh' ? '`' : dialect === 'cmd' ? '^' : '\\';
  let pendingHeredocs: Array<{ delimiter: string; stripTabs: boolean; expands: boolean; opener: number }> = [];
  for (let p = 0; p < physical.length; p++) {
    const first = physical[p]!;
    if (pendingHeredocs.length > 0) {
      const h = pendingHeredocs[0]!;
      const text = value.slice(first.start, first.end);
      const terminator = (h.stripTabs ? text.replace(/^\t+/, '') : text).replace(/\r$/, '').trim() === h.delimiter;
      lines.push({ start: first.start, end: first.end, text, code: text, heredoc: { opener: h.opener, expands: h.expands, terminator } });
      if (terminator) pendingHeredocs = pendingHeredocs.slice(1);
      continue;
    }
    let end = first.end;
    // Only the last physical line can end in a continuation (re-slicing the joined text would be quadratic).
    while (p + 1 < physical.length && endsWithContinuation(masked.slice(physical[p]!.start, end), cont)) {
      p++;
      end = physical[p]!.end;
    }
    const text = value.slice(first.start, end);
    let code = stripComments(masked.slice(first.start, end), dialect);
    // Continuations become spaces so statements read as one line.
    code = code.replace(cont === '\\' ? /\\\r?\n/g : cont === '`' ? /`\r?\n/g : /\^\r?\n/g, (m) => ' '.repeat(m.length)).replace(/\r/g, ' ');
    const index = lines.length;
    lines.push({ start: first.start, end, text, code });
    if (dialect === 'bash') {
      for (const m of code.matchAll(HEREDOC_RE)) {
        pendingHeredocs.push({ delimiter: m[3]!, stripTabs: m[1] === '-', expands: m[2] === '', opener: index });
      }
    }
  }
  return { value, dialect, lines };
}

function endsWithContinuation(text: string, cont: string): boolean {
  const t = text.replace(/\r$/, '');
  if (!t.endsWith(cont)) return false;
  if (cont !== '\\') return true;
  // An even number of trailing backslashes is escaped backslashes, not a continuation.
  const m = /\\+$/.exec(t)!;
  return m[0].length % 2 === 1;
}

/** Replaces every `${{ ... }}` with underscores of the same length. */
export function maskTemplates(text: string): string {
  // Built in one pass: re-slicing the whole text per template was quadratic in the template count.
  const parts: string[] = [];
  let from = 0;
  for (const t of templateSpans(text)) {
    parts.push(text.slice(from, t.start), '_'.repeat(t.end - t.start));
    from = t.end;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

/** Blanks shell comments (`#` at the start of a word, outside quotes) to spaces. */
export function stripComments(code: string, dialect: Dialect): string {
  if (dialect === 'cmd') return /^\s*(?:rem\b|::)/i.test(code) ? ' '.repeat(code.length) : code;
  let quote: string | undefined;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (quote) {
      if (c === '\\' && quote === '"' && dialect === 'bash') i++;
      else if (c === '`' && quote === '"' && dialect === 'pwsh') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '\\' && dialect === 'bash') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /[\s;&|(]/.test(code[i - 1]!))) {
      const nl = code.indexOf('\n', i);
      const stop = nl === -1 ? code.length : nl;
      return code.slice(0, i) + ' '.repeat(stop - i) + (nl === -1 ? '' : stripComments(code.slice(nl), dialect));
    }
  }
  return code;
}

/** Lines holding commands (not here-document bodies), with something on them. */
export function commandLines(script: Script): ScriptLine[] {
  return script.lines.filter((l) => !l.heredoc && l.code.trim() !== '');
}

interface ScanState {
  quote?: string;
  depth: number;
}

/**
 * Splits `code` (a line's code view) at top-level separators. `mode` 'statements' splits at
 * `;`, `&&`, `||` and a lone `&`; 'pipeline' splits at a lone `|`. Quotes, `$( )`, `( )`,
 * backticks and `{ }` groups on one line nest. Spans are relative to `code`, trimmed.
 */
export function splitCode(code: string, mode: 'statements' | 'pipeline', dialect: Dialect = 'bash'): Span[] {
  const out: Span[] = [];
  const st: ScanState = { depth: 0 };
  let segStart = 0;
  const push = (end: number, next: number): void => {
    const span = trimSpan(code, segStart, end);
    if (span.end > span.start) out.push(span);
    segStart = next;
  };
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (st.quote) {
      if (c === '\\' && st.quote !== "'" && dialect === 'bash') i++;
      else if (c === st.quote) st.quote = undefined;
      else if (st.quote === '"' && c === '$' && code[i + 1] === '(') {
        // Command substitution inside double quotes: track it as nesting so its quotes do not end ours.
        const close = matchParen(code, i + 1, dialect);
        i = close;
      }
      continue;
    }
    if (c === '\\' && dialect === 'bash') {
      i++;
      continue;
    }
    if (c === '"' || c === "'" || (c === '`' && dialect === 'bash')) {
      st.quote = c;
      continue;
    }
    if (c === '(' || c === '{') {
      st.depth++;
      continue;
    }
    if ((c === ')' || c === '}') && st.depth > 0) {
      st.depth--;
      continue;
    }
    if (st.depth > 0) continue;
    const two = code.slice(i, i + 2);
    if (mode === 'statements') {
      if (two === '&&' || two === '||') {
        push(i, i + 2);
        i++;
      } else if (c === ';' && code[i + 1] !== ';') push(i, i + 1);
      else if (c === '&' && code[i - 1] !== '>' && code[i + 1] !== '>' && code[i - 1] !== '<') push(i, i + 1);
    } else if (c === '|' && two !== '||' && code[i - 1] !== '|' && code[i - 1] !== '>') {
      push(i, i + 1);
    }
  }
  push(code.length, code.length);
  return out;
}

function matchParen(code: string, open: number, dialect: Dialect): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < code.length; i++) {
    const c = code[i]!;
    if (quote) {
      if (c === '\\' && quote !== "'" && dialect === 'bash') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return code.length - 1;
}

function trimSpan(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  return { start: s, end: e };
}

/** A statement of a command line: spans relative to the script value. */
export interface Statement extends Span {
  line: ScriptLine;
  lineIndex: number;
  /** Code view of the statement. */
  code: string;
  /** Original text of the statement. */
  text: string;
}

/**
 * The statements of a script. Scripts are shared (parseScript caches them) and a dozen rules ask
 * for the statements of the same script, so they are split once per script and the array is
 * shared: callers read it, never change it (issue 9 profile: splitCode was the top rule cost).
 */
export const statementsOf: (script: Script) => Statement[] = memoByScript(statementsUncached);

/** One result per script object, computed on first use (scripts are immutable and shared). */
export function memoByScript<T>(compute: (script: Script) => T): (script: Script) => T {
  const cache = new WeakMap<Script, T>();
  return (script) => {
    if (cache.has(script)) return cache.get(script)!;
    const value = compute(script);
    cache.set(script, value);
    return value;
  };
}

function statementsUncached(script: Script): Statement[] {
  const out: Statement[] = [];
  script.lines.forEach((line, lineIndex) => {
    if (line.heredoc || line.code.trim() === '') return;
    for (const s of splitCode(line.code, 'statements', script.dialect)) {
      out.push({ start: line.start + s.start, end: line.start + s.end, line, lineIndex, code: line.code.slice(s.start, s.end), text: line.text.slice(s.start, s.end) });
    }
  });
  return out;
}

/** Blanks the contents of single-quoted strings (bash does not expand `$VAR` there). */
export function blankSingleQuoted(code: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (quote === "'") {
      if (c === "'") {
        quote = undefined;
        out += c;
      } else out += ' ';
      continue;
    }
    if (quote === '"') {
      if (c === '\\') {
        out += code.slice(i, i + 2);
        i++;
        continue;
      }
      if (c === '"') quote = undefined;
      out += c;
      continue;
    }
    if (c === '\\') {
      out += code.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    out += c;
  }
  return out;
}

/**
 * Names of environment variables a piece of code reads, per dialect: `$X`/`${X}` in bash
 * (not inside single quotes), `$env:X` in PowerShell, `%X%` in cmd.
 */
export function envReads(code: string, dialect: Dialect): string[] {
  const out: string[] = [];
  if (dialect === 'pwsh') {
    for (const m of code.matchAll(/\$\{?env:([A-Za-z_][A-Za-z0-9_]*)\}?/gi)) out.push(m[1]!);
  } else if (dialect === 'cmd') {
    for (const m of code.matchAll(/%([A-Za-z_][A-Za-z0-9_]*)%/g)) out.push(m[1]!);
  } else {
    for (const m of blankSingleQuoted(code).matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) out.push(m[1]!);
  }
  return out;
}

/**
 * Whether the text at `at` sits inside a command substitution `$( ... )` whose pipeline removes
 * newlines (`tr -d '\n'`, `tr -cd 'SET'`, `head -n 1`): then it cannot start a second line of
 * a dotenv or $GITHUB_ENV file. `raw` is the statement as written (single-quoted text still in place).
 */
export function newlinesStripped(raw: string, at: number): boolean {
  let depth = 0;
  for (let i = at - 1; i >= 1; i--) {
    const c = raw[i];
    if (c === ')') depth++;
    else if (c === '(' && raw[i - 1] === '$') {
      if (depth > 0) {
        depth--;
        continue;
      }
      // The matching `)` of this `$(`.
      let level = 0;
      let end = raw.length;
      for (let j = i + 1; j < raw.length; j++) {
        if (raw[j] === '(') level++;
        else if (raw[j] === ')') {
          if (level === 0) {
            end = j;
            break;
          }
          level--;
        }
      }
      const body = raw.slice(at, end);
      return /\|\s*tr\s+(?:-d|--delete)\s+(["'])(?:\\r)?\\n\1|\|\s*tr\s+(?:-cd|-dc)\s+(["'])(?:(?!\\n)[^"'])*\2|\|\s*head\s+(?:-n\s*1|-1)\b/.test(body);
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Download and execute

export const DOWNLOADERS = /^(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod|http|fetch|aria2c)(?:\.exe)?$/i;
const INTERPRETERS = /^(?:(?:ba|z|da|k|fi)?sh|python[0-9.]*|py|node|nodejs|deno|bun|perl|ruby|php|pwsh|powershell|iex|invoke-expression|source|\.)(?:\.exe)?$/i;
const VERIFIERS = /\b(?:sha(?:1|224|256|384|512)sum|shasum|b2sum|md5sum|gpg[2]?\s+(?:--batch\s+)?--verify|gpgv|cosign\s+verify(?:-blob)?|minisign\s+-V|openssl\s+dgst|get-filehash|slsa-verifier|gh\s+attestation\s+verify|sigstore\s+verify|ssh-keygen\s+-Y\s+verify)\b/i;

export interface DownloadExec {
  /** Statement to report (the pipe, or the command that runs the downloaded file). */
  statement: Statement;
  kind: 'pipe' | 'process-substitution' | 'command-substitution' | 'powershell' | 'file';
  downloader: string;
  interpreter: string;
  /** For `file`: the statement that downloaded it, and the file. */
  download?: Statement;
  file?: string;
}

/** Command name of a pipeline segment, skipping `sudo`, `env X=Y`, `time` and flags of those. */
export function commandName(segment: string): string {
  // Words are read one at a time (most segments are decided by their first word) rather than
  // splitting the whole segment; the same words as `segment.trim().split(/\s+/)`.
  const word = /\S+/g;
  let prev1: string | undefined;
  let prev2: string | undefined;
  for (let i = 0; ; i++) {
    const m = word.exec(segment);
    if (m === null) return '';
    const w = m[0];
    if (PREFIX_COMMANDS.has(w) || ASSIGNMENT.test(w)) {
      // skipped
    } else if (i > 0 && w.startsWith('-') && (prev1 === 'sudo' || prev1 === 'env')) {
      // a flag of sudo/env
    } else if (i > 0 && w.startsWith('-') && prev1?.startsWith('-') && (prev2 === 'sudo' || prev2 === 'env')) {
      // a second flag after a flag of sudo/env
    } else return w.replace(/^\\/, '').replace(/^.*\//, '');
    prev2 = prev1;
    prev1 = w;
  }
}

const PREFIX_COMMANDS = new Set(['sudo', 'env', 'time', 'nohup', 'exec', 'command']);
const ASSIGNMENT = /^[A-Za-z_]\w*=/;

/** Downloaded code run without verification: pipes, substitutions, and download-then-run files. */
/** `bash -c '...'`, `sh -c "..."` (also inside `docker run ... bash -c`, `ssh host sh -c`): the inner script. */
const SHELL_C_ARG = /(?:^|[\s;&|])(?:(?:ba|z|da|k)?sh|su)\s+(?:-[^\sc]\S*\s+)*-c\s+(?:'([^']*)'|"((?:[^"\\]|\\.)*)")/g;

export function downloadExecs(script: Script, depth = 0): DownloadExec[] {
  if (script.dialect === 'other') return [];
  const out: DownloadExec[] = [];
  const statements = statementsOf(script);
  const downloads: Array<{ st: Statement; file: string; downloader: string; index: number }> = [];
  statements.forEach((st, index) => {
    const code = st.code;
    const segments = splitCode(code, 'pipeline', script.dialect).map((s) => code.slice(s.start, s.end));
    // curl ... | sh
    const dl = segments.findIndex((s) => DOWNLOADERS.test(commandName(s)) || isWebClient(s));
    if (dl !== -1) {
      const runner = segments.slice(dl + 1).find((s) => INTERPRETERS.test(commandName(s)) && !isNonExecutingUse(s));
      if (runner) {
        out.push({ statement: st, kind: script.dialect === 'pwsh' ? 'powershell' : 'pipe', downloader: downloaderName(segments[dl]!), interpreter: commandName(runner) });
        return;
      }
    }
    // bash <(curl ...)  /  source <(wget -O- ...)
    const ps = /(?:^|[\s;&|])((?:sudo\s+(?:-\S+\s+)*)?(?:(?:ba|z|da|k)?sh|source|\.))\s+(?:-\S+\s+)*<\(\s*(curl|wget)\b/.exec(code);
    if (ps) {
      out.push({ statement: st, kind: 'process-substitution', downloader: ps[2]!, interpreter: commandName(ps[1]!) });
      return;
    }
    // sh -c "$(curl ...)"  /  eval "$(wget -qO- ...)"
    const cs = /(?:^|[\s;&|])((?:ba|z|da|k)?sh\s+(?:-\S+\s+)*-c|eval)\s+["']?(?:\$\(|`)\s*(curl|wget)\b/.exec(code);
    if (cs) {
      out.push({ statement: st, kind: 'command-substitution', downloader: cs[2]!, interpreter: cs[1]!.split(/\s+/)[0]! });
      return;
    }
    // iex (iwr ...) / Invoke-Expression ((New-Object Net.WebClient).DownloadString(...))
    const ix = /(?:^|[\s;&|(])(iex|invoke-expression)\s*\(?\s*(?:&\s*)?\(*\s*((?:new-object\s+(?:system\.)?net\.webclient\)?\.downloadstring)|iwr|irm|invoke-webrequest|invoke-restmethod|curl|wget)\b/i.exec(code);
    if (ix) {
      out.push({ statement: st, kind: 'powershell', downloader: downloaderName(ix[2]!), interpreter: ix[1]! });
      return;
    }
    const saved = savedFile(segments);
    if (saved) downloads.push({ st, file: saved.file, downloader: saved.downloader, index });
    // docker run img bash -c 'curl ... | bash': the quoted script runs too (a few levels deep at most).
    if (depth < 3 && script.dialect !== 'pwsh') {
      for (const m of code.matchAll(SHELL_C_ARG)) {
        const inner = m[1] ?? m[2]!.replace(/\\(["\\$`])/g, '$1');
        const nested = downloadExecs(parseScript(inner, 'bash'), depth + 1).find((d) => d.kind !== 'file');
        if (nested) {
          out.push({ statement: st, kind: nested.kind, downloader: nested.downloader, interpreter: nested.interpreter });
          return;
        }
      }
    }
  });
  // curl -o x.sh URL && bash x.sh (no checksum or signature check in between)
  for (const d of downloads) {
    for (let k = d.index + 1; k < statements.length; k++) {
      const st = statements[k]!;
      if (VERIFIERS.test(st.code) && mentionsFile(st.code, d.file)) break;
      if (VERIFIERS.test(st.code) && /-c\b|--check|verify/i.test(st.code)) break;
      const interp = runsFile(st.code, d.file);
      if (interp) {
        out.push({ statement: st, kind: 'file', downloader: d.downloader, interpreter: interp, download: d.st, file: d.file });
        break;
      }
    }
  }
  return out.sort((a, b) => a.statement.start - b.statement.start);
}

function isWebClient(segment: string): boolean {
  return /\(\s*new-object\s+(?:system\.)?net\.webclient\s*\)\s*\.download(?:string|data)/i.test(segment);
}

function downloaderName(segment: string): string {
  if (isWebClient(segment) || /webclient/i.test(segment)) return 'Net.WebClient';
  return commandName(segment);
}

/** `bash --version`, `python -m json.tool` and the like read stdin as data or not at all. */
function isNonExecutingUse(segment: string): boolean {
  return /\s(?:--version|-V|--help)\b/.test(segment) || /^\s*python[0-9.]*\s+-m\s+json\.tool/.test(segment);
}

function savedFile(segments: string[]): { file: string; downloader: string } | undefined {
  for (const seg of segments) {
    const name = commandName(seg);
    if (!DOWNLOADERS.test(name)) continue;
    const args = seg.trim().split(/\s+/);
    let file: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if ((a === '-o' || a === '--output' || a === '-O' && /wget/i.test(name) || /^-outfile$/i.test(a)) && args[i + 1]) file = args[i + 1];
      else if (/^--output=/.test(a) || /^--output-document=/.test(a)) file = a.split('=')[1];
      else if (/^-[a-zA-Z]*o$/.test(a) && /curl/i.test(name) && args[i + 1]) file = args[i + 1];
      else if (/^-[a-zA-Z]*O$/.test(a) && /curl/i.test(name)) {
        const url = args.find((x) => /^["']?https?:\/\//.test(x));
        if (url) file = url.replace(/["']/g, '').replace(/[?#].*$/, '').replace(/^.*\//, '');
      }
    }
    if (!file && /wget/i.test(name)) {
      const url = args.find((x) => /^["']?https?:\/\//.test(x));
      if (url && !args.some((a) => /^-[a-zA-Z]*O/.test(a))) file = url.replace(/["']/g, '').replace(/[?#].*$/, '').replace(/^.*\//, '');
    }
    if (!file && /^\s*\S+.*>\s*(\S+)\s*$/.test(seg) && /curl|wget/i.test(name)) file = /\s>\s*(\S+)\s*$/.exec(seg)?.[1];
    if (file && file !== '-' && file !== '/dev/null') return { file: file.replace(/^["']|["']$/g, ''), downloader: name };
  }
  return undefined;
}

function mentionsFile(code: string, file: string): boolean {
  const base = file.replace(/^.*\//, '');
  return code.includes(base);
}

/** The interpreter when `code` runs `file` (`bash x.sh`, `./x.sh`, `sudo sh x.sh`, `. x.sh`). */
function runsFile(code: string, file: string): string | undefined {
  const base = file.replace(/^\.\//, '');
  for (const seg of splitCode(code, 'pipeline').map((s) => code.slice(s.start, s.end))) {
    const name = commandName(seg);
    const words = seg.trim().split(/\s+/).map((w) => w.replace(/^["']|["']$/g, ''));
    const target = (w: string): boolean => w === file || w === base || w === `./${base}` || w.endsWith(`/${base}`);
    if (target(name)) return base;
    if (INTERPRETERS.test(name) && !/^(?:iex|invoke-expression)$/i.test(name)) {
      const idx = words.findIndex((w) => w.replace(/^.*\//, '') === name || w === name);
      if (words.slice(idx + 1).some(target)) return name;
    }
    if (/^&$/.test(words[0] ?? '') && words[1] && target(words[1])) return 'pwsh';
    if (target(words[0] ?? '') || (words[0] === 'sudo' && target(words[1] ?? ''))) return base;
  }
  return undefined;
}

export function hasVerification(code: string): boolean {
  return VERIFIERS.test(code);
}
