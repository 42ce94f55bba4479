/**
 * Bytes of a file or blob to the text the scanner reads. Binary data (a NUL byte in the first
 * 8 KiB, as git decides) is not text; UTF-16 is (Windows tools write `.env` and config files that
 * way, PowerShell 5's `>` and `Out-File` write UTF-16LE, and skipping them as binary would hide
 * what they hold): with a byte-order mark, or without one when the NUL bytes fall the way mostly
 * ASCII text in UTF-16 puts them (every other byte, never a whole NUL unit).
 *
 * Positions: the scanner reports 1-based lines and UTF-16-unit columns of the decoded text, which
 * are the lines and characters of the file whatever its encoding; the byte-order mark (UTF-8 or
 * UTF-16) is dropped so that line 1's columns count from the first character.
 */
import { isAscii } from 'node:buffer';

export function decodeText(data: Buffer): string | undefined {
  const kind = textKind(data);
  if (kind === 'binary') return undefined;
  if (kind === 'utf16') return decodeUtf16(data);
  if (kind === 'utf8' && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.toString('utf8', 3);
  // Most source is pure ASCII: latin1 decoding gives the same string at a fraction of UTF-8's cost.
  return data.toString(kind);
}

/** How to read `data`: `latin1` for pure ASCII, `utf8`, `utf16` (byte-order mark or NUL pattern), or `binary`. */
export function textKind(data: Buffer): 'latin1' | 'utf8' | 'utf16' | 'binary' {
  if (data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))) return 'utf16';
  // git's test: a NUL byte in the first 8 KiB (native search, not a loop over bytes).
  if (data.subarray(0, SNIFF_BYTES).indexOf(0) !== -1) return utf16Order(data) ? 'utf16' : 'binary';
  return isAscii(data) ? 'latin1' : 'utf8';
}

const SNIFF_BYTES = 8192;
/** Share of the sniffed UTF-16 units that must be ASCII (high byte zero) to call BOM-less data text. */
const MIN_ASCII_SHARE = 0.9;

/**
 * Byte order of BOM-less UTF-16 text, or undefined for anything else. Decides on the first 8 KiB,
 * like the binary test: an even length, no NUL unit (binary data has runs of zeros), and at least
 * 90% of the units printable ASCII, whitespace or Latin-1 letters with their zero byte on the same
 * side (a table of small 16-bit integers is not text: its low bytes are control codes). A file of
 * mostly non-Latin text without a BOM stays binary: nothing in its bytes says it is text.
 */
function utf16Order(data: Buffer): 'le' | 'be' | undefined {
  if (data.length < 2 || data.length % 2 !== 0) return undefined;
  const n = Math.min(data.length, SNIFF_BYTES) & ~1;
  let le = 0;
  let be = 0;
  for (let i = 0; i < n; i += 2) {
    const a = data[i]!;
    const b = data[i + 1]!;
    if (a === 0 && b === 0) return undefined;
    if (b === 0 && isTextByte(a)) le++;
    else if (a === 0 && isTextByte(b)) be++;
  }
  const units = n / 2;
  if (le >= units * MIN_ASCII_SHARE) return 'le';
  if (be >= units * MIN_ASCII_SHARE) return 'be';
  return undefined;
}

/** Printable ASCII, tab, LF, CR, form feed; also Latin-1 letters (a UTF-16 unit 0x00A0-0x00FF). */
function isTextByte(c: number): boolean {
  return (c >= 0x20 && c !== 0x7f && (c < 0x80 || c >= 0xa0)) || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;
}

function decodeUtf16(data: Buffer): string {
  const bom = data[0] === 0xff && data[1] === 0xfe ? 'le' : data[0] === 0xfe && data[1] === 0xff ? 'be' : undefined;
  const order = bom ?? utf16Order(data);
  const body = bom ? data.subarray(2) : data;
  if (order === 'le') return body.toString('utf16le');
  const le = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
  return le.swap16().toString('utf16le');
}
