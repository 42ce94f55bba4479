/**
 * GitLab routable tokens (GitLab 17.x+, Authn::TokenField::Generator::RoutableToken):
 *   <prefix><base64url(random16 + payload + byte(len(payload)))>.<version:2 base36>.<b64len:2 base36><crc:7 base36>
 * where crc is CRC-32 of everything before it, prefix included. An earlier layout had no
 * `.<version>` segment; both are accepted. The payload is `key:value` lines (o: organization,
 * c: cell, g: group, p: project, u: user, t: type), integer values in base36.
 */
import type { Validation } from '../types.js';
import { BASE36, crc32, encodeRadix } from './checksum.js';

const RANDOM_BYTES = 16;
const CRC_DIGITS = 7;
const ROUTING_KEYS: Record<string, string> = { c: 'cell', g: 'group', o: 'organization', p: 'project', u: 'user', t: 'type' };

const LAYOUT = /^(?<prefix>glrt-t\d_|[a-z]{2,8}-)(?<b64>[A-Za-z0-9_-]{27,300})\.(?:(?<version>[0-9a-z]{2})\.)?(?<len>[0-9a-z]{2})(?<crc>[0-9a-z]{7})$/;

export function gitlabRoutableChecksum(encoded: string): string {
  return encodeRadix(crc32(encoded), BASE36, CRC_DIGITS);
}

/** Builds a checksum-correct routable token (tests, corpora). */
export function buildGitlabRoutableToken(prefix: string, random: Uint8Array, routing: Record<string, string | number>): string {
  if (random.length !== RANDOM_BYTES) throw new Error(`random must be ${RANDOM_BYTES} bytes`);
  const payload = Object.keys(routing)
    .sort()
    .map((k) => `${k}:${typeof routing[k] === 'number' ? (routing[k] as number).toString(36) : routing[k]}`)
    .join('\n');
  const raw = Buffer.concat([Buffer.from(random), Buffer.from(payload, 'utf8'), Buffer.from([payload.length])]);
  const b64 = raw.toString('base64url');
  const encoded = `${prefix}${b64}.${encodeRadix(1, BASE36, 2)}.${encodeRadix(b64.length, BASE36, 2)}`;
  return encoded + gitlabRoutableChecksum(encoded);
}

export function validateGitlabRoutable(token: string): Validation {
  const m = LAYOUT.exec(token);
  if (!m?.groups) return { status: 'unknown', note: 'not a routable token' };
  const { b64, len } = m.groups as { b64: string; len: string };
  const body = token.slice(0, token.length - CRC_DIGITS);
  if (token.slice(-CRC_DIGITS) !== gitlabRoutableChecksum(body)) return { status: 'invalid', note: 'routable token CRC-32 does not match' };
  if (len !== encodeRadix(b64.length, BASE36, 2)) return { status: 'invalid', note: 'routable token payload length does not match' };
  const properties = decodeRouting(b64);
  return { status: 'valid', note: 'routable token CRC-32 matches', ...(properties && { properties }) };
}

/** Routing facts (organization, project...) are ids, not secrets: safe to report. */
function decodeRouting(b64: string): Record<string, string> | undefined {
  const raw = Buffer.from(b64, 'base64url');
  if (raw.length < RANDOM_BYTES + 2) return undefined;
  const size = raw[raw.length - 1]!;
  if (RANDOM_BYTES + size + 1 !== raw.length) return undefined;
  const out: Record<string, string> = {};
  for (const line of raw.subarray(RANDOM_BYTES, RANDOM_BYTES + size).toString('utf8').split('\n')) {
    const colon = line.indexOf(':');
    const name = ROUTING_KEYS[line.slice(0, colon)];
    if (colon !== 1 || !name) return undefined;
    const value = line.slice(2);
    const n = parseInt(value, 36);
    out[name] = name === 'type' || !/^[0-9a-z]+$/.test(value) || !Number.isSafeInteger(n) ? value : String(n);
  }
  return out;
}
