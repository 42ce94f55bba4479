/**
 * Secrets without a vendor shape, found by the key they are assigned to (`password = ...`,
 * `api_key: ...`, `"client_secret": "..."`, `Authorization: Bearer ...`, `.netrc`, XML). The
 * regex only finds `key <assign> value`; the validator decides from the key's words whether it
 * names a secret and from the value whether it is one (decoys.ts).
 */
import type { Detector, Validation } from '../types.js';
import { validateBasicAuth } from '../validators/structure.js';
import { checkStrength, classifyKey, decoyReason, genericValue, type GenericKind } from './decoys.js';
import { raw } from './build.js';

const family = 'generic';

/**
 * `key` is the end of an identifier containing one of `hints`; then an assignment; then a value that is
 * quoted (may contain spaces and punctuation, not line breaks) or bare (stops at whitespace,
 * quotes, brackets and separators). `q` remembers the quote so it must close the value.
 */
function assignment(hints: string, min: number): string {
  // The match starts at the hint, so V8 can scan for its first letters; the validator reads the
  // rest of the identifier (`DB_` in `DB_PASSWORD`) backwards from the match (`fullKey`).
  const key = `(?<key>(?:${hints})[A-Za-z0-9_.-]{0,30})`;
  // `["']?]?` also takes `config['KEY'] = ...` and `$cfg["key"] = ...`.
  // A comma only between quoted key and value: `setdefault("API_KEY", "v")`, not
  // `hash(password, salt)` or `fn('a title with token', 'value')` (checked in genericValue).
  const assign = `["']?\\]?[ \\t]{0,4}(?<sep>:=|=>|\\?=|=|:|,(?=[ \\t]{0,4}["'\`]))[ \\t]{0,4}`;
  const quoted = `(?<=["'\`])[^"'\`\\r\\n]{${min},200}(?=["'\`])`;
  const bare = `(?<!["'\`])[^\\s"'\`,;<>(){}\\[\\]\\\\]{${min},200}(?![^\\s"'\`,;<>(){}\\[\\]\\\\])`;
  return `${key}${assign}(?<q>["'\`]?)(?<secret>${quoted}|${bare})\\k<q>`;
}

function generic(kind: GenericKind, id: string, title: string, hints: string, keywords: string[], min: number): Detector {
  return raw({
    id,
    title,
    family,
    confidence: 'medium',
    keywords,
    source: assignment(hints, min),
    flags: 'i',
    validate: genericValue(kind),
  });
}

/** `Authorization: Basic <base64>`: the decoded password must not be a placeholder. */
function validateBasicHeader(secret: string): Validation {
  const v = validateBasicAuth(secret);
  if (v.status === 'invalid') return v;
  const decoded = Buffer.from(secret, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  // `foo:bar`: too short to be a chosen password (and the classic test pair).
  if (password.length < 4) return { status: 'invalid', note: 'password too short' };
  const reason = decoyReason(password);
  return reason ? { status: 'invalid', note: `password is a ${reason}` } : { status: 'unknown', note: v.note, properties: v.properties };
}

function validateBearer(secret: string): Validation {
  const reason = decoyReason(secret);
  if (reason) return { status: 'invalid', note: reason };
  return checkStrength('token', secret, 'Authorization');
}

/** XML elements (`<password>`, `<apiKey>`, Maven `settings.xml`): the element name is the key. */
function validateXml(secret: string, m: RegExpExecArray): Validation {
  const key = m.groups?.['key'] ?? '';
  const kind = classifyKey(key);
  if (!kind) return { status: 'invalid', note: `element <${key}> does not name a secret` };
  const reason = decoyReason(secret, key);
  if (reason) return { status: 'invalid', note: reason };
  return checkStrength(kind, secret, key);
}

/**
 * What makes a command-line value a reference rather than a password: a shell variable (`$X`,
 * `${X}`, `$(cmd)`), a cmd.exe variable (`%X%`) or a printf conversion (`%s`, `%-8d`, `%(name)s`).
 * A `%` on its own is a character like any other (`...Ry%62`, a URL-encoded byte).
 */
const COMMAND_REFERENCE = /\$|%[A-Za-z_][A-Za-z0-9_]*%|%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-+ #0]?\d*[sdv](?![A-Za-z0-9])/;

/** A password on a command line or in a config attribute: not a decoy, and some strength. */
function validateCommandPassword(secret: string): Validation {
  const reason = decoyReason(secret);
  if (reason) return { status: 'invalid', note: reason };
  if (COMMAND_REFERENCE.test(secret)) return { status: 'invalid', note: 'variable or format' };
  return checkStrength('password', secret, 'password');
}

/**
 * What may sit between a command and its flag: the rest of the line, and `\` line continuations.
 * The group holds no quantifier of its own, so matching stays linear.
 */
const ARGS = '[ \\t](?:[^\\r\\n]|\\\\\\n|\\\\\\r\\n){0,400}?(?<=[ \\t])';

export const GENERIC_DETECTORS: Detector[] = [
  // Listed before generic-password: for `wget --password=X` both match the same text, and the
  // command's own detector says more.
  raw({
    id: 'curl-user-password',
    title: 'Password in a curl -u/--user argument',
    family,
    confidence: 'medium',
    keywords: ['curl'],
    source: `\\bcurl(?:\\.exe)?${ARGS}(?:-u[ \\t]{0,4}|--user(?:[ \\t]{1,4}|=))(?<q>["']?)[^\\s"':$]{1,100}:(?<secret>[^\\s"']{1,200})\\k<q>`,
    validate: validateCommandPassword,
  }),
  raw({
    id: 'wget-password',
    title: 'Password in a wget --password argument',
    family,
    confidence: 'medium',
    keywords: ['wget'],
    source: `\\bwget(?:\\.exe)?${ARGS}--(?:http-|ftp-|proxy-)?password(?:[ \\t]{1,4}|=)(?<q>["']?)(?<secret>[^\\s"']{1,200})\\k<q>`,
    validate: validateCommandPassword,
  }),
  generic('password', 'generic-password', 'Hard-coded password', 'pass|pwd', ['pass', 'pwd'], 6),
  generic('api-key', 'generic-api-key', 'Hard-coded API key', 'api[_.-]?key|apikey|access[_.-]?key|app[_.-]?key', ['apikey', 'api_key', 'api-key', 'api.key', 'accesskey', 'access_key', 'access-key', 'appkey', 'app_key', 'app-key'], 12),
  generic('secret', 'generic-secret', 'Hard-coded secret', 'secret|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|hmac[_.-]?key|auth[_.-]?key|master[_.-]?key', ['secret', 'private', 'signing', 'encryption', 'hmac', 'auth_key', 'authkey', 'auth-key', 'master'], 12),
  generic('token', 'generic-token', 'Hard-coded token', 'token|bearer', ['token', 'bearer'], 12),
  raw({
    id: 'authorization-basic',
    title: 'HTTP Basic credentials in an Authorization header',
    family,
    confidence: 'medium',
    keywords: ['basic'],
    source: '(?:Proxy-)?Authorization["\']?[ \\t]{0,4}[:=,][ \\t]{0,4}["\']?Basic[ \\t]{1,4}(?<secret>[A-Za-z0-9+/]{8,500}={0,2})(?![A-Za-z0-9+/=])',
    flags: 'i',
    validate: validateBasicHeader,
  }),
  raw({
    id: 'authorization-bearer',
    title: 'Bearer token in an Authorization header',
    family,
    confidence: 'medium',
    keywords: ['bearer', 'authorization'],
    source: 'Authorization["\']?[ \\t]{0,4}[:=,][ \\t]{0,4}["\']?(?:Bearer|Token)[ \\t]{1,4}(?<secret>[A-Za-z0-9._~+/=-]{16,2000})(?![A-Za-z0-9._~+/=-])',
    flags: 'i',
    validate: validateBearer,
  }),
  raw({
    id: 'xml-secret',
    title: 'Hard-coded secret in an XML element',
    family,
    confidence: 'medium',
    keywords: ['pass', 'secret', 'token', 'apikey', 'api_key'],
    source: '<(?<key>[A-Za-z0-9_.-]{0,40}?(?:pass|pwd|secret|token|api[_.-]?key)[A-Za-z0-9_.-]{0,20})>(?<secret>[^<>\\s]{6,200})</\\k<key>>',
    flags: 'i',
    validate: validateXml,
  }),
  raw({
    id: 'netrc-password',
    title: 'Password in a .netrc entry',
    family,
    keywords: ['machine'],
    source: 'machine[ \\t]{1,10}[^\\s]{1,200}[ \\t\\r\\n]{1,20}login[ \\t]{1,10}[^\\s]{1,200}[ \\t\\r\\n]{1,20}password[ \\t]{1,10}(?<secret>[^\\s]{4,200})',
    validate: (secret) => {
      const reason = decoyReason(secret);
      return reason ? { status: 'invalid', note: reason } : { status: 'unknown' };
    },
  }),
  raw({
    id: 'ldap-bind-password',
    title: 'LDAP bind password (nslcd, sssd, pam_ldap, libnss-ldap)',
    family,
    confidence: 'medium',
    keywords: ['bindpw', 'ldap_default_authtok'],
    // nslcd.conf / ldap.conf `bindpw <pw>` (space-separated, so generic key=value misses it), sssd `ldap_default_authtok = <pw>`.
    source: '(?<![A-Za-z0-9_])(?:bindpw|ldap_default_authtok)[ \\t]{0,4}[= \\t][ \\t]{0,4}(?<q>["\']?)(?<secret>[^\\s"\']{4,200})\\k<q>',
    flags: 'i',
    validate: validateCommandPassword,
  }),
];
