/**
 * Keyword prefilter in front of detectSecrets. One Aho-Corasick pass over the text (ASCII case
 * folded into the automaton, so no lower-cased copy) finds every detector keyword at once; the
 * detectors then run only on the lines holding their keywords instead of the whole text.
 *
 * Why: 400+ keywords, several as common as `sk`, `pat` or `1/`, mean nearly every source file
 * enables some detector, and running those regexes over whole files (plus one `includes` per
 * keyword) was most of the scan time. A window is the keyword's line; detectors whose regex
 * can cross a line break (PEM blocks, PuTTY keys) get a long window.
 */
import { MIN_BASE64 } from './decode.js';
import type { Detector } from './types.js';

/** How far past its keyword a multi-line detector's match may reach (PEM bodies are capped at 16000). */
const MULTILINE_REACH = 24_000;

export interface Window {
  /** Offsets into the original text. */
  start: number;
  end: number;
}

export interface Prefiltered {
  /** Detectors (subset of the input array, same order) with a keyword in the text. */
  detectors: Detector[];
  /** Sorted, disjoint spans of the text the detectors need to see. */
  windows: Window[];
  /** Ids of the extra keyword sets (container detectors) with a hit. */
  extras: Set<string>;
  /**
   * Maximal runs of the base64 alphabet `[A-Za-z0-9+/_-]` at least MIN_RUN long, as flat
   * [start, end, start, end...] pairs: found in the same pass for the decoder (decode.ts).
   */
  runs: number[];
  /**
   * Per entry of `detectors`: the lines (flat [start, end...] pairs, sorted, each a whole line
   * inside `windows`) holding that detector's own keywords, when those lines are all it needs
   * (ownLinesSuffice); undefined for a detector that must see every window.
   */
  own: Array<number[] | undefined>;
}

/** Shortest base64-alphabet run reported in `runs`: decode.ts does not look at shorter ones. */
const MIN_RUN = MIN_BASE64;
/** Texts shorter than this run as one chain (see run): splitting would not pay for itself. */
const SPLIT_MIN = 2048;
/** Flag on classOf entries: the character is in the base64 alphabet (URL-safe included). */
const B64 = 128;

export interface KeywordSet {
  id: string;
  keywords: readonly string[];
}

export class KeywordPrefilter {
  /** Character class per UTF-16 unit (64 KiB table: no range check in the loop), | B64. */
  private readonly classOf = new Uint8Array(65536);
  private readonly width: number;
  /**
   * Transition table, row per state. An entry is the target's row offset (state * width) times
   * two, plus 1 when the target ends a keyword: one load and one bit test per character.
   */
  private readonly delta: Int32Array;
  /** Keyword ids ending at each state (own and via failure links); undefined for none. */
  private readonly out: Array<number[] | undefined>;
  /** State index of each row offset (delta entry >> 1): the hot loop's one lookup per keyword hit. */
  private readonly stateOfRow: Int32Array;
  /**
   * Per state, the keywords ending there that enable a detector, flattened as [length, far,
   * length, far...] in `out` order; undefined when none does. What the hot loop needs to place
   * windows, without looking at keyword ids.
   */
  private readonly windowKeys: Array<number[] | undefined>;
  /** Per keyword id: detector indexes it enables, extra ids it flags, whether a window must reach far. */
  private readonly enables: number[][] = [];
  private readonly flags: string[][] = [];
  private readonly far: boolean[] = [];
  private readonly keywordLength: number[] = [];
  /** Longest keyword: how far back a chain must start to be in the right state (run). */
  private readonly maxKeyword: number;
  /** A keyword holds a line break (a custom detector's): windows are placed the slow way (addWindow). */
  private readonly newlineKeywords: boolean;
  private readonly always: number[] = [];
  /** Per state, the detectors (indexes into `all`) that ownLinesSuffice and a keyword ending there enables. */
  private readonly ownByState: Array<number[] | undefined>;
  private readonly subsets = new Map<string, Detector[]>();

  constructor(
    private readonly all: readonly Detector[],
    extras: readonly KeywordSet[] = [],
  ) {
    const ids = new Map<string, number>();
    const idOf = (raw: string): number => {
      const k = raw.toLowerCase();
      let id = ids.get(k);
      if (id === undefined) {
        ids.set(k, (id = ids.size));
        this.enables.push([]);
        this.flags.push([]);
        this.far.push(false);
        this.keywordLength.push(k.length);
      }
      return id;
    };
    all.forEach((d, i) => {
      if (d.keywords.length === 0) this.always.push(i);
      const multiline = canCrossLines(d.regex);
      for (const k of d.keywords) {
        const id = idOf(k);
        this.enables[id]!.push(i);
        if (multiline) this.far[id] = true;
      }
    });
    for (const x of extras) for (const k of x.keywords) this.flags[idOf(k)]!.push(x.id);
    // Character classes: one per distinct keyword character (ASCII case folded), 0 for the rest.
    let n = 1;
    for (const k of ids.keys()) {
      for (const ch of k) {
        const c = ch.charCodeAt(0);
        if (this.classOf[c] === 0) this.classOf[c] = n++;
      }
    }
    for (let c = 65; c <= 90; c++) if (this.classOf[c + 32]) this.classOf[c] = this.classOf[c + 32]!;
    if (n > B64) throw new Error('secrets prefilter: too many distinct keyword characters');
    this.width = n;
    // Trie, then BFS for failure links, folded into a full transition table.
    const goto: Array<Map<number, number>> = [new Map()];
    const outSets: number[][] = [[]];
    for (const [k, id] of ids) {
      let s = 0;
      for (const ch of k) {
        const cls = this.classOf[ch.charCodeAt(0)]!;
        let next = goto[s]!.get(cls);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          outSets.push([]);
          goto[s]!.set(cls, next);
        }
        s = next;
      }
      outSets[s]!.push(id);
    }
    const states = goto.length;
    const delta = new Int32Array(states * n);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let cls = 1; cls < n; cls++) {
      const t = goto[0]!.get(cls);
      if (t !== undefined) {
        delta[cls] = t;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      outSets[s]!.push(...outSets[fail[s]!]!);
      for (let cls = 0; cls < n; cls++) {
        const t = cls === 0 ? undefined : goto[s]!.get(cls);
        if (t !== undefined) {
          fail[t] = delta[fail[s]! * n + cls]!;
          delta[s * n + cls] = t;
          queue.push(t);
        } else {
          delta[s * n + cls] = delta[fail[s]! * n + cls]!;
        }
      }
    }
    this.out = outSets.map((o) => (o.length > 0 ? o : undefined));
    this.maxKeyword = Math.max(1, ...this.keywordLength);
    this.newlineKeywords = [...ids.keys()].some((k) => k.includes('\n'));
    this.stateOfRow = new Int32Array(states * n);
    for (let st = 0; st < states; st++) this.stateOfRow[st * n] = st;
    this.windowKeys = outSets.map((o) => {
      const keys = o.filter((kw) => this.enables[kw]!.length > 0).flatMap((kw) => [this.keywordLength[kw]!, this.far[kw] ? 1 : 0]);
      return keys.length > 0 ? keys : undefined;
    });
    const lineOnly = all.map((d) => ownLinesSuffice(d));
    this.ownByState = outSets.map((o) => {
      const ds = [...new Set(o.flatMap((kw) => this.enables[kw]!.filter((d) => lineOnly[d])))];
      return ds.length > 0 && !this.newlineKeywords ? ds : undefined;
    });
    for (let i = 0; i < delta.length; i++) {
      const t = delta[i]!;
      delta[i] = ((t * n) << 1) | (outSets[t]!.length > 0 ? 1 : 0);
    }
    this.delta = delta;
    for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') this.classOf[ch.charCodeAt(0)]! |= B64;
  }

  run(text: string): Prefiltered {
    const { classOf, delta, stateOfRow } = this;
    const seenState = new Uint8Array(this.out.length);
    const windows: Window[] = [];
    const ownLines = new Map<number, number[]>();
    const len = text.length;
    let winEnd = -1;
    let any = false;
    // Lines are found by walking forward from newline to newline as hits come, in text order
    // (native indexOf), instead of searching back from every hit: keywords hold no line break, so
    // the last one before a keyword is the last one before its end.
    let nl = -1;
    let prevNl = -1;
    let nextNl = this.newlineKeywords ? -2 : text.indexOf('\n');
    const hit = (i: number, e: number): void => {
      const st = stateOfRow[e >> 1]!;
      seenState[st] = 1;
      const keys = this.windowKeys[st];
      if (keys === undefined) return;
      any = true;
      if (nextNl === -2) {
        for (let k = 0; k < keys.length; k += 2) {
          const far = keys[k + 1] === 1;
          if (i < winEnd && !far) continue;
          winEnd = this.addWindow(text, windows, i - keys[k]! + 1, i, far);
        }
        return;
      }
      while (nextNl !== -1 && nextNl < i) {
        prevNl = nl;
        nl = nextNl;
        nextNl = text.indexOf('\n', nl + 1);
      }
      const mine = this.ownByState[st];
      if (mine !== undefined) {
        const lineEnd = nextNl === -1 ? len : nextNl;
        for (const d of mine) {
          let lines = ownLines.get(d);
          if (!lines) ownLines.set(d, (lines = []));
          if (lines[lines.length - 2] !== nl + 1) lines.push(nl + 1, lineEnd);
        }
      }
      for (let k = 1; k < keys.length; k += 2) {
        const far = keys[k] === 1;
        // Hits are in text order: one inside the current window only matters if it reaches further.
        if (i < winEnd && !far) continue;
        // The keyword's line; for a multi-line detector, the line before it and MULTILINE_REACH further.
        const start = far && nl >= 0 ? prevNl + 1 : nl + 1;
        let end = far ? text.indexOf('\n', Math.min(len, i + 1 + MULTILINE_REACH)) : nextNl;
        if (end === -1) end = len;
        const last = windows[windows.length - 1];
        if (last && start <= last.end) last.end = Math.max(last.end, end);
        else windows.push({ start, end });
        winEnd = windows[windows.length - 1]!.end;
      }
    };
    // The automaton is latency-bound (each step waits for the last table load), so two halves of
    // the text run interleaved as independent chains, which the CPU overlaps: ~1.7x. The second
    // chain starts maxKeyword characters before the middle, where the automaton's state depends
    // on nothing earlier, and its hits are handled after the first chain's, in text order.
    const mid = len < SPLIT_MIN ? len : len >> 1;
    const later: number[] = [];
    let a = 0;
    let b = 0;
    for (let j = Math.max(0, mid - this.maxKeyword); j < mid; j++) b = delta[(b >> 1) + (classOf[text.charCodeAt(j)]! & 127)]!;
    const pairs = Math.min(mid, len - mid);
    for (let i = 0; i < pairs; i++) {
      a = delta[(a >> 1) + (classOf[text.charCodeAt(i)]! & 127)]!;
      b = delta[(b >> 1) + (classOf[text.charCodeAt(mid + i)]! & 127)]!;
      if (((a | b) & 1) === 0) continue;
      if (a & 1) hit(i, a);
      if (b & 1) later.push(mid + i, b);
    }
    for (let i = pairs; i < mid; i++) {
      a = delta[(a >> 1) + (classOf[text.charCodeAt(i)]! & 127)]!;
      if (a & 1) hit(i, a);
    }
    for (let i = mid + pairs; i < len; i++) {
      b = delta[(b >> 1) + (classOf[text.charCodeAt(i)]! & 127)]!;
      if (b & 1) later.push(i, b);
    }
    for (let k = 0; k < later.length; k += 2) hit(later[k]!, later[k + 1]!);
    const runs = base64Runs(text, classOf);
    const extras = new Set<string>();
    const on = new Uint8Array(this.all.length);
    for (const i of this.always) on[i] = 1;
    for (let st = 0; st < seenState.length; st++) {
      if (!seenState[st]) continue;
      for (const kw of this.out[st]!) {
        for (const d of this.enables[kw]!) on[d] = 1;
        for (const x of this.flags[kw]!) extras.add(x);
      }
    }
    if (!any && this.always.length === 0) return { detectors: [], windows: [], extras, runs, own: [] };
    const picked: number[] = [];
    for (let i = 0; i < on.length; i++) if (on[i]) picked.push(i);
    const key = picked.join(',');
    let subset = this.subsets.get(key);
    if (!subset) {
      subset = picked.map((i) => this.all[i]!);
      // detectSecrets caches its compiled plan per array: hand it the same array for the same set.
      if (this.subsets.size > 4096) this.subsets.clear();
      this.subsets.set(key, subset);
    }
    return { detectors: subset, windows: this.always.length > 0 ? [{ start: 0, end: len }] : windows, extras, runs, own: picked.map((i) => ownLines.get(i)) };
  }

  /**
   * The keyword's line (a regex that cannot cross a line break cannot match beyond it), or for
   * multi-line detectors the line before it and up to MULTILINE_REACH further; merged with the
   * last window when they touch. Returns the end of the last window.
   */
  private addWindow(text: string, windows: Window[], kwStart: number, kwEnd: number, far: boolean): number {
    const lineStart = text.lastIndexOf('\n', kwStart - 1) + 1;
    const start = far && lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
    let end = text.indexOf('\n', Math.min(text.length, kwEnd + 1 + (far ? MULTILINE_REACH : 0)));
    end = end === -1 ? text.length : end;
    const last = windows[windows.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else windows.push({ start, end });
    return windows[windows.length - 1]!.end;
  }
}

/** Distance between sampled characters in base64Runs: half of MIN_RUN, so every long run holds two samples. */
const STRIDE = MIN_RUN >> 1;

/**
 * Maximal runs of the base64 alphabet at least MIN_RUN long, as [start, end...] pairs, without
 * looking at every character: a run that long contains two samples STRIDE apart (the first
 * multiple of STRIDE in it, and the next), so only where two samples and everything between
 * them are in the alphabet is the run measured. Each character is measured at most once.
 */
export function base64Runs(text: string, classOf: Uint8Array): number[] {
  const runs: number[] = [];
  const len = text.length;
  const inRun = (i: number): boolean => (classOf[text.charCodeAt(i)]! & B64) !== 0;
  let measuredTo = 0;
  for (let p = 0; p + STRIDE < len; p += STRIDE) {
    if (p < measuredTo || !inRun(p) || !inRun(p + STRIDE)) continue;
    let j = p + 1;
    while (j < p + STRIDE && inRun(j)) j++;
    if (j < p + STRIDE) continue;
    let start = p;
    while (start > measuredTo && inRun(start - 1)) start--;
    let end = p + STRIDE + 1;
    while (end < len && inRun(end)) end++;
    if (end - start >= MIN_RUN) runs.push(start, end);
    measuredTo = end;
  }
  return runs;
}

/**
 * Can this regex match a line break? True when it has `\s`, `\n`, `\r`, dotAll, or a negated
 * class that does not exclude `\n` (`[^"]` matches a newline). Errs on the side of "yes".
 */
export function canCrossLines(re: RegExp): boolean {
  if (re.dotAll) return true;
  const src = re.source;
  for (const m of src.matchAll(/\[\^((?:\\.|[^\]\\])*)\]/g)) {
    if (!/\\n|\\s/.test(m[1]!)) return true;
  }
  const outside = src.replace(/\[\^(?:\\.|[^\]\\])*\]/g, '');
  return /\\[snr]|\\x0[ad]|\\u000[ad]/.test(outside);
}

/**
 * Can this detector run on the lines holding its own keywords instead of every window, with the
 * same findings? Yes when (1) its regex cannot cross a line break and has no `^`/`$`, so a match
 * lies on one line and does not depend on other lines; (2) every match contains one of its
 * keywords, because the regex starts with a fixed literal that holds one (matched as the
 * prefilter matches it: ASCII case folding only), so every match is on a line the prefilter saw
 * that keyword on; (3) its validator cannot read the text around the match (it takes the secret
 * only; validators that take the match read context: Azure's ±4000 characters, the CDP key id's
 * ±300, the generic detectors' key). Anything else is unknown and keeps every window.
 */
export function ownLinesSuffice(d: Detector): boolean {
  if (d.keywords.length === 0 || (d.validate !== undefined && d.validate.length >= 2)) return false;
  const re = d.regex;
  if (canCrossLines(re) || re.multiline) return false;
  const src = re.source;
  if (/[$^]/.test(src.replace(/\\./g, '').replace(/\[\^?/g, '['))) return false;
  const lits = leadingLiterals(src);
  if (lits === undefined) return false;
  return lits.every((lit) => {
    // Unicode case folding matches `ſ` for `s` and the Kelvin sign for `k`; the prefilter does not.
    if (re.ignoreCase && (re.unicode || re.flags.includes('v')) && /[sk]/i.test(lit)) return false;
    // The prefilter folds ASCII case: the line holds the keyword however the literal is cased.
    const folded = lit.toLowerCase();
    return d.keywords.some((k) => k !== '' && folded.includes(k.toLowerCase()));
  });
}

/**
 * The fixed texts one of which every match of `src` starts with, after any lookbehind: the plain
 * characters at its start, or those every alternative of a leading group (not optional) starts
 * with, recursively; one per top-level alternative. Undefined when an alternative has none.
 */
function leadingLiterals(src: string): string[] | undefined {
  const out: string[] = [];
  for (const alt of splitTopLevel(src)) {
    let body = alt;
    // A lookbehind is zero-width: it reads before the match, on the same line (no line-crossing regex here).
    while (body.startsWith('(?<!') || body.startsWith('(?<=')) {
      const close = closingParen(body, 0);
      if (close === -1) return undefined;
      body = body.slice(close + 1);
    }
    if (body.startsWith('(')) {
      const open = /^\((?:\?<[A-Za-z_][A-Za-z0-9_]*>|\?:)?/.exec(body)![0];
      if (body.startsWith('(?=') || body.startsWith('(?!')) return undefined;
      const close = closingParen(body, 0);
      if (close === -1 || /^[?*{]/.test(body.slice(close + 1))) return undefined;
      const inner = leadingLiterals(body.slice(open.length, close));
      if (inner === undefined) return undefined;
      out.push(...inner);
      continue;
    }
    let lit = /^[A-Za-z0-9_-]+/.exec(body)?.[0] ?? '';
    // A quantifier applies to the last character only.
    if (/^[{?*+]/.test(body.slice(lit.length))) lit = lit.slice(0, -1);
    if (lit.length === 0) return undefined;
    out.push(lit);
  }
  return out;
}

/** `src` split at its top-level `|` (outside every group and class). */
function splitTopLevel(src: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(src.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(src.slice(from));
  return parts;
}

function closingParen(src: string, at: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = at; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
