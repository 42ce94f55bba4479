/**
 * Builders for detector regexes. Every pattern here uses bounded quantifiers only ({n,m}) and no
 * quantified group contains another quantifier, so matching stays linear-ish on hostile input
 * (the detector tests check both properties and time adversarial strings).
 */
import type { Confidence, Severity } from '../../core/finding.js';
import type { Detector, Validation } from '../types.js';
import { classifyKey, isMetadataKey, plausibleToken } from './decoys.js';

export interface Meta {
  id: string;
  title: string;
  family: string;
  severity?: Severity;
  confidence?: Confidence;
  minEntropy?: number;
  /** Structural check; default `plausibleToken` (rejects EXAMPLE, xxxx, abcdef... fakes). */
  validate?: (secret: string, match: RegExpExecArray) => Validation;
  /** Set false for formats that legitimately contain long runs (`AAAAAAAAAA` in Twitter tokens). */
  plausible?: boolean;
}

/** Characters that continue a token: a match must not start or end inside a longer word. */
const WORD_BEFORE = '(?<![A-Za-z0-9_])';
const WORD_AFTER = '(?![A-Za-z0-9_])';

function detector(meta: Meta, keywords: string[], source: string, flags: string | undefined, shape: Detector['shape']): Detector {
  const d: Detector = {
    id: meta.id,
    shape,
    title: meta.title,
    family: meta.family,
    keywords: [...new Set(keywords.map((k) => k.toLowerCase()))],
    // `d` gives group offsets, so the reported span is the secret, not the surrounding context.
    regex: new RegExp(source, `gd${flags ?? ''}`),
    severity: meta.severity ?? 'high',
    confidence: meta.confidence ?? 'high',
  };
  if (meta.minEntropy !== undefined) d.minEntropy = meta.minEntropy;
  const validate = meta.validate ?? (meta.plausible === false ? undefined : plausibleToken);
  if (validate) d.validate = validate;
  return d;
}

/**
 * A token recognisable on its own (a vendor prefix, a fixed shape): `pattern` is the whole
 * token. `before`/`after` override the default word boundaries (`''` for none).
 */
export function token(meta: Meta & { keywords: string[]; pattern: string; before?: string; after?: string; flags?: string; anchor?: string }): Detector {
  const before = meta.before ?? WORD_BEFORE;
  const after = meta.after ?? WORD_AFTER;
  // With `anchor` (the pattern's tail from a literal on), the regex finds the literal first and
  // re-reads the whole token behind it: V8 scans for a literal fast, but not for `[a-f0-9]{32}`.
  if (meta.anchor) return detector(meta, meta.keywords, `${meta.anchor}(?<=${before}(?<secret>${meta.pattern}))${after}`, meta.flags, 'token');
  return detector(meta, meta.keywords, `${literalFirst(before, meta.pattern) ?? `${before}(?<secret>${meta.pattern})`}${after}`, meta.flags, 'token');
}

/**
 * `(?<![class])(?<secret>ghp_...)` as `(?<secret>ghp_(?<![class]ghp_)...)`: the same matches,
 * but the regex starts with the literal, which V8 finds with a fast scan instead of testing the
 * lookbehind at every position (4x on `ghp_`; bench/RESULTS.md, issue 9). Only for a pattern
 * with no top-level alternation that starts with 2+ plain characters, and a `before` that is a
 * negative lookbehind of one character class; undefined otherwise (the pattern is used as is).
 */
export function literalFirst(before: string, pattern: string): string | undefined {
  if (!/^\(\?<!\[[^\]]+\]\)$/.test(before)) return undefined;
  let lit = /^[A-Za-z0-9_-]+/.exec(pattern)?.[0] ?? '';
  // A quantifier applies to the last character only: it is not part of the fixed prefix.
  if (/^[{?*+]/.test(pattern.slice(lit.length))) lit = lit.slice(0, -1);
  if (lit.length < 2 || hasTopLevelAlternation(pattern)) return undefined;
  const cls = before.slice(4, -1);
  return `(?<secret>${lit}(?<!${cls}${lit})${pattern.slice(lit.length)})`;
}

function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * What sits between a key and its value: `KEY=v`, `key: v`, `"key": "v"`, `key => 'v'`,
 * `key := v`, `setenv("KEY", "v")`, `<Key>v</Key>`. The key may carry a suffix (`_API_KEY`).
 */
export const ASSIGN = `[A-Za-z0-9_.-]{0,32}["']?\\]?[ \\t]{0,4}(?:=|:=|:|=>|\\?=|,|>)[ \\t]{0,4}["'\`]?`;

/**
 * A value without a recognisable shape, found by the key it is assigned to (`names`, regex
 * sources matched case-insensitively). `value` is the value's pattern; it must not be followed
 * by more token characters.
 */
export function keyed(meta: Meta & { keywords: string[]; names: string[]; value: string; tail?: string; vendor?: string }): Detector {
  // YAML often nests the value under the vendor: `datadog:\n  api_key: ...`. Vendor words are
  // the keywords that are plain words, unless given.
  const words = meta.vendor ? [meta.vendor] : meta.keywords.filter((k) => /^[a-z0-9]{3,}$/.test(k));
  const vendor = words.length > 0 ? `(?:${words.join('|')})` : undefined;
  const nested = vendor ? `|${vendor}[A-Za-z0-9_.-]{0,20}:[ \\t]{0,4}\\r?\\n[ \\t]{1,12}[A-Za-z0-9_.-]{1,40}[ \\t]{0,4}:[ \\t]{0,4}["']?` : '';
  const src = `(?:(?:${meta.names.join('|')})${ASSIGN}${nested})(?<secret>${meta.value})${meta.tail ?? '(?![A-Za-z0-9_+/=-])'}`;
  const inner = meta.validate ?? (meta.plausible === false ? undefined : plausibleToken);
  const validate = (secret: string, m: RegExpExecArray): Validation => {
    const keyEnd = (m.indices?.groups?.['secret']?.[0] ?? m.index + m[0].length) - m.index;
    const key = m[0].slice(0, keyEnd).replace(/["'`\s=:>,?]+$/, '');
    // The key may carry a suffix that makes it metadata: `PRIVATE_KEY_HASH`, `HEROKU_APP_ID`.
    if (isMetadataKey(key)) return { status: 'invalid', note: `key "${key}" names metadata, not a secret` };
    // Under a vendor parent, the child key itself must name a secret (`api_key`, not `region`).
    const child = key.includes('\n') ? key.slice(key.lastIndexOf('\n') + 1).trim() : undefined;
    if (child !== undefined && !classifyKey(child)) return { status: 'invalid', note: `"${child}" under a vendor key does not name a secret` };
    return inner ? inner(secret, m) : { status: 'unknown' };
  };
  return detector({ confidence: 'medium', ...meta, validate }, keywordVariants(meta.keywords), src, 'i', 'keyed');
}

/**
 * Key names are written `DD_APP_KEY`, `dd.app.key`, `dd-app-key` and `ddAppKey` (lower-cased:
 * `ddappkey`): a keyword with separators gets every separator variant.
 */
function keywordVariants(keywords: string[]): string[] {
  const out = new Set<string>();
  for (const k of keywords) {
    out.add(k);
    if (/[_.-]/.test(k)) for (const sep of ['_', '-', '.', '']) out.add(k.replace(/[_.-]/g, sep));
  }
  return [...out];
}

/** A regex source for a UUID (any version), case-insensitive under `keyed`. */
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A raw detector: full control over the source (it must still name or number the secret group). */
export function raw(meta: Meta & { keywords: string[]; source: string; flags?: string }): Detector {
  return detector(meta, meta.keywords, meta.source, meta.flags, 'raw');
}
