import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBase62Checksum } from './github.js';
import { validateGitlabRoutable } from './gitlab.js';
import { validateAgeSecretKey, bech32Encode } from './bech32.js';

/*
 * Checksums catch every single-character change, including a change of case: GitHub and npm
 * tokens are base62 (so `a` and `A` are different digits), bech32 forbids mixed case. Tokens are
 * generated here independently of the validators, from a fixed seed, so a failure reproduces;
 * every position of the checksummed part is corrupted, by a case swap and by another character.
 */

const SEED = 1818;
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function toRadix(n: number, alphabet: string, width: number): string {
  let s = '';
  for (; n > 0; n = Math.floor(n / alphabet.length)) s = alphabet[n % alphabet.length] + s;
  return s.padStart(width, alphabet[0]);
}

const swapCase = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
const at = (s: string, i: number, c: string) => s.slice(0, i) + c + s.slice(i + 1);

/** Every variant of `token` with one character of [from, to) changed: its case swapped (letters), and the next character of `alphabet`. */
function corruptions(token: string, from: number, to: number, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const c = token[i]!;
    if (swapCase(c) !== c) out.push(at(token, i, swapCase(c)));
    const k = alphabet.indexOf(c);
    out.push(at(token, i, alphabet[(k + 1) % alphabet.length]!));
  }
  return out;
}

const payload = (alphabet: string, n: number) => fc.array(fc.integer({ min: 0, max: alphabet.length - 1 }), { minLength: n, maxLength: n }).map((xs) => xs.map((x) => alphabet[x]).join(''));

describe('GitHub and npm token checksums under corruption', () => {
  const PREFIXES = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'npm_'];

  it('accepts the seeded tokens and rejects every single-character and case change of payload and checksum', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PREFIXES), payload(B62, 30), (prefix, body) => {
        const token = prefix + body + toRadix(crc32(body), B62, 6);
        expect(validateBase62Checksum(token).status).toBe('valid');
        const bad = corruptions(token, 4, token.length, B62);
        expect(bad.length).toBeGreaterThanOrEqual(36);
        for (const t of bad) expect({ t, v: validateBase62Checksum(t) }).toEqual({ t, v: { status: 'invalid', note: 'CRC-32 checksum does not match' } });
        // One character more or less is not a corruption the checksum can judge.
        expect(validateBase62Checksum(token + 'x')).toEqual({ status: 'unknown', note: 'no checksum in this token length' });
        expect(validateBase62Checksum(token.slice(0, -1))).toEqual({ status: 'unknown', note: 'no checksum in this token length' });
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('rejects a token whose letters all changed case (a case-insensitive comparison would accept it)', () => {
    fc.assert(
      fc.property(payload(B62, 30), (body) => {
        const token = 'ghp_' + body + toRadix(crc32(body), B62, 6);
        const check = token.slice(-6);
        fc.pre(check.toLowerCase() !== check || check.toUpperCase() !== check);
        expect(validateBase62Checksum(token.slice(0, -6) + [...check].map(swapCase).join('')).status).toBe('invalid');
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('GitLab routable token checksum under corruption', () => {
  it('rejects every single-character and case change of the checksummed body and the CRC', () => {
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const B36 = '0123456789abcdefghijklmnopqrstuvwxyz';
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 1, max: 1e6 }), (random, org) => {
        const routing = `o:${org.toString(36)}`;
        const raw = Buffer.concat([Buffer.from(random), Buffer.from(routing), Buffer.from([routing.length])]);
        const b64 = raw.toString('base64url');
        const body = `glpat-${b64}.01.${toRadix(b64.length, B36, 2)}`;
        const token = body + toRadix(crc32(body), B36, 7);
        expect(validateGitlabRoutable(token).status).toBe('valid');
        const start = 'glpat-'.length;
        for (const t of corruptions(token, start, start + b64.length, B64URL)) expect({ t, status: validateGitlabRoutable(t).status }).toEqual({ t, status: 'invalid' });
        // The CRC is lower-case base36: another digit is a mismatch, an upper-case one is not a routable token at all.
        for (const t of corruptions(token, token.length - 7, token.length, B36)) {
          expect({ t, status: validateGitlabRoutable(t).status }).toEqual({ t, status: t.slice(-7) === t.slice(-7).toLowerCase() ? 'invalid' : 'unknown' });
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
  });
});

describe('age secret key (bech32) under corruption', () => {
  it('rejects every single-character substitution and every single case change', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 52, maxLength: 52 }), (data) => {
        const key = bech32Encode('age-secret-key-', data).toUpperCase();
        expect(validateAgeSecretKey(key).status).toBe('valid');
        const start = 'AGE-SECRET-KEY-1'.length;
        for (let i = start; i < key.length; i++) {
          const c = key[i]!.toLowerCase();
          const other = BECH32[(BECH32.indexOf(c) + 1) % 32]!.toUpperCase();
          expect({ i, status: validateAgeSecretKey(at(key, i, other)).status }).toEqual({ i, status: 'invalid' });
          if (swapCase(key[i]!) !== key[i]) expect({ i, status: validateAgeSecretKey(at(key, i, swapCase(key[i]!))).status }).toEqual({ i, status: 'invalid' });
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
  });
});
