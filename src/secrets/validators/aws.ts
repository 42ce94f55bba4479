/**
 * AWS access key ids: a 4-character type prefix (AKIA long-lived, ASIA temporary...) then 16
 * base32 characters (A-Z2-7). In current keys the first bit after the prefix is set and the next
 * 40 bits are the account id, so account = (first 6 decoded bytes & 0x7fffffffff80) >> 7.
 * (Aidan Steele and Tal Be'ery, 2020; their published example is checked in aws.test.ts.)
 */
import type { Validation } from '../types.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const KIND: Record<string, string> = {
  AKIA: 'long-lived access key',
  ASIA: 'temporary (STS) access key',
  ABIA: 'STS service bearer token',
  ACCA: 'context-specific credential',
};

/** The account id (12 digits) encoded in a key id, or undefined for legacy keys that carry none. */
export function awsAccountId(keyId: string): string | undefined {
  const body = keyId.slice(4);
  if (body.length < 10) return undefined;
  let bits = 0n;
  for (const ch of body.slice(0, 10)) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return undefined;
    bits = (bits << 5n) | BigInt(v);
  }
  // 10 characters = 50 bits; the account id sits in bits 1..40 of the first 48.
  const first48 = bits >> 2n;
  if ((first48 >> 47n) === 0n) return undefined; // legacy key: no account id inside
  const account = (first48 & 0x7fffffffff80n) >> 7n;
  return account.toString().padStart(12, '0');
}

export function validateAwsKeyId(keyId: string): Validation {
  // AWS documentation's example keys end in EXAMPLE.
  if (keyId.endsWith('EXAMPLE')) return { status: 'invalid', note: 'AWS documentation example key' };
  if (!/^[A-Z0-9]{4}[A-Z2-7]{16}$/.test(keyId)) return { status: 'invalid', note: 'not base32 after the prefix' };
  const properties: Record<string, string> = {};
  const kind = KIND[keyId.slice(0, 4)];
  if (kind) properties['keyType'] = kind;
  const account = awsAccountId(keyId);
  if (account) properties['awsAccountId'] = account;
  return { status: 'unknown', note: account ? 'account id decoded from the key id' : 'legacy key id format', properties };
}
