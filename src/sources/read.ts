import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { errorCode } from './walk.js';

export type ReadResult = { text: string } | { skipped: string };

/** Reads a file as UTF-8 text, refusing binaries and files over `maxBytes` (reported, not thrown). */
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
    const data = buf.subarray(0, off);
    if (looksBinary(data)) return { skipped: 'binary file; skipped' };
    return { text: data.toString('utf8') };
  } catch (e) {
    return { skipped: `cannot read file: ${errorCode(e)}` };
  } finally {
    closeSync(fd);
  }
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
