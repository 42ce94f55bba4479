import { describe, expect, it } from 'vitest';
import { bech32Encode, bech32Verify, validateAgeSecretKey } from './bech32.js';

describe('bech32', () => {
  it('verifies the BIP 173 test vectors', () => {
    for (const v of ['A12UEL5L', 'a12uel5l', 'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw', '?1ezyfcl']) expect(bech32Verify(v)).toBe(true);
    for (const v of ['A12uEL5L', 'a12uel5x', 'pzry9x0s0muk', '1pzry9x0s0muk', 'x1b4n0q5v']) expect(bech32Verify(v)).toBe(false);
  });

  it('encodes age secret keys that validate, and catches a typo', () => {
    const key = bech32Encode('age-secret-key-', Array.from({ length: 52 }, (_, i) => (i * 7) % 32)).toUpperCase();
    expect(key.startsWith('AGE-SECRET-KEY-1')).toBe(true);
    expect(key).toHaveLength(74);
    expect(validateAgeSecretKey(key).status).toBe('valid');
    const typo = key.slice(0, 30) + (key[30] === 'Q' ? 'P' : 'Q') + key.slice(31);
    expect(validateAgeSecretKey(typo).status).toBe('invalid');
  });
});
