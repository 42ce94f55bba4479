import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addedLines, hashLineBytes, lineHashes, MAX_EDITS } from './linediff.js';

/** Length of the longest common subsequence, the slow and obviously right way. */
function lcs(a: readonly number[], b: readonly number[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

describe('addedLines', () => {
  it('finds the lines a -U0 diff shows as added', () => {
    const a = lineHashes('one\ntwo\nthree\nfour\n');
    const b = lineHashes('one\nTWO\nthree\nnew\nfour\n');
    expect(addedLines(a, b)).toEqual([1, 3]);
    expect(addedLines(lineHashes(''), b)).toEqual([0, 1, 2, 3, 4]); // the empty "line" after the final LF is in both
  });

  it('adds nothing for an unchanged or shortened file', () => {
    const a = lineHashes('x\ny\nz');
    expect(addedLines(a, a)).toEqual([]);
    expect(addedLines(a, lineHashes('x\nz'))).toEqual([]);
  });

  it('is minimal: the added lines are exactly those outside a longest common subsequence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 }), (a, b) => {
        const added = addedLines(Int32Array.from(a), Int32Array.from(b));
        expect(added.length).toBe(b.length - lcs(a, b));
        const kept = b.filter((_, j) => !added.includes(j));
        let i = 0;
        for (const x of kept) {
          while (i < a.length && a[i] !== x) i++;
          expect(i).toBeLessThan(a.length);
          i++;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('takes lines the old version never had as added without aligning them (no edit budget spent)', () => {
    const n = MAX_EDITS * 2;
    const a = Int32Array.from({ length: n + 2 }, (_, i) => (i === 0 || i === n + 1 ? -1 : i));
    // Every other line is new, the rest keep their order: far more than MAX_EDITS raw edits.
    const b = Int32Array.from({ length: 2 * n + 2 }, (_, j) => (j === 0 || j === 2 * n + 1 ? -1 : j % 2 ? n + j : j / 2));
    const added = addedLines(a, b);
    expect(added).toEqual(Array.from({ length: n }, (_, k) => 2 * k + 1));
  });

  it('past MAX_EDITS differences among shared lines the whole changed middle counts as added (bounded time)', () => {
    const n = MAX_EDITS * 2;
    const a = Int32Array.from({ length: n + 2 }, (_, i) => (i === 0 || i === n + 1 ? -1 : i));
    // The same lines, reversed: nothing is set aside and the alignment needs ~2n edits.
    const b = Int32Array.from({ length: n + 2 }, (_, i) => (i === 0 || i === n + 1 ? -1 : n + 1 - i));
    const added = addedLines(a, b);
    expect(added.length).toBe(n);
    expect(added[0]).toBe(1);
  });
});

describe('line hashes', () => {
  it('hashes each LF-separated line (CRs included) as the word-at-a-time definition says, with its start', () => {
    // The definition, written out line by line: 4 bytes per step from the line's start, a short
    // last word tagged with its length.
    const reference = (line: string): number => {
      let h = 0x811c9dc5 | 0;
      let i = 0;
      for (; i + 4 <= line.length; i += 4) {
        const w = (line.charCodeAt(i) << 24) | (line.charCodeAt(i + 1) << 16) | (line.charCodeAt(i + 2) << 8) | line.charCodeAt(i + 3);
        h = Math.imul(h ^ w, 0x9e3779b1 | 0);
        h ^= h >>> 15;
      }
      const k = line.length - i;
      if (k === 0) return h;
      let w = 0;
      for (; i < line.length; i++) w = (w << 8) | line.charCodeAt(i);
      return Math.imul(h ^ w ^ (k << 24), 0x9e3779b1 | 0);
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '\n', '\r\n', '', 'xyz', '\u00e9'), { maxLength: 400 }), (parts) => {
        const text = parts.join('');
        const lines = text.split('\n');
        const b = hashLineBytes(Buffer.from(text, 'latin1'));
        expect(Array.from(b.hashes)).toEqual(lines.map(reference));
        let at = 0;
        expect(Array.from(b.starts)).toEqual(lines.map((l) => ((at += l.length + 1), at - l.length - 1)));
      }),
      { numRuns: 500 },
    );
  });

  it('grows past its first guess of the line count', () => {
    const lines = hashLineBytes(Buffer.from('\n'.repeat(5000)));
    expect(lines.hashes.length).toBe(5001);
    expect(lines.starts[5000]).toBe(5000);
  });

  it('a line hashes the same wherever it sits in the buffer (words count from the line start)', () => {
    const line = 'token = "Zk29Lq0xPw7Nc5Rt1Ym9HbQs"';
    const want = hashLineBytes(Buffer.from(line)).hashes[0];
    for (let pad = 0; pad < 8; pad++) {
      const h = hashLineBytes(Buffer.from(`${'x'.repeat(pad)}\n${line}\nend`)).hashes;
      expect(h[1]).toBe(want);
    }
  });

  it('any one changed byte, a NUL prefix or a different length changes the hash', () => {
    const base = 'password: Tq8vLm2pR9tZ3kWx';
    const h0 = hashLineBytes(Buffer.from(base)).hashes[0];
    const seen = new Set<number>([h0!]);
    for (let i = 0; i < base.length; i++) {
      for (const c of ['A', 'z', '0', '\x00', '\xff']) {
        if (base[i] === c) continue;
        const h = hashLineBytes(Buffer.from(base.slice(0, i) + c + base.slice(i + 1), 'latin1')).hashes[0]!;
        expect(h).not.toBe(h0);
        seen.add(h);
      }
    }
    expect(seen.size).toBe(1 + base.length * 5);
    const short = ['a', '\x00a', 'ab', '\x00ab', 'abc', 'abcd', 'abcd\x00', ''].map((t) => hashLineBytes(Buffer.from(t, 'latin1')).hashes[0]);
    expect(new Set(short).size).toBe(short.length);
  });
});
