/**
 * Authenticating senders without leaking timing: GitHub's `X-Hub-Signature-256` (HMAC-SHA256 of
 * the exact body bytes, https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries)
 * and shared tokens (GitLab's `X-Gitlab-Token`, the audit stream's bearer token, API tokens).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * True when the header is `sha256=<hex>` and matches the body under one of the secrets (several
 * while a secret is rotated). Every secret is tried, so the time does not tell which one matched.
 */
export function verifyGithubSignature(secrets: readonly string[], body: Buffer, header: string | undefined): boolean {
  const m = header === undefined ? null : SIGNATURE.exec(header.trim());
  if (!m) return false;
  const given = Buffer.from(m[1]!.toLowerCase(), 'hex');
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    // Both sides are 32 bytes, so timingSafeEqual cannot throw on length.
    if (timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

/** `sha256=<hex>` of a body, as GitHub sends it (for tests, notifications and benchmarks). */
export function signGithub(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Constant-time comparison of a presented token with the expected ones: both are hashed first, so
 * neither the length nor the content of the expected token leaks through timing.
 */
export function tokenMatches(expected: readonly string[], given: string | undefined): boolean {
  if (given === undefined || given === '') return false;
  const g = sha256(given);
  let ok = false;
  for (const e of expected) if (timingSafeEqual(sha256(e), g)) ok = true;
  return ok;
}

export function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** How API tokens are stored: SHA-256 hex (tokens are 256-bit random, so no salt or KDF is needed). */
export function tokenHash(token: string): string {
  return sha256(token).toString('hex');
}
