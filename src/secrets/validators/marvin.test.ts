import { describe, expect, it } from 'vitest';
import { marvin32, marvin64 } from './marvin.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const text = (s: string) => new TextEncoder().encode(s);

describe('Marvin32', () => {
  // Published test vectors (SymCrypt / .NET MarvinTests, and the "abc" / alphabet ones used by
  // Microsoft's security-utilities ports): inputs ending with 3, 2 and 0 spare bytes.
  it('matches the published 64-bit vectors', () => {
    expect(marvin64(text('abc'), 0xd53cd9cecd0893b7n).toString(16)).toBe('22c74339492769bf');
    expect(marvin64(text('abcdefghijklmnopqrstuvwxyz'), 0xddddeeeeffff000n).toString(16)).toBe('a128eb7e7260aca2');
    expect(marvin64(hex(''), 0x004fb61a001bdbccn).toString(16)).toBe('30ed35c100cd3c7d');
  });

  it('folds the 64-bit hash into 32 bits by XOR of its halves', () => {
    expect(marvin32(text('abc'), 0xd53cd9cecd0893b7n).toString(16)).toBe('6be02a86');
    expect(marvin32(hex(''), 0x004fb61a001bdbccn)).toBe((0x30ed35c1 ^ 0x00cd3c7d) >>> 0);
  });

  it('depends on every byte, on the length and on the seed', () => {
    const base = marvin32(text('identifiable'), 1n);
    expect(marvin32(text('identifiablf'), 1n)).not.toBe(base);
    expect(marvin32(text('identifiable\0'), 1n)).not.toBe(base);
    expect(marvin32(text('identifiable'), 2n)).not.toBe(base);
  });
});
