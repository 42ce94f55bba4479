/** JSON Web Tokens: base64url(header JSON).base64url(payload JSON).base64url(signature). */
import type { Validation } from '../types.js';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
}

/** The jwt.io sample token is in countless tutorials and tests: never a leak. */
const WELL_KNOWN_SIGNATURES = new Set(['SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c']);

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodeJsonPart(parts[0]!);
  const payload = decodeJsonPart(parts[1]!);
  if (!header || !payload) return undefined;
  return { header, payload, signature: parts[2]! };
}

export function validateJwt(token: string): Validation {
  const jwt = decodeJwt(token);
  if (!jwt) return { status: 'invalid', note: 'header or payload is not base64url JSON' };
  const alg = jwt.header['alg'];
  if (typeof alg !== 'string') return { status: 'invalid', note: 'header has no alg' };
  if (WELL_KNOWN_SIGNATURES.has(jwt.signature)) return { status: 'invalid', note: 'well-known example token' };
  const unsigned = alg.toLowerCase() === 'none';
  // A signed algorithm with no signature is a truncated or hand-made token.
  if (!unsigned && jwt.signature.length === 0) return { status: 'invalid', note: 'signature missing' };
  const properties: Record<string, string> = { alg };
  const typ = jwt.header['typ'];
  if (typeof typ === 'string') properties['typ'] = typ;
  const iss = jwt.payload['iss'];
  if (typeof iss === 'string') properties['iss'] = iss;
  const exp = jwt.payload['exp'];
  const notes = [unsigned ? 'alg none: unsigned token, anyone can forge one' : 'decodes as a JWT'];
  if (typeof exp === 'number' && Number.isFinite(exp)) {
    const d = new Date(exp * 1000);
    if (!Number.isNaN(d.getTime())) {
      properties['exp'] = d.toISOString();
      if (d.getTime() < Date.now()) notes.push('expired');
    }
  }
  return { status: 'valid', note: notes.join('; '), properties };
}
