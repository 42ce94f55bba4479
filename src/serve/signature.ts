/**
 * Authenticating senders without leaking timing: GitHub's `X-Hub-Signature-256` (HMAC-SHA256 of
 * the exact body bytes, https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries)
 * and shared tokens (GitLab's `X-Gitlab-Token`, the audit stream's bearer token, API tokens).
 */
import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * HMAC-SHA256 (RFC 2104) with the key's two padded blocks hashed once per secret: each delivery
 * then copies the two prepared hash states instead of setting a key up again (createHmac per
 * request was a tenth of the intake's own CPU). Same bytes as createHmac('sha256', secret).
 */
const prepared = new Map<string, { inner: Hash; outer: Hash }>();

function keyed(secret: string): { inner: Hash; outer: Hash } {
  let k = prepared.get(secret);
  if (!k) {
    let key = Buffer.from(secret, 'utf8');
    if (key.length > 64) key = createHash('sha256').update(key).digest();
    const block = Buffer.alloc(64);
    key.copy(block);
    const pad = (x: number): Buffer => Buffer.from(block.map((b) => b ^ x));
    k = { inner: createHash('sha256').update(pad(0x36)), outer: createHash('sha256').update(pad(0x5c)) };
    // Secrets come from the environment: one or two (rotation) per server.
    if (prepared.size > 16) prepared.clear();
    prepared.set(secret, k);
  }
  return k;
}

export function hmacSha256(secret: string, body: Buffer): Buffer {
  const k = keyed(secret);
  return k.outer.copy().update(k.inner.copy().update(body).digest()).digest();
}

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
    const expected = hmacSha256(secret, body);
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
