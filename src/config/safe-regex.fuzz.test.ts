import { describe, expect, it } from 'vitest';
import { checkRegexSafety } from './safe-regex.js';

// The parser walks arbitrary user input; make sure it always terminates and never throws.
describe('checkRegexSafety on random input', () => {
  it('terminates on random regex-ish strings', () => {
    const alphabet = ['a', 'b', '(', ')', '(?:', '(?<n>', '(?=', '\\k<n>', '\\k<', '[', ']', '[^', '\\', '*', '+', '?', '{2}', '{1,}', '{', '}', '|', '.', '\\d', '\\w', '\\1', '^', '$'];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let src = '';
      const len = 1 + rand(16);
      for (let j = 0; j < len; j++) src += alphabet[rand(alphabet.length)];
      const result = checkRegexSafety(src);
      expect(result === undefined || typeof result === 'string').toBe(true);
    }
  });
});
