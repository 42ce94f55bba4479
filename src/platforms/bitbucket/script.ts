import type { Scalar } from 'yaml';
import type { Location, RelatedLocation } from '../../core/finding.js';
import { blankSingleQuoted, parseScript, ScalarText, splitCode, statementsOf, type Script, type Statement } from '../../shell/script.js';
import type { CommandItem, Pipeline, Step } from './model.js';

/*
 * What a Bitbucket step script does with attacker-chosen text.
 *
 * Bitbucket never substitutes variables into `script:` text: each item runs in one bash session
 * and `$BITBUCKET_BRANCH` is read by the shell as data. Text becomes code only when something
 * parses it again: `eval`, `sh -c`/`bash -c`, an interpreter's `-c`/`-e`, `ssh host "cmd"` (the
 * remote shell), an expanding here-document fed to a shell, or a file written now and `source`d
 * later. Expansions inside single quotes, or escaped as `\$`, reach the second parser unexpanded
 * and are data again; those are not reported.
 */

export type Strength = 'high' | 'medium' | 'low';

export interface Taint {
  /** What the attacker sets, e.g. `BITBUCKET_BRANCH` or `the commit message (git log)`. */
  source: string;
  strength: Strength;
  /** Who can set it, for messages. */
  who: string;
  /** Hops (assignments, output variables) from the source to here. */
  chain: RelatedLocation[];
}

/** Variables Bitbucket sets from names people choose, per pipeline kind (Bitbucket "Default variables"). */
export function contextTaints(pipeline: Pipeline): Map<string, Taint> {
  const out = new Map<string, Taint>();
  const wild = pipeline.pattern === undefined || /[*?[\]{}]/.test(pipeline.pattern);
  const writer = 'anyone who can push a branch';
  const add = (name: string, strength: Strength, who: string): void => {
    out.set(name, { source: name, strength, who, chain: [] });
  };
  switch (pipeline.kind) {
    case 'default':
    case 'custom':
    case 'shared':
      add('BITBUCKET_BRANCH', 'medium', writer);
      if (pipeline.kind !== 'default') add('BITBUCKET_TAG', 'medium', 'anyone who can push a tag');
      break;
    case 'branches':
      if (wild) add('BITBUCKET_BRANCH', 'medium', writer);
      break;
    case 'bookmarks':
      if (wild) add('BITBUCKET_BOOKMARK', 'medium', 'anyone who can push a bookmark');
      break;
    case 'pull-requests':
      add('BITBUCKET_BRANCH', 'medium', 'the pull request author (source branch name)');
      add('BITBUCKET_PR_DESTINATION_BRANCH', 'low', 'the pull request author (destination branch)');
      break;
    case 'tags':
      if (wild) add('BITBUCKET_TAG', 'medium', 'anyone who can push a tag');
      break;
  }
  for (const v of pipeline.variables) out.set(v.name, { source: `custom pipeline variable ${v.name}`, strength: 'low', who: 'whoever runs the custom pipeline', chain: [] });
  return out;
}

const COMMIT_WHO = 'commit authors (merge commits carry pull request titles and descriptions)';

/** Does a command print commit messages, author names or ref names (all chosen by pushers)? */
export function commitTextCommand(code: string): Taint | undefined {
  const git = /(?:^|[\s;&|(`])git\s+((?:-[Cc]\s+\S+\s+)*)(log|show|rev-list|cat-file|shortlog|whatchanged|describe|branch|rev-parse|symbolic-ref|name-rev|for-each-ref)\b([^|;&)`]*)/.exec(code);
  if (!git) return undefined;
  const sub = git[2]!;
  const args = git[3] ?? '';
  if (sub === 'describe') return { source: 'a tag name (git describe)', strength: 'medium', who: 'anyone who can push a tag', chain: [] };
  if (sub === 'branch') return /--show-current/.test(args) ? { source: 'the branch name (git branch --show-current)', strength: 'medium', who: 'anyone who can push a branch', chain: [] } : undefined;
  if (sub === 'rev-parse') return /--abbrev-ref|--symbolic-full-name/.test(args) ? { source: 'the branch name (git rev-parse --abbrev-ref)', strength: 'medium', who: 'anyone who can push a branch', chain: [] } : undefined;
  if (sub === 'symbolic-ref' || sub === 'name-rev') return { source: `the branch name (git ${sub})`, strength: 'medium', who: 'anyone who can push a branch', chain: [] };
  if (sub === 'for-each-ref') return { source: 'ref names (git for-each-ref)', strength: 'medium', who: 'anyone who can push a branch', chain: [] };
  if (sub === 'cat-file') return /\s(?:-p|commit)\b/.test(args) ? { source: 'the commit message (git cat-file)', strength: 'high', who: COMMIT_WHO, chain: [] } : undefined;
  const fmt = /--(?:format|pretty)(?:=|\s+)(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(args);
  const taintsFmt = (f: string): boolean => /%(?:s|b|B|f|N|an|aN|ae|aE|al|cn|cN|ce|cE|cl|d|D|S|\(trailers|gs|gd|gD)/.test(f) || /^(?:oneline|short|medium|full|fuller|raw|reference|email|mboxrd)$/.test(f);
  if (fmt) {
    const f = (fmt[1] ?? fmt[2] ?? fmt[3] ?? '').replace(/^(?:format|tformat):/, '');
    if (!taintsFmt(f)) return undefined;
    return { source: `the commit message (git ${sub} ${fmt[0].trim()})`, strength: 'high', who: COMMIT_WHO, chain: [] };
  }
  if (sub === 'rev-list' && !/--oneline/.test(args)) return undefined;
  return { source: `the commit message (git ${sub})`, strength: 'high', who: COMMIT_WHO, chain: [] };
}

/** A `$X`, `${X...}` or `$(...)` in shell code that expands attacker-controlled text. */
export interface TaintedExpansion {
  /** Offsets into the code passed to `taintedExpansions`. */
  start: number;
  end: number;
  text: string;
  taint: Taint;
}

/**
 * Expansions of tainted variables and commit-text command substitutions in `code` that the shell
 * performs (not inside single quotes, not escaped).
 */
export function taintedExpansions(code: string, env: ReadonlyMap<string, Taint>): TaintedExpansion[] {
  const out: TaintedExpansion[] = [];
  const view = blankSingleQuoted(code);
  for (const m of view.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (isEscaped(view, m.index)) continue;
    const name = (m[1] ?? m[2])!;
    const t = env.get(name);
    if (t) out.push({ start: m.index, end: m.index + m[0].length, text: m[0], taint: t });
  }
  for (const sub of substitutions(view)) {
    const inner = view.slice(sub.innerStart, sub.innerEnd);
    const t = commitTextCommand(inner);
    if (t) out.push({ start: sub.start, end: sub.end, text: code.slice(sub.start, sub.end), taint: t });
  }
  return out.sort((a, b) => a.start - b.start).filter((e, i, all) => !all.some((o, j) => j !== i && o.start <= e.start && o.end >= e.end && (o.start !== e.start || o.end !== e.end)));
}

function isEscaped(text: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** `$( ... )` and backtick substitutions (outermost), offsets into `code`. */
function substitutions(code: string): Array<{ start: number; end: number; innerStart: number; innerEnd: number }> {
  const out: Array<{ start: number; end: number; innerStart: number; innerEnd: number }> = [];
  for (let i = 0; i < code.length; i++) {
    if (code[i] === '$' && code[i + 1] === '(' && code[i + 2] !== '(' && !isEscaped(code, i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < code.length; j++) {
        if (code[j] === '(') depth++;
        else if (code[j] === ')' && --depth === 0) break;
      }
      out.push({ start: i, end: Math.min(j + 1, code.length), innerStart: i + 2, innerEnd: j });
      i = j;
    } else if (code[i] === '`' && !isEscaped(code, i)) {
      const j = code.indexOf('`', i + 1);
      if (j === -1) break;
      out.push({ start: i, end: j + 1, innerStart: i + 1, innerEnd: j });
      i = j;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Words

export interface Word {
  start: number;
  end: number;
  text: string;
}

/** Splits one pipeline segment into shell words (quotes, `$( )` and backticks kept whole). */
export function shellWords(code: string): Word[] {
  const out: Word[] = [];
  let start = -1;
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i <= code.length; i++) {
    const c = code[i];
    if (c === undefined || (!quote && depth === 0 && /\s/.test(c))) {
      if (start !== -1) out.push({ start, end: i, text: code.slice(start, i) });
      start = -1;
      continue;
    }
    if (start === -1) start = i;
    if (quote) {
      if (c === '\\' && quote !== "'") i++;
      else if (c === quote) quote = undefined;
      else if (quote === '"' && c === '$' && code[i + 1] === '(') depth++;
      else if (quote === '"' && c === ')' && depth > 0) depth--;
      continue;
    }
    if (c === '\\') i++;
    else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '$' && code[i + 1] === '(') {
      depth++;
      i++;
    } else if (c === ')' && depth > 0) depth--;
  }
  return out;
}

/** A word without its quotes (for comparing command names and flags). */
export function unquote(word: string): string {
  return word.replace(/^(["'])(.*)\1$/s, '$2').replace(/^\\/, '');
}

function baseName(word: string): string {
  return unquote(word).replace(/^.*\//, '');
}

// ---------------------------------------------------------------------------------------------
// Sinks: where text is parsed as code again

export type SinkKind = 'eval' | 'shell' | 'interpreter' | 'ssh' | 'heredoc' | 'pipe';

export interface Sink {
  kind: SinkKind;
  /** `eval`, `bash -c`, `python3 -c`, `ssh`, ... */
  what: string;
  /** Offsets into the statement code of the text that is parsed again. */
  words: Word[];
}

const SHELLS = /^(?:ba|z|da|k|a|fi|mk)?sh$/;
const SSH_OPTS_WITH_ARG = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));
const INTERPRETER_FLAGS: Array<[RegExp, RegExp]> = [
  [/^python[0-9.]*$|^py$|^pypy[0-9.]*$/, /^-c$/],
  [/^(?:node|nodejs|bun)$/, /^(?:-e|--eval|-p|--print)$/],
  [/^perl$/, /^-[nlpa]*[eE]$/],
  [/^ruby$/, /^-e$/],
  [/^php$/, /^-r$/],
  [/^(?:pwsh|powershell)(?:\.exe)?$/i, /^-(?:c|command)$/i],
  [/^(?:osascript|lua|R|Rscript)$/, /^-e$/],
];

/** Re-parsing sinks of one pipeline segment. */
export function sinksOf(segment: string): Sink[] {
  const words = shellWords(segment);
  const out: Sink[] = [];
  for (let i = 0; i < words.length; i++) {
    const name = baseName(words[i]!.text);
    if (i === 0 || /^(?:sudo|exec|command|nohup|time|xargs|env|--)$/.test(baseName(words[i - 1]!.text)) || isCommandPosition(words, i)) {
      if (name === 'eval' && i + 1 < words.length) {
        out.push({ kind: 'eval', what: 'eval', words: words.slice(i + 1) });
        return out;
      }
    }
    if (SHELLS.test(name) || name === 'su') {
      for (let j = i + 1; j < words.length; j++) {
        const w = unquote(words[j]!.text);
        if (!w.startsWith('-')) break;
        if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(w) && words[j + 1]) {
          out.push({ kind: 'shell', what: `${name} -c`, words: [words[j + 1]!] });
          return out;
        }
      }
    }
    for (const [interp, flag] of INTERPRETER_FLAGS) {
      if (!interp.test(name)) continue;
      for (let j = i + 1; j < words.length; j++) {
        const w = unquote(words[j]!.text);
        if (flag.test(w) && words[j + 1]) {
          out.push({ kind: 'interpreter', what: `${name} ${w}`, words: [words[j + 1]!] });
          return out;
        }
        if (!w.startsWith('-')) break;
      }
    }
    if (name === 'deno' && unquote(words[i + 1]?.text ?? '') === 'eval' && words[i + 2]) {
      out.push({ kind: 'interpreter', what: 'deno eval', words: [words[i + 2]!] });
      return out;
    }
    if (name === 'ssh' && i === firstCommandWord(words)) {
      let j = i + 1;
      for (; j < words.length; j++) {
        const w = unquote(words[j]!.text);
        if (!w.startsWith('-')) break;
        const letters = w.slice(1);
        if (letters.length > 0 && SSH_OPTS_WITH_ARG.has(letters[letters.length - 1]!) && letters.length === 1) j++;
      }
      const remote = words.slice(j + 1);
      if (remote.length > 0) out.push({ kind: 'ssh', what: 'ssh', words: remote });
      return out;
    }
  }
  return out;
}

function firstCommandWord(words: Word[]): number {
  let i = 0;
  while (i < words.length && (/^[A-Za-z_]\w*=/.test(words[i]!.text) || /^(?:sudo|exec|command|nohup|time|env)$/.test(baseName(words[i]!.text)))) i++;
  return i;
}

function isCommandPosition(words: Word[], i: number): boolean {
  return i === firstCommandWord(words);
}

// ---------------------------------------------------------------------------------------------
// Step analysis

export interface SinkHit {
  sink: Sink;
  expansion: string;
  taint: Taint;
  location: Location;
  item: CommandItem;
}

export interface FileWrite {
  /** Target as written (`set_env.sh`, `$BITBUCKET_PIPELINES_VARIABLES_PATH`). */
  target: string;
  /** Normalized file name for matching `source` reads; undefined for the variables file. */
  file?: string;
  variablesFile: boolean;
  /** `NAME=` assignments written, when recognisable. */
  names: string[];
  taint: Taint;
  expansion: string;
  location: Location;
}

export interface SourceRead {
  file: string;
  location: Location;
  /** `source f`, `. f`, `eval "$(cat f)"`. */
  how: string;
}

export interface StepAnalysis {
  sinks: SinkHit[];
  writes: FileWrite[];
  reads: SourceRead[];
  /** Output variables this step sets from tainted data (for later steps). */
  outputs: Map<string, Taint>;
}

/** Analyzes a step's `script:` (and, separately, `after-script:`) in the context of one pipeline. */
export function analyzeStep(step: Step, inherited: ReadonlyMap<string, Taint>): StepAnalysis {
  const result: StepAnalysis = { sinks: [], writes: [], reads: [], outputs: new Map() };
  for (const items of [step.script, step.afterScript]) {
    const env = new Map(inherited);
    for (const item of items) {
      if (item.kind !== 'command') continue;
      analyzeItem(step, item, env, result);
    }
  }
  const declared = new Set(step.outputVariables.map((o) => o.name));
  for (const w of result.writes) {
    if (!w.variablesFile) continue;
    for (const n of w.names) if (declared.has(n)) result.outputs.set(n, { ...w.taint, chain: [...w.taint.chain, { ...w.location, message: `output variable ${n} is set from ${w.taint.source} here` }] });
  }
  return result;
}

function analyzeItem(step: Step, item: CommandItem, env: Map<string, Taint>, result: StepAnalysis): void {
  const script = parseScript(item.text, 'bash');
  const text = new ScalarText(step.source, item.scalar as Scalar);
  const at = (start: number, end: number): Location => text.location(start, end);
  for (const st of statementsOf(script)) {
    // Sinks first: `X=$BITBUCKET_BRANCH bash -c "$X"` uses the old value of X.
    for (const seg of splitCode(st.code, 'pipeline')) {
      const segCode = st.code.slice(seg.start, seg.end);
      for (const sink of sinksOf(segCode)) {
        for (const w of sink.words) {
          for (const e of taintedExpansions(segCode.slice(w.start, w.end), env)) {
            const s = st.start + seg.start + w.start + e.start;
            result.sinks.push({ sink, expansion: e.text, taint: e.taint, location: at(s, s + e.text.length), item });
          }
        }
      }
    }
    heredocSinks(script, st, env, at, item, result);
    recordWrites(script, st, env, at, result);
    recordReads(st, at, result);
    recordAssignment(st, env, at);
  }
}

const STDIN_RUNNERS = /^(?:(?:ba|z|da|k|a|fi)?sh|python[0-9.]*|node|perl|ruby|php|ssh|pwsh)$/;

/** `bash <<EOF ... $X ... EOF`: the here-document is expanded, then parsed as code. */
function heredocSinks(script: Script, st: Statement, env: Map<string, Taint>, at: (s: number, e: number) => Location, item: CommandItem, result: StepAnalysis): void {
  if (!/<<-?\s*[A-Za-z_]/.test(st.code)) return;
  const segs = splitCode(st.code, 'pipeline');
  const seg = segs.find((s) => /<<-?\s*[A-Za-z_]/.test(st.code.slice(s.start, s.end)));
  if (!seg) return;
  const words = shellWords(st.code.slice(seg.start, seg.end));
  const runner = words.map((w) => baseName(w.text)).find((n) => STDIN_RUNNERS.test(n));
  if (!runner) return;
  for (const line of script.lines) {
    if (!line.heredoc || line.heredoc.opener !== st.lineIndex || line.heredoc.terminator || !line.heredoc.expands) continue;
    for (const e of taintedExpansions(line.text, env)) {
      const s = line.start + e.start;
      result.sinks.push({ sink: { kind: 'heredoc', what: `${runner} <<here-document`, words: [] }, expansion: e.text, taint: e.taint, location: at(s, s + e.text.length), item });
    }
  }
}

const VARS_FILE = /^["']?\$\{?BITBUCKET_PIPELINES_VARIABLES_PATH\}?["']?$/;

function recordWrites(script: Script, st: Statement, env: Map<string, Taint>, at: (s: number, e: number) => Location, result: StepAnalysis): void {
  const words = shellWords(st.code);
  let target: Word | undefined;
  let payloadEnd = st.code.length;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.text;
    const m = /^(?:\d?)>>?(.*)$/.exec(w);
    if (m && !w.startsWith('>&') && !/^\d?>&/.test(w)) {
      if (m[1]) target = { start: words[i]!.start + w.indexOf(m[1]), end: words[i]!.end, text: m[1] };
      else if (words[i + 1]) target = words[i + 1];
      payloadEnd = words[i]!.start;
    } else if (baseName(w) === 'tee' && i > 0) {
      const next = words.slice(i + 1).find((x) => !x.text.startsWith('-'));
      if (next) {
        target = next;
        payloadEnd = words[i]!.start;
      }
    }
  }
  if (!target || /^\/dev\//.test(unquote(target.text))) return;
  const variablesFile = VARS_FILE.test(target.text);
  const payload: Array<{ code: string; offset: number }> = [{ code: st.code.slice(0, payloadEnd), offset: st.start }];
  for (const line of script.lines) {
    if (line.heredoc && line.heredoc.opener === st.lineIndex && !line.heredoc.terminator && line.heredoc.expands) payload.push({ code: line.text, offset: line.start });
  }
  for (const p of payload) {
    for (const e of taintedExpansions(p.code, env)) {
      const names = [...p.code.matchAll(/(?:^|[\s"'])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]!);
      const s = p.offset + e.start;
      result.writes.push({
        target: target.text,
        file: variablesFile ? undefined : normalizeFile(target.text),
        variablesFile,
        names,
        taint: e.taint,
        expansion: e.text,
        location: at(s, s + e.text.length),
      });
    }
  }
}

function recordReads(st: Statement, at: (s: number, e: number) => Location, result: StepAnalysis): void {
  for (const seg of splitCode(st.code, 'pipeline')) {
    const code = st.code.slice(seg.start, seg.end);
    const words = shellWords(code);
    const i = firstCommandWord(words);
    const cmd = words[i] ? unquote(words[i]!.text) : '';
    if ((cmd === 'source' || cmd === '.') && words[i + 1]) {
      result.reads.push({ file: normalizeFile(words[i + 1]!.text), how: `${cmd} ${words[i + 1]!.text}`, location: at(st.start + seg.start, st.start + seg.end) });
    }
    const ev = /^eval\s+["']?\$\(\s*cat\s+([^\s)"']+)/.exec(code.slice(words[i]?.start ?? 0));
    if (cmd === 'eval' && ev) result.reads.push({ file: normalizeFile(ev[1]!), how: `eval "$(cat ${ev[1]})"`, location: at(st.start + seg.start, st.start + seg.end) });
  }
}

/** `X=...`, `export X=...`: X carries what the right-hand side expands. */
function recordAssignment(st: Statement, env: Map<string, Taint>, at: (s: number, e: number) => Location): void {
  const m = /^(?:(?:export|local|readonly|declare(?:\s+-\w+)*)\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(st.code);
  if (!m) return;
  const words = shellWords(st.code);
  if (words.length > 2 || (words.length === 2 && !/^(?:export|local|readonly|declare)$/.test(words[0]!.text))) return; // `X=1 cmd` sets X for cmd only
  const name = m[1]!;
  const rhs = m[2]!;
  const found = taintedExpansions(rhs, env);
  if (found.length === 0) {
    env.delete(name);
    return;
  }
  const t = found[0]!.taint;
  const offset = st.start + (st.code.length - rhs.length);
  env.set(name, { ...t, chain: [...t.chain, { ...at(offset - name.length - 1, offset + rhs.length), message: `${name} is set from ${t.source} here` }] });
}

export function normalizeFile(word: string): string {
  return unquote(word).replace(/^\$\{?BITBUCKET_CLONE_DIR\}?\//, '').replace(/^\.\//, '');
}
