import { describe, expect, it } from 'vitest';
import { awsAccountId, validateAwsKeyId } from './aws.js';

describe('AWS access key id → account id', () => {
  it('decodes the published example (Aidan Steele, Tal Be\'ery, 2020)', () => {
    // Their example key id belongs to account 609629065308; split to keep key-shaped literals out.
    expect(awsAccountId('ASIA' + 'Y34FZKBOKMUTVV7A')).toBe('609629065308');
  });

  it('round-trips ids built around an account number, keeping leading zeros', () => {
    const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    for (const account of [1, 123456789012, 999999999999, 42]) {
      let bits = (1n << 79n) | (BigInt(account) << 39n) | 0x1234567n;
      let body = '';
      for (let i = 0; i < 16; i++) {
        body = BASE32[Number(bits & 31n)] + body;
        bits >>= 5n;
      }
      expect(awsAccountId('AKIA' + body)).toBe(String(account).padStart(12, '0'));
    }
  });

  it('reports no account for legacy ids (first bit after the prefix clear)', () => {
    expect(awsAccountId('AKIA' + 'IOSFODNN7ABCDEFG')).toBeUndefined();
    expect(validateAwsKeyId('AKIA' + 'IOSFODNN7ABCDEFG')).toMatchObject({ status: 'unknown', note: 'legacy key id format' });
  });

  it('exposes key type and account, and drops the documentation example', () => {
    expect(validateAwsKeyId('ASIA' + 'Y34FZKBOKMUTVV7A').properties).toEqual({ keyType: 'temporary (STS) access key', awsAccountId: '609629065308' });
    expect(validateAwsKeyId('AKIA' + 'IOSFODNN7' + 'EXAMPLE').status).toBe('invalid');
    expect(validateAwsKeyId('AKIA' + '0000000000000000').status).toBe('invalid');
  });
});
