/**
 * Finds encoded blobs (base64, hex, percent-encoding, JSON string escapes) and decodes the ones
 * that turn out to be text, so the engine can look for secrets inside them. Bounded: each scanned
 * text has a decoded-characters budget; hex, percent and escaped blobs over MAX_BLOB characters
 * are skipped, and a base64 blob over MAX_BLOB is decoded only when its first MAX_BLOB characters
 * decode to text, and only as far as the budget allows (the file size limit bounds it too).
 */
import { Deadline, forEachMatch } from './budget.js';
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
export function findEncodedBlobs(text: string, budget: DecodeBudget, runs?: readonly number[], deadline: Deadline = Deadline.none()): DecodedBlob[] {
  const out: DecodedBlob[] = [];
  const push = (b: DecodedBlob): boolean => {
    if (budget.remaining <= 0) return false;
    budget.remaining -= b.decoded.length;
    out.push(b);
    return true;
  };
  let prev = deadline.enter('decoder base64/hex');
  if (runs) {
    for (let r = 0; r < runs.length; r += 2) {
      if (!tryRun(text, runs[r]!, runs[r + 1]!, push, budget)) break;
      deadline.tick();
    }
  } else scanRuns(text, push, deadline, budget);
  deadline.leave(prev);
  if (text.includes('%')) {
    prev = deadline.enter('decoder percent');
    scanPercent(text, push, deadline);
    deadline.leave(prev);
  }
  if (text.includes('\\')) {
    prev = deadline.enter('decoder json-escape');
    scanJsonEscapes(text, push, deadline);
    deadline.leave(prev);
  }
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
function scanRuns(text: string, push: (b: DecodedBlob) => boolean, deadline: Deadline, budget: DecodeBudget): void {
  const len = text.length;
  let i = 0;
  while (i < len) {
    while (i < len && (TABLE[text.charCodeAt(i)]! & B64) === 0) i++;
    const start = i;
    while (i < len && (TABLE[text.charCodeAt(i)]! & B64) !== 0) i++;
    if (!tryRun(text, start, i, push, budget)) return;
    deadline.tick();
  }
}

/** One base64-alphabet run [start, end): hex, base64, or neither. False when the budget is spent. */
function tryRun(text: string, start: number, i: number, push: (b: DecodedBlob) => boolean, budget: DecodeBudget): boolean {
  const runLen = i - start;
  if (runLen < MIN_BASE64) return true;
  if (runLen > MAX_BLOB) return tryLargeBase64(text, start, i, push, budget);
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
  // 8..31), or C/D when it starts with a tab, line feed or carriage return (which printableText
  // accepts: a base64'd file often starts with a blank line): a cheap reject for most random runs
  // before decoding anything.
  const q = text.charCodeAt(start);
  if (!((q >= 73 && q <= 90) || (q >= 97 && q <= 102) || q === 67 || q === 68)) return true;
  const decoded = printableText(Buffer.from(text.slice(start, bodyEnd), 'base64'));
  if (decoded === undefined || decoded.length < 16 || !hasWord(decoded)) return true;
  return push({ start, end, encoding: 'base64', decoded });
}

/**
 * A base64 run over MAX_BLOB characters (a data URI or an embedded file in a bundle): its
 * character mix is judged on the first MAX_BLOB characters, which must decode to text on their
 * own; then the body is decoded whole, or as much of it as the decode budget has room for
 * (whole 4-character quanta; the rest of the blob is not scanned). Binary data (images, fonts)
 * is rejected on the first character or on the head, without decoding the rest.
 */
function tryLargeBase64(text: string, start: number, bodyEnd: number, push: (b: DecodedBlob) => boolean, budget: DecodeBudget): boolean {
  const q = text.charCodeAt(start);
  if (!((q >= 73 && q <= 90) || (q >= 97 && q <= 102) || q === 67 || q === 68)) return true;
  let seen = 0;
  for (let j = start; j < start + MAX_BLOB; j++) seen |= TABLE[text.charCodeAt(j)]!;
  if ((seen & (LOWER | UPPER | DIGIT)) !== (LOWER | UPPER | DIGIT)) return true;
  const head = printableText(Buffer.from(text.slice(start, start + MAX_BLOB), 'base64'));
  if (head === undefined || !hasWord(head)) return true;
  // Decoded characters are at most 3/4 of the encoded ones.
  const room = Math.floor((budget.remaining * 4) / 3 / 4) * 4;
  if (room < MAX_BLOB) return true;
  let end = bodyEnd;
  let bodyLen = bodyEnd - start;
  if (bodyLen > room) {
    bodyLen = room;
    end = start + room;
  } else {
    while (end < text.length && end - bodyEnd < 2 && text.charCodeAt(end) === 61 /* = */) end++;
    if (bodyLen % 4 === 1) bodyLen--;
  }
  const decoded = printableText(Buffer.from(text.slice(start, start + bodyLen), 'base64'));
  if (decoded === undefined) return true;
  return push({ start, end, encoding: 'base64', decoded });
}

function tryHex(text: string, start: number, end: number, push: (b: DecodedBlob) => boolean): boolean {
  // Text hex-encodes mostly to 0x2X-0x7X (and 09, 0a, 0d for tab and line breaks): a cheap
  // reject for digests before decoding.
  const s = text.slice(start, end);
  if (!/^(?:[2-7][0-9a-fA-F]|0[9aAdD]){8}/.test(s)) return true;
  const decoded = printableText(Buffer.from(s, 'hex'));
  if (decoded === undefined || decoded.length < MIN_HEX / 2 || !hasWord(decoded)) return true;
  return push({ start, end, encoding: 'hex', decoded });
}

/** Characters that end a percent-encoded token: whitespace, quotes, angle brackets, backtick. */
const TOKEN_END = new Uint8Array(128);
for (const ch of ' \t\n\r\v\f"\'<>`') TOKEN_END[ch.charCodeAt(0)] = 1;
const endsToken = (c: number): boolean => c < 128 && TOKEN_END[c] === 1;

/**
 * Percent-encoded tokens with at least three `%XX` escapes. Anchored on the escapes themselves
 * (a literal `%` the regex engine finds fast), then widened to the token around them, so text
 * full of `%` (format strings, CSS) costs one pass. Linear: the walk back stops where the last
 * token ended, and a token too long to decode is skipped to its end in one walk.
 */
function scanPercent(text: string, push: (b: DecodedBlob) => boolean, deadline: Deadline): void {
  let done = 0;
  forEachMatch(
    /%[0-9A-Fa-f]{2}/g,
    text,
    (m) => {
      if (m.index < done) return done;
      let start = m.index;
      while (start > done && !endsToken(text.charCodeAt(start - 1)) && m.index - start <= MAX_BLOB) start--;
      let end = m.index + 3;
      while (end < text.length && !endsToken(text.charCodeAt(end))) end++;
      done = end;
      const s = text.slice(start, end);
      if (s.length > MAX_BLOB || s.length < MIN_BASE64) return end;
      if ((s.match(/%[0-9A-Fa-f]{2}/g)?.length ?? 0) < 3) return end;
      let decoded: string;
      try {
        decoded = decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return end;
      }
      if (decoded === s || printableText(Buffer.from(decoded, 'utf8')) === undefined) return end;
      return push({ start, end, encoding: 'percent', decoded }) ? end : false;
    },
    deadline,
  );
}

/**
 * JSON-style string literals with escapes: PEM keys as "-----BEGIN ...\nMII...", or `\u`
 * escaped tokens. Anchored on the escapes: the first escape on a line has its whole line
 * tokenised left to right (quotes `"`, `'` and backtick, honouring backslashes; a literal never
 * spans a line break), every double-quoted literal holding an escape is decoded, and the search
 * resumes on the next line. Each line is walked once, so the scan is linear whatever the input;
 * the old backwards search for the opening quote could move the search back and loop forever
 * on `"\\"\n`.
 */
function scanJsonEscapes(text: string, push: (b: DecodedBlob) => boolean, deadline: Deadline): void {
  forEachMatch(
    /\\(?:n|u[0-9a-fA-F]{4}|\/)/g,
    text,
    (m) => {
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      let lineEnd = text.indexOf('\n', m.index);
      if (lineEnd === -1) lineEnd = text.length;
      return decodeLiteralsOnLine(text, lineStart, lineEnd, push) ? lineEnd + 1 : false;
    },
    deadline,
  );
}

/** Decodes the escaped double-quoted literals of text[from, to); false when the budget is spent. */
function decodeLiteralsOnLine(text: string, from: number, to: number, push: (b: DecodedBlob) => boolean): boolean {
  for (let i = from; i < to; i++) {
    const q = text.charCodeAt(i);
    if (q !== 34 /* " */ && q !== 39 /* ' */ && q !== 96 /* ` */) continue;
    let close = -1;
    let escaped = false;
    for (let j = i + 1; j < to; j++) {
      const c = text.charCodeAt(j);
      if (c === 92 /* \ */) {
        const n = text.charCodeAt(j + 1);
        if (n === 110 /* n */ || n === 117 /* u */ || n === 47 /* / */) escaped = true;
        j++;
      } else if (c === q) {
        close = j;
        break;
      } else if (c === 13 /* lone CR */) break;
    }
    if (close === -1) return true; // unterminated: the rest of the line is inside it
    const body = text.slice(i + 1, close);
    i = close;
    if (q !== 34 || !escaped || body.length < MIN_BASE64 || body.length > MAX_BLOB) continue;
    let decoded: string;
    try {
      decoded = JSON.parse(`"${body}"`) as string;
    } catch {
      continue;
    }
    if (!push({ start: close - body.length, end: close, encoding: 'json-escape', decoded })) return false;
  }
  return true;
}

/** At least one run of 3 letters: filters decoded noise that happens to be printable. */
function hasWord(s: string): boolean {
  return /[A-Za-z_]{3}/.test(s);
}

