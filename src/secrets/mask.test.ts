import { describe, expect, it } from 'vitest';
import { MASK, maskSecret } from './mask.js';

describe('maskSecret', () => {
  it('keeps a known vendor prefix and hides the rest behind a fixed mask', () => {
    expect(maskSecret('ghp_' + 'x9'.repeat(18))).toBe('ghp_********');
    expect(maskSecret('xoxb-' + '1'.repeat(40))).toBe('xoxb********');
    expect(maskSecret('AKIA' + 'Q'.repeat(16))).toBe('AKIA********');
    expect(maskSecret('sk-proj-' + 'a'.repeat(100))).toBe('sk-********');
    expect(maskSecret('hf_' + 'b'.repeat(34))).toBe('hf_********');
  });

  it('shows at most 4 characters and never more than a quarter of the secret', () => {
    expect(maskSecret('hunter2pass')).toBe('hu********'); // 11 chars → 2
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('abcd********');
    expect(maskSecret('abc')).toBe('********');
    expect(maskSecret('')).toBe('********');
    expect(maskSecret('ab_cdefg')).toBe('ab********'); // prefix longer than the budget: budget wins
  });

  it('a vendor prefix counts only at the start, with 0 to 3 characters before its separator', () => {
    expect(maskSecret('12345678ab_cdefghijk')).toBe('1234********');
    expect(maskSecret('x_' + 'q'.repeat(30))).toBe('x_********');
    expect(maskSecret('glpa_' + 'q'.repeat(30))).toBe('glpa********');
  });

  it('does not reveal the length', () => {
    expect(maskSecret('q'.repeat(20)).length).toBe(maskSecret('q'.repeat(2000)).length);
    expect(MASK).toBe('********');
  });

  it('never splits a surrogate pair or prints control characters', () => {
    expect(maskSecret('😀😀😀😀😀😀😀😀')).toBe('😀😀********');
    expect(maskSecret('-----BEGIN PRIVATE KEY-----\nMIIE')).toBe('----********');
    expect(maskSecret('a\nbcdefgh')).toBe('a********');
  });
});
