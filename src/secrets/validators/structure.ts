/**
 * Structural checks for formats whose body is itself encoded data: base64 JSON (Sentry org
 * tokens, Grafana keys, 1Password service accounts), PEM and OpenSSH private keys, Discord bot
 * tokens (base64 user id), basic-auth pairs.
 */
import type { Validation } from '../types.js';

function base64Bytes(s: string): Buffer | undefined {
  const clean = s.replace(/\\[nr]|\s/g, '');
  if (!/^[A-Za-z0-9+/_-]+={0,3}$/.test(clean)) return undefined;
  return Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Decodes base64(url) text holding a JSON object; undefined when it is not one. */
export function decodeBase64Json(s: string): Record<string, unknown> | undefined {
  const bytes = base64Bytes(s);
  if (!bytes) return undefined;
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A validator for tokens that embed base64 JSON after `prefix` (up to `stop`, if given): valid
 * when the JSON has every key in `required`, invalid otherwise. `expose` names keys safe to report.
 */
export function base64JsonValidator(opts: { prefix: string; stop?: string; required: string[]; expose?: Record<string, string> }) {
  return (secret: string): Validation => {
    let body = secret.slice(opts.prefix.length);
    if (opts.stop !== undefined) {
      const i = body.lastIndexOf(opts.stop);
      if (i > 0) body = body.slice(0, i);
    }
    const json = decodeBase64Json(body);
    if (!json) return { status: 'invalid', note: 'embedded payload is not base64 JSON' };
    for (const k of opts.required) if (!(k in json)) return { status: 'invalid', note: `embedded JSON lacks "${k}"` };
    const properties: Record<string, string> = {};
    for (const [key, name] of Object.entries(opts.expose ?? {})) {
      const v = json[key];
      if (typeof v === 'string' || typeof v === 'number') properties[name] = String(v);
    }
    return { status: 'valid', note: 'embedded JSON decodes', properties };
  };
}

const OPENSSH_MAGIC = 'openssh-key-v1\0';

/**
 * PEM private key blocks: the base64 body must decode to DER (a SEQUENCE, 0x30) or, for OpenSSH,
 * to the `openssh-key-v1` magic; PGP armour is checked for a packet tag. Escaped newlines (`\n`
 * inside JSON strings) are accepted.
 */
export function validatePrivateKeyBlock(block: string): Validation {
  const m = /-----BEGIN ([A-Z0-9 ]{1,40})-----([\s\S]*?)-----END \1-----/.exec(block);
  if (!m) return { status: 'invalid', note: 'no matching END line' };
  const label = m[1]!;
  // Drop RFC 1421 / armour headers (`Proc-Type: ...`, `Version: ...`) and the PGP checksum line.
  const lines = m[2]!.split(/\\r\\n|\\n|\r?\n/).map((l) => l.trim());
  const body = lines.filter((l) => l && !l.includes(':') && !/^=[A-Za-z0-9+/]{4}$/.test(l)).join('');
  const bytes = base64Bytes(body);
  if (!bytes || bytes.length < 32) return { status: 'invalid', note: 'body is not base64 key material' };
  if (label === 'OPENSSH PRIVATE KEY') {
    return bytes.subarray(0, OPENSSH_MAGIC.length).toString('latin1') === OPENSSH_MAGIC
      ? { status: 'valid', note: 'openssh-key-v1 structure' }
      : { status: 'invalid', note: 'missing openssh-key-v1 magic' };
  }
  // RFC 1421 encryption (`Proc-Type: 4,ENCRYPTED`): the body is ciphertext, not DER.
  if (lines.some((l) => /^Proc-Type:\s*4,\s*ENCRYPTED$/i.test(l))) return { status: 'valid', note: 'RFC 1421 encrypted key' };
  if (label.startsWith('PGP ')) {
    return (bytes[0]! & 0x80) !== 0 ? { status: 'valid', note: 'OpenPGP packet' } : { status: 'invalid', note: 'not an OpenPGP packet' };
  }
  return bytes[0] === 0x30 ? { status: 'valid', note: 'DER structure' } : { status: 'invalid', note: 'body is not DER' };
}

/**
 * Discord bot tokens start with base64(user id): a 17-20 digit snowflake. The id is public
 * (it is the bot's user id) and worth reporting.
 */
export function validateDiscordBotToken(token: string): Validation {
  const first = token.split('.')[0] ?? '';
  const bytes = base64Bytes(first);
  const id = bytes?.toString('latin1') ?? '';
  return /^\d{17,20}$/.test(id)
    ? { status: 'valid', note: 'first segment is a Discord user id', properties: { botUserId: id } }
    : { status: 'invalid', note: 'first segment is not a base64 user id' };
}

/** `Authorization: Basic` values: base64 of `user:password`. The user name is reported. */
export function validateBasicAuth(value: string): Validation {
  const bytes = base64Bytes(value);
  const text = bytes?.toString('utf8') ?? '';
  const colon = text.indexOf(':');
  if (!bytes || colon < 1 || colon === text.length - 1 || /[\x00-\x1f\ufffd]/.test(text)) {
    return { status: 'invalid', note: 'not base64 of user:password' };
  }
  return { status: 'valid', note: 'decodes to user:password', properties: { user: text.slice(0, colon) } };
}
