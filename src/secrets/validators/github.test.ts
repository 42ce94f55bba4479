import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base62Crc32, validateBase62Checksum, withBase62Checksum } from './github.js';

// An independent generator (zlib CRC-32, BigInt-free base62) so the validator is checked against
// a second implementation of the published scheme, not against itself.
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function toBase62(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor(n / 62)) s = B62[n % 62] + s;
  return s.padStart(6, '0');
}
function makeToken(prefix: string): string {
  const bytes = randomBytes(30);
  const payload = Array.from(bytes, (b) => B62[b % 62]).join('');
  return prefix + payload + toBase62(crc32(payload));
}

describe('GitHub / npm base62 CRC-32 checksum', () => {
  it('accepts tokens from an independent generator for every prefix', () => {
    for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'npm_']) {
      for (let i = 0; i < 50; i++) expect(validateBase62Checksum(makeToken(prefix)).status).toBe('valid');
    }
  });

  it('agrees with the dummy npm token published by secretlint (issue #200)', () => {
    // Split so the file holds no token-shaped literal.
    const token = ['npm', 'qkJaB6MffYVzZXWqmcoF49yrUxP3wf0LsakP'].join('_');
    expect(validateBase62Checksum(token)).toEqual({ status: 'valid', note: 'CRC-32 checksum matches' });
  });

  it('rejects a changed payload or checksum character', () => {
    const t = makeToken('ghp_');
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    expect(validateBase62Checksum(flip(t, 10)).status).toBe('invalid');
    expect(validateBase62Checksum(flip(t, t.length - 1)).status).toBe('invalid');
  });

  it('has no opinion on lengths without a published checksum', () => {
    expect(validateBase62Checksum('ghr_' + 'a1B2'.repeat(19)).status).toBe('unknown');
  });

  it('builds what it validates', () => {
    const t = withBase62Checksum('gho_', 'Ab3'.repeat(10));
    expect(t).toHaveLength(40);
    expect(t.slice(-6)).toBe(base62Crc32('Ab3'.repeat(10)));
    expect(validateBase62Checksum(t).status).toBe('valid');
  });
});
