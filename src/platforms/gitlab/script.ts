import type { Location, RelatedLocation } from '../../core/finding.js';
import { blankSingleQuoted, parseScript, ScalarText, statementsOf, type Script, type Statement } from '../../shell/script.js';
import { jobRuns } from './conditions.js';
import { GIT_LOG_TEXT, UNTRUSTED_VARS, type UntrustedVar } from './contexts.js';
import type { Job, ScalarVal, ScriptLine } from './model.js';
import { lookupVariable, originLocation } from './parse.js';

/*
 * GitLab hands `script:` lines to the runner's shell as they are written: `$VAR` is expanded by
 * the shell at run time, as data. A value only becomes code when something re-parses it (`eval`,
 * `sh -c "..."`, `python -c "..."`) or when text is substituted into the script before the shell
 * runs (`$[[ inputs.x ]]`, at pipeline creation).
 */

/** Where an attacker-controlled value comes from, and how it reached a variable. */
export interface Taint {
  source: string;
  info: UntrustedVar;
  /** Hops (variable definitions, shell assignments), nearest to the source last. */
  chain: RelatedLocation[];
  /** Through a shell assignment in the script (not a YAML variable). */
  viaShell: boolean;
}

const REF_RE = /(?<!\\)\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** `$X` / `${X}` references in text (no single-quote handling: for YAML values). */
export function varRefs(text: string): string[] {
  return [...text.matchAll(REF_RE)].map((m) => m[1]!);
}

/** YAML variables (global and job) that carry attacker-controlled text, followed through other variables. */
export function yamlTaint(job: Job): Map<string, Taint> {
  const out = new Map<string, Taint>();
  for (const [name, info] of Object.entries(UNTRUSTED_VARS)) out.set(name, { source: name, info, chain: [], viaShell: false });
  const names = [...new Set(job.variables.map((v) => v.name))];
  for (let pass = 0; pass < 5; pass++) {
    let changed = false;
    for (const name of names) {
      if (out.has(name) && out.get(name)!.chain.length === 0 && UNTRUSTED_VARS[name]) continue;
      const v = lookupVariable(job, name);
      if (!v?.value || !v.expand || typeof v.value.value !== 'string') continue;
      for (const ref of varRefs(v.value.value)) {
        const t = ref !== name ? out.get(ref) : undefined;
        if (!t || out.has(name)) continue;
        out.set(name, { ...t, chain: [{ ...originLocation(v.value.at), message: `variable ${name} is set from ${t.source} here` }, ...t.chain] });
        changed = true;
      }
    }
    if (!changed) break;
  }
  return out;
}

export interface ScriptEntry extends ParsedLine {
  line: ScriptLine;
}

const parsed = new WeakMap<ScalarVal, ParsedLine>();

interface ParsedLine {
  script: Script;
  text: ScalarText;
  statements: Statement[];
}

/** A script line parsed for the shell (cached: templates and defaults are shared by many jobs). */
export function parsedLine(value: ScalarVal): ParsedLine {
  let hit = parsed.get(value);
  if (!hit) {
    const script = parseScript(String(value.value), 'bash');
    hit = { script, text: new ScalarText(value.at.file.source, value.scalar), statements: statementsOf(script) };
    parsed.set(value, hit);
  }
  return hit;
}

/** The job's script lines parsed for the shell, in run order. */
export function scriptEntries(job: Job): ScriptEntry[] {
  return job.scripts.map((line) => ({ line, ...parsedLine(line.value) }));
}

export interface Sink {
  entry: ScriptEntry;
  statement: Statement;
  /** `eval`, `sh -c`, `python -c`... */
  kind: string;
  /** A variable expanded into the re-parsed text, with its taint. */
  variable: string;
  taint: Taint;
  location: Location;
}

const SINK_HINT = /eval|sh\b|python|\bpy\b|node|deno|perl|ruby|php|pwsh|powershell/i;

const SINKS: Array<{ re: RegExp; kind: (m: RegExpExecArray) => string }> = [
  { re: /(?:^|[\s;&|(])(eval)\s+/g, kind: () => 'eval' },
  { re: /(?:^|[\s;&|(/])((?:ba|z|da|k|fi)?sh)\s+(?:-[a-zA-Z]+\s+)*?-[a-zA-Z]*c[a-zA-Z]*\s+/g, kind: (m) => `${m[1]} -c` },
  { re: /(?:^|[\s;&|(/])(python[0-9.]*|py)\s+(?:-[a-zA-Z]+\s+)*?-c\s+/g, kind: (m) => `${m[1]} -c` },
  { re: /(?:^|[\s;&|(/])(node|nodejs|deno)\s+(?:-[a-zA-Z-]+\s+)*?(?:-e|--eval|-p|--print)\s+/g, kind: (m) => `${m[1]} -e` },
  { re: /(?:^|[\s;&|(/])(perl|ruby)\s+(?:-[a-zA-Z]+\s+)*?-[a-zA-Z]*[eE]\s+/g, kind: (m) => `${m[1]} -e` },
  { re: /(?:^|[\s;&|(/])(php)\s+(?:-[a-zA-Z]+\s+)*?-r\s+/g, kind: () => 'php -r' },
  { re: /(?:^|[\s;&|(/])(pwsh|powershell)(?:\.exe)?\s+(?:-[a-zA-Z]+\s+)*?-(?:c|command)\s+/gi, kind: (m) => `${m[1]} -Command` },
];

/**
 * Attacker-controlled variables expanded by the shell into text that is parsed again as code.
 * Single-quoted text is not expanded by the outer shell (`sh -c 'echo "$X"'` reads $X as data).
 */
export function reparseSinks(job: Job, entries: ScriptEntry[], taint: Map<string, Taint>): Sink[] {
  const out: Sink[] = [];
  const shell = new Map<string, Taint>(taint);
  for (const entry of entries) {
    // after_script runs in a separate shell: shell assignments from script do not reach it.
    const vars = entry.line.section === 'after_script' ? taint : shell;
    const maySink = SINK_HINT.test(entry.script.value);
    for (const st of entry.statements) {
      for (const { re, kind } of maySink ? SINKS : []) {
        re.lastIndex = 0;
        for (let m = re.exec(st.code); m; m = re.exec(st.code)) {
          const argStart = m.index + m[0].length;
          const args = blankSingleQuoted(st.code.slice(argStart));
          for (const r of args.matchAll(REF_RE)) {
            const t = vars.get(r[1]!);
            if (!t || !availableIn(t, job)) continue;
            const at = st.start + argStart + r.index!;
            out.push({ entry, statement: st, kind: kind(m), variable: r[1]!, taint: t, location: entry.text.location(at, at + r[0].length) });
          }
        }
      }
      if (entry.line.section !== 'after_script') trackAssignment(entry, st, shell);
    }
  }
  return out;
}

/** `NAME=...$X...`, `export NAME="$(git log -1 --pretty=%B)"`: the shell variable now carries the text. */
function trackAssignment(entry: ScriptEntry, st: Statement, vars: Map<string, Taint>): void {
  const m = /^(?:export\s+|local\s+|declare\s+(?:-\S+\s+)*|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(st.code.trim());
  if (!m) return;
  const [, name, value] = m as unknown as [string, string, string];
  const loc = entry.text.location(st.start, st.end);
  if (GIT_LOG_TEXT.test(value)) {
    vars.set(name, { source: 'git log', info: { strength: 'high', what: 'a commit message or author read with git log' }, chain: [{ ...loc, message: `shell variable ${name} is set from the commit text here` }], viaShell: true });
    return;
  }
  for (const r of blankSingleQuoted(value).matchAll(REF_RE)) {
    const t = r[1] !== name ? vars.get(r[1]!) : undefined;
    if (t) {
      vars.set(name, { ...t, chain: [{ ...loc, message: `shell variable ${name} is set from ${t.source} here` }, ...t.chain], viaShell: true });
      return;
    }
  }
  vars.delete(name); // reassigned from something else
}

/** Variables GitLab sets only in some pipelines (merge request, tag) are empty elsewhere. */
export function availableIn(t: Taint, job: Job): boolean {
  const only = t.info.only;
  if (!only) return true;
  return only.some((s) => jobRuns(job, s).runs);
}

/** `$[[ inputs.name ]]` (with optional `| function` chains) in a scalar's text. */
export interface InputRef {
  name: string;
  start: number;
  end: number;
  functions: string[];
}

const INPUT_RE = /\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*((?:\|\s*[a-z_]+(?:\([^)]*\))?\s*)*)\]\]/g;

export function inputRefs(text: string): InputRef[] {
  return [...text.matchAll(INPUT_RE)].map((m) => ({
    name: m[1]!,
    start: m.index!,
    end: m.index! + m[0].length,
    functions: (m[2] ?? '').split('|').map((f) => f.trim().replace(/\(.*$/, '')).filter((f) => f !== ''),
  }));
}

/** File location of the k-th `$[[` of a scalar (quoting and block indentation never create or remove one). */
export function inputRefLocation(value: ScalarVal, k: number): Location {
  const s = value.scalar;
  const src = value.at.file.source;
  if (!s.range) return originLocation(value.at);
  const raw = src.text.slice(s.range[0], s.range[1]);
  let at = -1;
  for (let i = 0, j = raw.indexOf('$[['); j !== -1; i++, j = raw.indexOf('$[[', j + 3)) {
    if (i === k) {
      at = j;
      break;
    }
  }
  if (at === -1) return originLocation(value.at);
  const close = raw.indexOf(']]', at);
  const start = s.range[0] + at;
  const end = s.range[0] + (close === -1 ? at + 3 : close + 2);
  const a = src.lines.linePos(start);
  const b = src.lines.linePos(end);
  return { file: src.path, startLine: a.line, startColumn: a.col, endLine: b.line, endColumn: b.col };
}
