import { describe, expect, it } from 'vitest';
import { checkRegexSafety, MAX_REGEX_LENGTH } from './safe-regex.js';

describe('checkRegexSafety', () => {
  it.each([
    '(a+)+',
    '(a*)*',
    '(a+)*b',
    '(?:a+){2,}',
    '(a{1,3})+',
    '(a+){2}',
    '((a+))+',
    '(?:(?:a+)b?)+',
    '(\\w+\\s?)+$',
    '(\\d+\\.?)+x',
    '(.*a){10}',
    '(\\w+x)+',
    '^(([a-z])+.)+[A-Z]([a-z])+$',
    'x(?<name>[a-z]+)*y',
    '(?:[^"]*)*"',
  ])('rejects nested quantifiers: %s', (src) => {
    expect(checkRegexSafety(src)).toMatch(/^nested quantifier in `.+` \(at offset \d+\) can backtrack catastrophically/);
  });

  it.each(['(a|a)*', '(\\w|\\d)+', '(.|\\s)*', '(?:[a-f]|[0-9]|[e-z])+', '(ab|ab)+'])(
    'rejects overlapping repeated alternatives: %s',
    (src) => {
      expect(checkRegexSafety(src)).toMatch(/^repeated alternatives in `.+` .* make the alternatives mutually exclusive$/);
    },
  );

  it.each([
    'AKIA[0-9A-Z]{16}',
    'ghp_[A-Za-z0-9]{36}',
    '(?:[a-z0-9-]+\\.)+[a-z]{2,}',
    '(?:[A-Za-z0-9+/]{4}){10,}(?:==|=)?',
    '(a|b)*',
    '(ab|ac)*',
    '(?:\\s*,\\s*\\w+)*',
    '([a-z]+-[a-z]+)+',
    '(a?)+',
    '.*.*=',
    '(?=(a+))+',
    '(a+)\\1',
    '[(a+)+]',
    '\\(a+\\)+',
    'x{2}{',
    'x\\k<a',
    '-----BEGIN [A-Z ]*PRIVATE KEY-----',
  ])('accepts %s', (src) => {
    expect(checkRegexSafety(src)).toBeUndefined();
  });

  it('reports syntax errors', () => {
    expect(checkRegexSafety('a(b')).toMatch(/^invalid regular expression: .*Unterminated group/);
  });

  it('caps the length', () => {
    expect(checkRegexSafety('a'.repeat(MAX_REGEX_LENGTH))).toBeUndefined();
    expect(checkRegexSafety('a'.repeat(MAX_REGEX_LENGTH + 1))).toBe('regular expression is 1001 characters long; the limit is 1000');
  });

  it('quotes the offending part and its offset', () => {
    expect(checkRegexSafety('key=(\\w+)+;')).toMatch(/^nested quantifier in `\(\\w\+\)\+` \(at offset 4\)/);
  });
});
