/**
 * Bytes of a file or blob to the text the scanner reads. Binary data (a NUL byte in the first
 * 8 KiB, as git decides) is not text; UTF-16 with a byte-order mark is (Windows tools write
 * `.env` and config files that way, and skipping them as binary would hide what they hold).
 */
import { isAscii } from 'node:buffer';
import { looksBinary } from '../sources/read.js';

export function decodeText(data: Buffer): string | undefined {
  if (data.length >= 2) {
    if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le');
    if (data[0] === 0xfe && data[1] === 0xff) {
      const le = Buffer.from(data.subarray(2, data.length - (data.length % 2)));
      return le.swap16().toString('utf16le');
    }
  }
  if (looksBinary(data)) return undefined;
  // Most source is pure ASCII: latin1 decoding gives the same string at a fraction of UTF-8's cost.
  return isAscii(data) ? data.toString('latin1') : data.toString('utf8');
}
