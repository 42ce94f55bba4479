/**
 * GitHub (ghp_/gho_/ghu_/ghs_/ghr_) and npm (npm_) tokens share one layout: a 4-character prefix,
 * 30 random base62 characters, then CRC-32 of those 30 characters in base62, zero-padded to 6.
 * https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
 */
import type { Validation } from '../types.js';
import { BASE62, crc32, encodeRadix } from './checksum.js';

const PAYLOAD = 30;
const CHECK = 6;

/** The 6-character checksum GitHub appends to a 30-character payload. */
export function base62Crc32(payload: string): string {
  return encodeRadix(crc32(payload), BASE62, CHECK);
}

/** `prefix + payload + checksum`: builds a checksum-correct token (tests, corpora). */
export function withBase62Checksum(prefix: string, payload: string): string {
  return prefix + payload + base62Crc32(payload);
}

/**
 * Checks the trailing checksum of a 4-character-prefix token. Tokens of another length (the
 * 80-character ghr_ refresh tokens) carry no published checksum: unknown.
 */
export function validateBase62Checksum(token: string): Validation {
  if (token.length !== 4 + PAYLOAD + CHECK) return { status: 'unknown', note: 'no checksum in this token length' };
  const payload = token.slice(4, 4 + PAYLOAD);
  const expected = base62Crc32(payload);
  return token.slice(-CHECK) === expected
    ? { status: 'valid', note: 'CRC-32 checksum matches' }
    : { status: 'invalid', note: 'CRC-32 checksum does not match' };
}
