/**
 * Which lines of a new file version are added relative to the old one: the `+` lines of a
 * `git diff -U0`, computed here from line hashes so history scans read each blob once (from
 * `git cat-file --batch`) instead of asking git to diff every commit.
 *
 * Like git's xdiff: the common prefix and suffix are cut off, then lines that occur on one side
 * only are set aside (a line of the new version that the old one never had is added whatever
 * the alignment; one the old version had and the new one lacks is deleted), and Myers'
 * O((N+M)·D) diff aligns what is left, where D is now the number of moved or duplicated lines.
 * When more than MAX_EDITS edits remain, that whole middle part counts as added (more text
 * scanned, nothing missed).
 */

/** Edits beyond which the middle part is taken as added whole: bounds time (O(N·D)) and memory (O(D²)). */
export const MAX_EDITS = 2000;

export interface Lines {
  /** 32-bit hash of each line (split on LF; a CR before the LF is part of the line, as for git). */
  hashes: Int32Array;
  /** Offset of each line's first character. */
  starts: Int32Array;
}

/** Hash of an empty line, and the start of every line's hash. */
const SEED = 0x811c9dc5 | 0;
/** Odd multiplier (2^32 / golden ratio): spreads every input bit over the higher bits. */
const MUL = 0x9e3779b1 | 0;

/**
 * Line hashes and line starts in one pass. One 32-bit hash per line is enough here: a collision
 * can only make a changed line look unchanged when it also sits where the diff aligns it, and
 * the cost is one line not rescanned in one version.
 *
 * The hash takes a line 4 characters at a time (counted from the line's start, so it does not
 * depend on where the line sits in memory): one multiply per 4 characters, each step folding the
 * high bits back down, instead of one multiply per character, whose chain of dependent multiplies
 * was the history scan's main-thread cost (bench/RESULTS.md, issue 9). A short last word carries
 * its length in its top byte. Characters are taken as bytes (this is for Latin-1/ASCII text and
 * UTF-8 bytes; hashLineBytes must give the same hashes for the same bytes).
 */
export function hashLines(text: string): Lines {
  return hashLineBytes(Buffer.from(text, 'latin1'));
}

/**
 * hashLines over bytes (UTF-8 never has an LF byte inside a character): offsets are byte
 * offsets. One pass; no Buffer#indexOf per line, whose call overhead dominated.
 */
export function hashLineBytes(data: Uint8Array): Lines {
  let hashes: Int32Array = new Int32Array(Math.max(16, data.length >> 5));
  let starts: Int32Array = new Int32Array(hashes.length);
  let h = SEED;
  let w = 0;
  let k = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c !== 10) {
      w = (w << 8) | c;
      if (++k === 4) {
        h = Math.imul(h ^ w, MUL);
        h ^= h >>> 15;
        w = 0;
        k = 0;
      }
      continue;
    }
    if (n + 1 >= hashes.length) {
      hashes = grow(hashes);
      starts = grow(starts);
    }
    hashes[n++] = k === 0 ? h : Math.imul(h ^ w ^ (k << 24), MUL);
    starts[n] = i + 1;
    h = SEED;
    w = 0;
    k = 0;
  }
  hashes[n] = k === 0 ? h : Math.imul(h ^ w ^ (k << 24), MUL);
  return { hashes: hashes.subarray(0, n + 1), starts: starts.subarray(0, n + 1) };
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

export function lineHashes(text: string): Int32Array {
  return hashLines(text).hashes;
}

/** Indexes (0-based, ascending) of the lines of `b` that are not matched to lines of `a`. */
export function addedLines(a: Int32Array, b: Int32Array): number[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (endB === start) return [];
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  if (endA === start) return range(start, endB);
  // Lines on one side only never match: set them aside, align the rest.
  const inA = new Int32Set(endA - start);
  for (let i = start; i < endA; i++) inA.add(a[i]!);
  const inB = new Int32Set(endB - start);
  for (let j = start; j < endB; j++) inB.add(b[j]!);
  const ra: number[] = [];
  for (let i = start; i < endA; i++) if (inB.has(a[i]!)) ra.push(a[i]!);
  const rbAt: number[] = [];
  const rb: number[] = [];
  for (let j = start; j < endB; j++) {
    if (inA.has(b[j]!)) {
      rbAt.push(j);
      rb.push(b[j]!);
    }
  }
  const kept = ra.length === 0 || rb.length === 0 ? new Uint8Array(rb.length) : myersKept(Int32Array.from(ra), Int32Array.from(rb));
  if (!kept) return range(start, endB);
  const keep = new Uint8Array(endB - start);
  for (let k = 0; k < rb.length; k++) if (kept[k]) keep[rbAt[k]! - start] = 1;
  const out: number[] = [];
  for (let j = start; j < endB; j++) if (!keep[j - start]) out.push(j);
  return out;
}

/**
 * Myers' greedy algorithm on a × b: a flag per line of b, set when the line is kept (part of
 * the longest common subsequence); undefined when more than MAX_EDITS edits are needed.
 */
function myersKept(a: Int32Array, b: Int32Array): Uint8Array | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return undefined;
  // Walk the trace back from (n, m): diagonal moves are kept lines of b.
  const kept = new Uint8Array(m);
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d]!; // v before step d, covering k in [-d-1, d+1]
    const at = (k: number): number => prev[k + d + 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const pk = down ? k + 1 : k - 1;
    const px = at(pk);
    const py = px - pk;
    while (x > px + (down ? 0 : 1) && y > py + (down ? 1 : 0)) {
      x--;
      y--;
      kept[y] = 1;
    }
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    kept[y] = 1;
  }
  return kept;
}

/** A set of 32-bit integers: open addressing in typed arrays (no boxing, one allocation). */
class Int32Set {
  private readonly keys: Int32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;

  constructor(expected: number) {
    let size = 16;
    while (size < expected * 2) size <<= 1;
    this.keys = new Int32Array(size);
    this.used = new Uint8Array(size);
    this.mask = size - 1;
  }

  add(k: number): void {
    let i = Math.imul(k, 0x9e3779b1) & this.mask;
    while (this.used[i]) {
      if (this.keys[i] === k) return;
      i = (i + 1) & this.mask;
    }
    this.used[i] = 1;
    this.keys[i] = k;
  }

  has(k: number): boolean {
    let i = Math.imul(k, 0x9e3779b1) & this.mask;
    while (this.used[i]) {
      if (this.keys[i] === k) return true;
      i = (i + 1) & this.mask;
    }
    return false;
  }
}
