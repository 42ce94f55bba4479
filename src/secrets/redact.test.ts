import { describe, expect, it } from 'vitest';
import { redactSpans } from './redact.js';

describe('redactSpans', () => {
  const text = 'key=abcdefghijklmnopqrstuvwxyz end';

  it('stars a span out at the same length, keeping 4 characters of a span of 16 or more', () => {
    expect(redactSpans(text, [{ start: 4, end: 30 }])).toBe('key=abcd********************** end');
    // Exactly 16: still long enough to keep a prefix.
    expect(redactSpans('x=0123456789abcdef;', [{ start: 2, end: 18 }])).toBe('x=0123************;');
    // 15: nothing kept.
    expect(redactSpans('x=0123456789abcde;', [{ start: 2, end: 17 }])).toBe('x=***************;');
  });

  it('keeps line breaks, and no prefix past the first one', () => {
    expect(redactSpans('k: ab\ncdefghijklmnopqr\n', [{ start: 3, end: 22 }])).toBe('k: ab\n****************\n');
  });

  it('takes spans in any order, and skips those inside an earlier one', () => {
    const spans = [
      { start: 20, end: 30 },
      { start: 4, end: 12 },
      { start: 6, end: 9 },
    ];
    expect(redactSpans(text, spans)).toBe('key=********ijklmnop********** end');
  });

  it('continues a span that overlaps the previous one without a fresh prefix', () => {
    expect(redactSpans(text, [{ start: 4, end: 10 }, { start: 8, end: 30 }])).toBe('key=************************** end');
  });

  it('leaves the text alone without spans', () => {
    expect(redactSpans(text, [])).toBe(text);
  });
});
