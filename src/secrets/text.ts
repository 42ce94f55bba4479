/**
 * Bytes of a file or blob to the text the scanner reads. Binary data (a NUL byte in the first
 * 8 KiB, as git decides) is not text; UTF-16 with a byte-order mark is (Windows tools write
 * `.env` and config files that way, and skipping them as binary would hide what they hold).
 */
import { isAscii } from 'node:buffer';

export function decodeText(data: Buffer): string | undefined {
  const kind = textKind(data);
  if (kind === 'binary') return undefined;
  if (kind === 'utf16') return decodeUtf16(data);
  // Most source is pure ASCII: latin1 decoding gives the same string at a fraction of UTF-8's cost.
  return data.toString(kind);
}

/** How to read `data`: `latin1` for pure ASCII, `utf8`, `utf16` (byte-order mark), or `binary`. */
export function textKind(data: Buffer): 'latin1' | 'utf8' | 'utf16' | 'binary' {
  if (data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))) return 'utf16';
  // git's test: a NUL byte in the first 8 KiB (native search, not a loop over bytes).
  if (data.subarray(0, 8192).indexOf(0) !== -1) return 'binary';
  return isAscii(data) ? 'latin1' : 'utf8';
}

function decodeUtf16(data: Buffer): string {
  if (data[0] === 0xff) return data.subarray(2).toString('utf16le');
  const le = Buffer.from(data.subarray(2, data.length - (data.length % 2)));
  return le.swap16().toString('utf16le');
}
