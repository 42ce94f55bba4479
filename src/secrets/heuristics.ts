/**
 * Small value heuristics for the container detectors (containers.ts). Kept local rather than
 * shared with detectors/ so the two can evolve independently; only the hash and ciphertext
 * shapes (decoys.ts derivedValueReason) are shared.
 */

import { derivedValueReason, exampleValueReason } from './detectors/decoys.js';

/** Shannon entropy in bits per character. */
export function entropyOf(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  const n = s.length;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}

const PLACEHOLDER_WORDS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'secret', 'token', 'changeme', 'change_me', 'changeit', 'example',
  'redacted', 'masked', 'hidden', 'none', 'null', 'undefined', 'true', 'false', 'todo', 'fixme', 'dummy',
  'test', 'testing', 'foo', 'bar', 'foobar', 'admin', 'root', 'user', 'username', 'default', 'your-password',
  'yourpassword', 'mypassword', 'my-password', 'secret123', 'password123', 'qwerty', 'letmein', 'xxxxxx',
]);

/**
 * True for values that are templates, references or obvious examples rather than secrets:
 * `${VAR}`, `$VAR`, `{{ x }}`, `<password>`, `%s`, `***`, `xxxx`, `password`.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^\{[\w.-]{0,60}\}$/.test(v) || derivedValueReason(v) !== undefined) return true; // `{password}` format fields; hashes and ciphertext
  if (/[$]\{|\{\{|\}\}|^\$[A-Za-z_(]|%[sdv]|^<.*>$|^\[.*\]$|^\(.*\)$|\*\*\*|^%\w+%$|^#\{/.test(v)) return true;
  if (/^(.)\1+$/.test(v)) return true; // "xxxxxxxx", "00000000", "********"
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  // `somepassword`, `authpassword`: lower-case words around "password" (documentation examples).
  if (/^[a-z]{0,16}(?:password|passwd|secret)[a-z]{0,16}$/.test(v)) return true;
  // `customUser:customPass`, `tokenvalue`, `P@ssw0rd!`, `password12345` (see exampleValueReason).
  if (exampleValueReason(v) !== undefined) return true;
  if (/^(?:x+|\.+|-+|_+|\?+)$/i.test(v)) return true;
  if (/^(?:your|my|insert|enter|replace|put)[-_ ]?(?:own[-_ ]?)?(?:api[-_ ]?)?(?:key|token|secret|password|pass)/i.test(v)) return true;
  if (/(?:example|placeholder|dummy|sample|fake)/i.test(v) && v.length < 40) return true;
  return false;
}

/** Printable text check for decoded bytes: no controls other than tab/CR/LF, valid UTF-8. */
export function printableText(buf: Buffer): string | undefined {
  let high = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b < 0x20) {
      if (b !== 0x09 && b !== 0x0a && b !== 0x0d) return undefined;
    } else if (b === 0x7f) return undefined;
    else if (b >= 0x80) high = true;
  }
  const text = buf.toString('utf8');
  if (high && text.includes('\uFFFD')) return undefined;
  return text;
}

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}
