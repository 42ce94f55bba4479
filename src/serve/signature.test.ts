import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, signGithub, verifyGithubSignature } from './signature.js';

describe('HMAC-SHA256 with prepared keys', () => {
  it('gives RFC 4231 test case 2', () => {
    expect(hmacSha256('Jefe', Buffer.from('what do ya want for nothing?')).toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('agrees with createHmac for keys shorter than, as long as and longer than a block, and for repeated use', () => {
    const bodies = [Buffer.alloc(0), Buffer.from('{"zen":"keep it logically awesome"}'), Buffer.alloc(70_000, 0x7b)];
    for (const secret of ['k', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(65), 'ключ-é'.repeat(20)]) {
      for (const body of [...bodies, ...bodies]) {
        expect([secret.length, body.length, hmacSha256(secret, body).toString('hex')]).toEqual([secret.length, body.length, createHmac('sha256', secret).update(body).digest('hex')]);
      }
    }
  });

  it('verifies a GitHub signature under any of the secrets, and refuses another body or secret', () => {
    const body = Buffer.from('{"action":"opened"}');
    const sig = signGithub('old-secret-6b1e', body);
    expect(verifyGithubSignature(['new-secret-90c2', 'old-secret-6b1e'], body, sig)).toBe(true);
    expect(verifyGithubSignature(['new-secret-90c2', 'old-secret-6b1e'], body, sig.toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
    expect(verifyGithubSignature(['new-secret-90c2'], body, sig)).toBe(false);
    expect(verifyGithubSignature(['old-secret-6b1e'], Buffer.from('{"action":"closed"}'), sig)).toBe(false);
    expect(verifyGithubSignature(['old-secret-6b1e'], body, undefined)).toBe(false);
    expect(verifyGithubSignature(['old-secret-6b1e'], body, sig.slice(0, -1))).toBe(false);
  });
});
