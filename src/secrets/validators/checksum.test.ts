import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BASE36, BASE62, crc32, encodeRadix } from './checksum.js';

describe('crc32', () => {
  it('matches the IEEE check value and zlib', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    for (const s of ['a', 'hello world', 'ghp_', 'é€😀', 'x'.repeat(1000)]) expect(crc32(s)).toBe(zlibCrc32(s));
  });

  it('accepts bytes', () => {
    expect(crc32(new Uint8Array([0x31, 0x32, 0x33]))).toBe(crc32('123'));
  });
});

describe('encodeRadix', () => {
  it('pads to the width with the zero digit', () => {
    expect(encodeRadix(0, BASE62, 6)).toBe('000000');
    expect(encodeRadix(61, BASE62, 6)).toBe('00000z');
    expect(encodeRadix(62, BASE62, 2)).toBe('10');
    expect(encodeRadix(0xffffffff, BASE62, 6)).toBe('4gfFC3');
    expect(encodeRadix(35, BASE36, 7)).toBe('000000z');
    expect(encodeRadix(0xffffffff, BASE36, 7)).toBe('1z141z3');
  });
});
