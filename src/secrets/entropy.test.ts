import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALNUM, B64, B64URL, HEX, Rng } from './detectors/fake.js';
import { charClasses, expectedEntropy, longestRun, longestSequence, looksRandom, shannonEntropy, wordLike } from './entropy.js';

describe('shannonEntropy', () => {
  it('measures bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBe(1);
    expect(shannonEntropy('0123456789abcdef')).toBe(4);
    expect(shannonEntropy('😀😀ab')).toBeCloseTo(1.5); // counts code points, not UTF-16 units
  });
});

describe('helpers', () => {
  it('count classes, runs and sequences', () => {
    expect(charClasses('aA1!')).toBe(4);
    expect(charClasses('abc')).toBe(1);
    expect(longestRun('abbbbc')).toBe(4);
    expect(longestSequence('xx123456yy')).toBe(6);
    expect(longestSequence('zyxwv')).toBe(5);
    expect(expectedEntropy(1, 62)).toBe(0);
    expect(expectedEntropy(40, 16)).toBeGreaterThan(3.8);
  });
});

describe('looksRandom', () => {
  it('accepts generated keys of the usual alphabets (false rejections under 0.2%)', () => {
    const rng = new Rng(5150);
    const shapes: Array<[string, number]> = [[HEX, 32], [HEX, 40], [B64, 32], [B64URL, 24], [B64URL, 43], [ALNUM, 20], [ALNUM, 32]]; // 16 letters-only can read as words: ~0.2% rejected
    for (const [alphabet, n] of shapes) {
      let rejected = 0;
      for (let i = 0; i < 5000; i++) if (!looksRandom(rng.str(alphabet, n), 16)) rejected++;
      expect(rejected, `${n} chars of ${alphabet.slice(0, 12)}...`).toBeLessThan(10);
    }
    for (let i = 0; i < 50; i++) expect(looksRandom(randomBytes(24).toString('base64'))).toBe(true);
  });

  it('rejects words, identifiers, numbers, runs and sequences', () => {
    expect(wordLike('OpeningBracketToken$1')).toBe(true);
    expect(wordLike('kQzRmPwLxTnVbHsJdGfY')).toBe(false);
    for (const s of ['thisIsNotASecretAtAll', 'OpeningBracketToken$1', 'my_database_password_here', '12345678901234567890', 'aaaaaaaaaaaaaaaaaaaaaaaa', 'abcdefghijklmnopqrstuvwx', 'Xy7Qw2', 'AAAAbbbbCCCCddddEEEEffff']) {
      expect(looksRandom(s), s).toBe(false);
    }
  });
});
