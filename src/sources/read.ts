import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { errorCode } from './walk.js';

export type ReadResult = { text: string } | { skipped: string };

/**
 * Reads a file as text, refusing binaries and files over `maxBytes` (reported, not thrown).
 * UTF-8 by default; a byte order mark selects UTF-8, UTF-16LE or UTF-16BE (Windows editors save
 * YAML as UTF-16 with a BOM, and GitHub and GitLab run such files, so they must be audited).
 */
export function readTextFile(abs: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (e) {
    return { skipped: `cannot read file: ${errorCode(e)}` };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { skipped: `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit; skipped` };
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    const decoded = decodeWithBom(buf.subarray(0, off));
    return 'text' in decoded ? decoded : { skipped: `${decoded.error}; skipped` };
  } catch (e) {
    return { skipped: `cannot read file: ${errorCode(e)}` };
  } finally {
    closeSync(fd);
  }
}

/**
 * Text of a file: the BOM picks the encoding and is dropped (so line 1 columns are right);
 * without one, UTF-8 unless a NUL byte says binary. UTF-16 text must decode cleanly and hold no
 * NUL character, else it is binary data that merely starts like a BOM.
 */
export function decodeWithBom(data: Buffer): { text: string } | { error: string } {
  const binary = { error: 'binary file' };
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    const rest = data.subarray(3);
    return looksBinary(rest) ? binary : { text: rest.toString('utf8') };
  }
  const le = data[0] === 0xff && data[1] === 0xfe;
  const be = data[0] === 0xfe && data[1] === 0xff;
  if (le || be) {
    let text: string;
    try {
      text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(data.subarray(2));
    } catch {
      return { error: `not valid ${le ? 'UTF-16LE' : 'UTF-16BE'} although it starts with that byte order mark` };
    }
    return text.includes('\u0000') ? binary : { text };
  }
  return looksBinary(data) ? binary : { text: data.toString('utf8') };
}

/** A NUL byte in the first 8 KiB is the same heuristic git uses. */
export function looksBinary(data: Uint8Array): boolean {
  const n = Math.min(data.length, 8192);
  for (let i = 0; i < n; i++) if (data[i] === 0) return true;
  return false;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}
