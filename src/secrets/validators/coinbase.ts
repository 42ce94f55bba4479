/**
 * Coinbase Developer Platform (CDP) keys: the Ed25519 "secret API key" format and the JWT that
 * `--verify` signs with a found key (EC P-256 in PEM, or Ed25519).
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Validation } from '../types.js';

/** PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function ed25519FromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/**
 * A CDP Ed25519 secret is base64 of 64 bytes: the 32-byte seed, then the public key derived from
 * it. Random or edited bytes never satisfy that (a 2^-256 chance), so a match is a real key pair.
 */
export function validateEd25519KeyPair(secret: string): Validation {
  const bytes = Buffer.from(secret, 'base64');
  if (bytes.length !== 64) return { status: 'invalid', note: 'not 64 bytes' };
  try {
    const pub = createPublicKey(ed25519FromSeed(bytes.subarray(0, 32))).export({ format: 'der', type: 'spki' });
    if (!pub.subarray(pub.length - 32).equals(bytes.subarray(32))) return { status: 'invalid', note: 'second half is not the public key of the first' };
  } catch {
    return { status: 'invalid', note: 'not an Ed25519 seed' };
  }
  return { status: 'valid', note: 'Ed25519 seed followed by its own public key' };
}

/** The key object for a found CDP secret: a (possibly `\n`-escaped) EC PEM, or an Ed25519 seed+public key. */
export function cdpSigningKey(secret: string): { key: KeyObject; alg: 'ES256' | 'EdDSA' } | undefined {
  try {
    if (secret.includes('-----BEGIN')) return { key: createPrivateKey(secret.replace(/\\n/g, '\n')), alg: 'ES256' };
    const bytes = Buffer.from(secret, 'base64');
    if (bytes.length === 64) return { key: ed25519FromSeed(bytes.subarray(0, 32)), alg: 'EdDSA' };
  } catch {
    // not a key Node can read
  }
  return undefined;
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * The bearer JWT the CDP SDKs send: `kid`/`sub` = the key name, `iss: cdp`, valid 2 minutes,
 * bound to one request. CDP APIs (`api`: 'cdp') want audience `cdp_service` and
 * `uris: ["GET host/path"]`; the Coinbase App APIs ('app') a single `uri` and no audience.
 */
export function cdpJwt(secret: string, keyName: string, req: { api: 'cdp' | 'app'; method: string; host: string; path: string }, now = Math.floor(Date.now() / 1000)): string | undefined {
  const k = cdpSigningKey(secret);
  if (!k) return undefined;
  const header = { alg: k.alg, kid: keyName, typ: 'JWT', nonce: randomBytes(16).toString('hex') };
  const uri = `${req.method} ${req.host}${req.path}`;
  const claims = { sub: keyName, iss: 'cdp', nbf: now, exp: now + 120 };
  const payload = req.api === 'cdp' ? { ...claims, aud: ['cdp_service'], uris: [uri] } : { ...claims, uri };
  const input = `${b64url(header)}.${b64url(payload)}`;
  const sig = k.alg === 'ES256' ? sign('sha256', Buffer.from(input), { key: k.key, dsaEncoding: 'ieee-p1363' }) : sign(null, Buffer.from(input), k.key);
  return `${input}.${sig.toString('base64url')}`;
}
