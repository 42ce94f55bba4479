/**
 * Finds encoded blobs (base64, hex, percent-encoding, JSON string escapes) and decodes the ones
 * that turn out to be text, so the engine can look for secrets inside them. Bounded: blobs over
 * MAX_BLOB characters are skipped and each scanned text has a decoded-bytes budget.
 */
import { printableText } from './heuristics.js';

export type Encoding = 'base64' | 'hex' | 'percent' | 'json-escape';

export interface DecodedBlob {
  /** Span of the encoded blob in the scanned text. */
  start: number;
  end: number;
  encoding: Encoding;
  decoded: string;
}

/** Shortest base64 worth decoding: 28 characters carry 21 bytes, below any provider token. */
export const MIN_BASE64 = 28;
const MIN_HEX = 40;
export const MAX_BLOB = 1 << 20;

export interface DecodeBudget {
  /** Decoded characters still allowed for this text (shared across nesting levels). */
  remaining: number;
}

/** `runs`: base64-alphabet runs of at least MIN_BASE64 characters when the caller already has them (prefilter.ts). */
export function findEncodedBlobs(text: string, budget: DecodeBudget, runs?: readonly number[]): DecodedBlob[] {
  const out: DecodedBlob[] = [];
  const push = (b: DecodedBlob): boolean => {
    if (budget.remaining <= 0) return false;
    budget.remaining -= b.decoded.length;
    out.push(b);
    return true;
  };
  if (runs) {
    for (let r = 0; r < runs.length; r += 2) if (!tryRun(text, runs[r]!, runs[r + 1]!, push)) break;
  } else scanRuns(text, push);
  if (text.includes('%')) scanPercent(text, push);
  if (text.includes('\\')) scanJsonEscapes(text, push);
  return out;
}

// Character table for the run scanner, indexed by UTF-16 unit (64 KiB) so the loop needs no range check.
const B64 = 1;
const HEX = 2;
const LOWER = 4;
const UPPER = 8;
const DIGIT = 16;
const TABLE = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let v = 0;
  if (/[A-Za-z0-9+/_-]/.test(ch)) v |= B64;
  if (/[0-9a-fA-F]/.test(ch)) v |= HEX;
  if (/[a-z]/.test(ch)) v |= LOWER;
  if (/[A-Z]/.test(ch)) v |= UPPER;
  if (/[0-9]/.test(ch)) v |= DIGIT;
  TABLE[c] = v;
}

/**
 * One pass over maximal runs of the base64 alphabet (hex is a subset). A run of only hex digits
 * is tried as hex; otherwise, if it mixes lower case, upper case and digits (identifiers, paths
 * and digests do not), as base64. Only runs that decode to printable text are kept. The two
 * tight skip loops run at several hundred MB/s; the run's character mix is only computed for
 * the rare runs long enough to matter.
 */
function scanRuns(text: string, push: (b: DecodedBlob) => boolean): void {
  const len = text.length;
  let i = 0;
  while (i < len) {
    while (i < len && (TABLE[text.charCodeAt(i)]! & B64) === 0) i++;
    const start = i;
    while (i < len && (TABLE[text.charCodeAt(i)]! & B64) !== 0) i++;
    if (!tryRun(text, start, i, push)) return;
  }
}

/** One base64-alphabet run [start, end): hex, base64, or neither. False when the budget is spent. */
function tryRun(text: string, start: number, i: number, push: (b: DecodedBlob) => boolean): boolean {
  const runLen = i - start;
  if (runLen < MIN_BASE64 || runLen > MAX_BLOB) return true;
  let seen = 0;
  let allHex = HEX;
  for (let j = start; j < i; j++) {
    const t = TABLE[text.charCodeAt(j)]!;
    seen |= t;
    allHex &= t;
  }
  if (allHex) return runLen < MIN_HEX || runLen % 2 !== 0 || tryHex(text, start, i, push);
  if ((seen & (LOWER | UPPER | DIGIT)) !== (LOWER | UPPER | DIGIT)) return true;
  let end = i;
  while (end < text.length && end - i < 2 && text.charCodeAt(end) === 61 /* = */) end++;
  return tryBase64(text, start, i, end, push);
}

function tryBase64(text: string, start: number, bodyEnd: number, end: number, push: (b: DecodedBlob) => boolean): boolean {
  if ((bodyEnd - start) % 4 === 1) return true;
  // Printable ASCII text encodes to quanta whose first character is I..Z or a..f (6 high bits
  // 8..31): a cheap reject for most random runs before decoding anything.
  const q = text.charCodeAt(start);
  if (!((q >= 73 && q <= 90) || (q >= 97 && q <= 102))) return true;
  const decoded = printableText(Buffer.from(text.slice(start, bodyEnd), 'base64'));
  if (decoded === undefined || decoded.length < 16 || !hasWord(decoded)) return true;
  return push({ start, end, encoding: 'base64', decoded });
}

function tryHex(text: string, start: number, end: number, push: (b: DecodedBlob) => boolean): boolean {
  // Text hex-encodes mostly to 0x2X-0x7X: a cheap reject for digests before decoding.
  const s = text.slice(start, end);
  if (!/^(?:[2-7][0-9a-fA-F]){8}/.test(s)) return true;
  const decoded = printableText(Buffer.from(s, 'hex'));
  if (decoded === undefined || decoded.length < MIN_HEX / 2 || !hasWord(decoded)) return true;
  return push({ start, end, encoding: 'hex', decoded });
}

/** Characters that end a percent-encoded token. */
const TOKEN_END = /[\s"'<>`]/;

/**
 * Percent-encoded tokens with at least three `%XX` escapes. Anchored on the escapes themselves
 * (a literal `%` the regex engine finds fast), then widened to the token around them, so text
 * full of `%` (format strings, CSS) costs one pass.
 */
function scanPercent(text: string, push: (b: DecodedBlob) => boolean): void {
  const esc = /%[0-9A-Fa-f]{2}/g;
  let done = 0;
  for (let m; (m = esc.exec(text)); ) {
    if (m.index < done) continue;
    let start = m.index;
    while (start > 0 && !TOKEN_END.test(text[start - 1]!)) start--;
    let end = m.index + 3;
    while (end < text.length && end - start <= MAX_BLOB && !TOKEN_END.test(text[end]!)) end++;
    done = end;
    esc.lastIndex = end;
    const s = text.slice(start, end);
    if (s.length > MAX_BLOB || s.length < MIN_BASE64 || (s.match(/%[0-9A-Fa-f]{2}/g)?.length ?? 0) < 3) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      continue;
    }
    if (decoded === s || printableText(Buffer.from(decoded, 'utf8')) === undefined) continue;
    if (!push({ start, end, encoding: 'percent', decoded })) return;
  }
}

/**
 * JSON/JS string literals with escapes: PEM keys as "-----BEGIN ...\nMII...", or `\u` escaped
 * tokens. Anchored on the escapes; the literal around one is found by walking to its quotes.
 */
function scanJsonEscapes(text: string, push: (b: DecodedBlob) => boolean): void {
  const esc = /\\(?:n|u[0-9a-fA-F]{4}|\/)/g;
  let done = 0;
  for (let m; (m = esc.exec(text)); ) {
    if (m.index < done) continue;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    let open = text.lastIndexOf('"', m.index);
    while (open > lineStart && text.charCodeAt(open - 1) === 92) open = text.lastIndexOf('"', open - 1); // an escaped quote inside
    if (open < lineStart) continue;
    // Walk to the closing quote, honouring escapes; a literal never spans a raw line break.
    let close = -1;
    for (let i = open + 1; i < text.length && i - open <= MAX_BLOB; i++) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) {
        close = i;
        break;
      } else if (c === 10 || c === 13) break;
    }
    done = close === -1 ? m.index + 1 : close + 1;
    esc.lastIndex = done;
    if (close === -1 || close <= m.index) continue;
    const body = text.slice(open + 1, close);
    if (body.length < MIN_BASE64) continue;
    let decoded: string;
    try {
      decoded = JSON.parse(`"${body}"`) as string;
    } catch {
      continue;
    }
    if (!push({ start: open + 1, end: close, encoding: 'json-escape', decoded })) return;
  }
}

/** At least one run of 3 letters: filters decoded noise that happens to be printable. */
function hasWord(s: string): boolean {
  return /[A-Za-z_]{3}/.test(s);
}

