import { describe, expect, it } from 'vitest';
import { literalFirst, token } from './build.js';

describe('literalFirst: token regexes start with their literal prefix', () => {
  it('moves the word-boundary lookbehind behind the literal', () => {
    expect(literalFirst('(?<![A-Za-z0-9_])', 'ghp_[A-Za-z0-9]{36}')).toBe('(?<secret>ghp_(?<![A-Za-z0-9_]ghp_)[A-Za-z0-9]{36})');
    // A quantifier on the last plain character leaves it out of the prefix.
    expect(literalFirst('(?<![A-Za-z0-9_])', 'abc{2}x')).toBe('(?<secret>ab(?<![A-Za-z0-9_]ab)c{2}x)');
  });

  it('leaves alone: top-level alternation, a short or missing prefix, another kind of boundary', () => {
    expect(literalFirst('(?<![A-Za-z0-9_])', 'dp\\.st\\.[a-z]{2}|dp\\.pt\\.[a-z]{40}')).toBeUndefined();
    expect(literalFirst('(?<![A-Za-z0-9_])', 'S[0-9a-f]{32}')).toBeUndefined();
    expect(literalFirst('(?<![A-Za-z0-9_])', '[MNO][A-Za-z0-9_-]{23}')).toBeUndefined();
    expect(literalFirst('', 'ghp_[A-Za-z0-9]{36}')).toBeUndefined();
    expect(literalFirst('(?<=[=:])', 'ghp_[A-Za-z0-9]{36}')).toBeUndefined();
    // `|` inside a group or a class is not top-level.
    expect(literalFirst('(?<![a-z])', 'xo(?:a|b)[|]{2}')).toBe('(?<secret>xo(?<![a-z]xo)(?:a|b)[|]{2})');
  });

  it('matches exactly what the lookbehind-first form matches', () => {
    const d = token({ id: 't', title: 't', family: 'x', keywords: ['tk_'], pattern: 'tk_[a-z0-9]{8}', plausible: false });
    expect(d.regex.source.startsWith('(?<secret>tk_(?<!')).toBe(true);
    const text = 'tk_abcd1234 xtk_abcd1234 _tk_abcd1234 -tk_abcd1234 tk_abcd12345 "tk_0000aaaa"';
    const old = new RegExp('(?<![A-Za-z0-9_])(?<secret>tk_[a-z0-9]{8})(?![A-Za-z0-9_])', 'g');
    expect([...text.matchAll(d.regex)].map((m) => [m.index, m.groups?.['secret']])).toEqual([...text.matchAll(old)].map((m) => [m.index, m.groups?.['secret']]));
    expect([...text.matchAll(d.regex)].map((m) => m.index)).toEqual([0, 39, 65]);
  });
});
