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
}

/** Shortest base64-alphabet run reported in `runs`: decode.ts does not look at shorter ones. */
const MIN_RUN = MIN_BASE64;
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
  /** Per keyword id: detector indexes it enables, extra ids it flags, whether a window must reach far. */
  private readonly enables: number[][] = [];
  private readonly flags: string[][] = [];
  private readonly far: boolean[] = [];
  private readonly keywordLength: number[] = [];
  private readonly always: number[] = [];
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
    for (let i = 0; i < delta.length; i++) {
      const t = delta[i]!;
      delta[i] = ((t * n) << 1) | (outSets[t]!.length > 0 ? 1 : 0);
    }
    this.delta = delta;
    for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') this.classOf[ch.charCodeAt(0)]! |= B64;
  }

  run(text: string): Prefiltered {
    const { classOf, delta, width } = this;
    const seen = new Uint8Array(this.enables.length);
    const windows: Window[] = [];
    const runs: number[] = [];
    let runStart = -1;
    let winEnd = -1;
    let any = false;
    let e = 0;
    const len = text.length;
    for (let i = 0; i < len; i++) {
      const k = classOf[text.charCodeAt(i)]!;
      if (k & B64) {
        if (runStart < 0) runStart = i;
      } else if (runStart >= 0) {
        if (i - runStart >= MIN_RUN) runs.push(runStart, i);
        runStart = -1;
      }
      e = delta[(e >> 1) + (k & 127)]!;
      if ((e & 1) === 0) continue;
      for (const kw of this.out[(e >> 1) / width]!) {
        seen[kw] = 1;
        if (this.enables[kw]!.length === 0) continue;
        any = true;
        const far = this.far[kw]!;
        // Hits are in text order: one inside the current window only matters if it reaches further.
        if (i < winEnd && !far) continue;
        winEnd = this.addWindow(text, windows, i - this.keywordLength[kw]! + 1, i, far);
      }
    }
    if (runStart >= 0 && len - runStart >= MIN_RUN) runs.push(runStart, len);
    const extras = new Set<string>();
    const on = new Uint8Array(this.all.length);
    for (const i of this.always) on[i] = 1;
    for (let kw = 0; kw < seen.length; kw++) {
      if (!seen[kw]) continue;
      for (const d of this.enables[kw]!) on[d] = 1;
      for (const x of this.flags[kw]!) extras.add(x);
    }
    if (!any && this.always.length === 0) return { detectors: [], windows: [], extras, runs };
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
    return { detectors: subset, windows: this.always.length > 0 ? [{ start: 0, end: len }] : windows, extras, runs };
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
