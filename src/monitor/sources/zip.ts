/**
 * Text entries of a zip (GitHub run-log archives), with yauzl. A truncated or corrupt archive has
 * no readable central directory, so yauzl refuses it; then the local file headers are scanned
 * instead and every entry that is there is recovered (the last one possibly cut), with a clear
 * diagnostic: an incident responder wants what the download got, not an error.
 */
import { inflateRawSync, constants as zlibConstants } from 'node:zlib';
import yauzl from 'yauzl';
import type { Diagnostic } from '../../core/finding.js';

export interface ZipTextEntry {
  name: string;
  data: Buffer;
  /** Cut short: the archive ended inside this entry, or it exceeded the size cap. */
  truncated: boolean;
}

export interface ZipLimits {
  /** Uncompressed bytes per entry kept (the rest is dropped and the entry marked truncated). */
  maxEntryBytes: number;
  /** Uncompressed bytes for the whole archive (zip bombs). */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 64 << 20, maxTotalBytes: 512 << 20, maxEntries: 20_000 };

export async function readZip(buf: Buffer, file: string, report: (d: Diagnostic) => void, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipTextEntry[]> {
  try {
    return await readWithYauzl(buf, file, report, limits);
  } catch (e) {
    const entries = salvage(buf, limits);
    const complete = entries.filter((x) => !x.truncated).length;
    report({
      level: 'error',
      file,
      message: `truncated or corrupt zip (${conciseZipError(e)}); recovered ${complete} complete entr${complete === 1 ? 'y' : 'ies'}${entries.length > complete ? ` and ${entries.length - complete} partial` : ''} from the local headers`,
    });
    return entries;
  }
}

function conciseZipError(e: unknown): string {
  return ((e as Error).message || String(e)).replace(/\s+/g, ' ').slice(0, 120);
}

function readWithYauzl(buf: Buffer, file: string, report: (d: Diagnostic) => void, limits: ZipLimits): Promise<ZipTextEntry[]> {
  return new Promise((resolveAll, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot open zip'));
      const out: ZipTextEntry[] = [];
      let total = 0;
      let count = 0;
      zip.on('error', reject);
      zip.on('end', () => resolveAll(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        count++;
        if (count > limits.maxEntries) {
          report({ level: 'warning', file, message: `more than ${limits.maxEntries} entries; the rest are not read` });
          zip.close();
          return resolveAll(out);
        }
        if (/\/$/.test(entry.fileName)) return zip.readEntry();
        if (total >= limits.maxTotalBytes) {
          report({ level: 'warning', file, message: `over ${limits.maxTotalBytes >> 20} MiB uncompressed; ${entry.fileName} and later entries not read` });
          zip.close();
          return resolveAll(out);
        }
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) {
            report({ level: 'error', file: `${file}!${entry.fileName}`, message: `cannot read entry: ${conciseZipError(e2)}` });
            return zip.readEntry();
          }
          const parts: Buffer[] = [];
          let size = 0;
          let truncated = false;
          stream.on('data', (chunk: Buffer) => {
            if (size + chunk.length > limits.maxEntryBytes) {
              truncated = true;
              parts.push(chunk.subarray(0, Math.max(0, limits.maxEntryBytes - size)));
              size = limits.maxEntryBytes;
              stream.destroy();
              return;
            }
            parts.push(chunk);
            size += chunk.length;
          });
          const done = (): void => {
            total += size;
            out.push({ name: entry.fileName, data: Buffer.concat(parts), truncated });
            zip.readEntry();
          };
          stream.on('close', () => {
            if (truncated) done();
          });
          stream.on('end', done);
          stream.on('error', (e3: Error) => {
            if (truncated) return;
            report({ level: 'error', file: `${file}!${entry.fileName}`, message: `corrupt entry (${conciseZipError(e3)}); kept what was read` });
            out.push({ name: entry.fileName, data: Buffer.concat(parts), truncated: true });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const LOCAL_HEADER = 0x04034b50;

/** Walks local file headers from the start; stops at the first thing that is not one. */
export function salvage(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipTextEntry[] {
  const out: ZipTextEntry[] = [];
  let off = 0;
  let total = 0;
  while (off + 30 <= buf.length && buf.readUInt32LE(off) === LOCAL_HEADER && out.length < limits.maxEntries && total < limits.maxTotalBytes) {
    const flags = buf.readUInt16LE(off + 6);
    const method = buf.readUInt16LE(off + 8);
    let compressed = buf.readUInt32LE(off + 18);
    const nameLen = buf.readUInt16LE(off + 26);
    const extraLen = buf.readUInt16LE(off + 28);
    const nameStart = off + 30;
    if (nameStart + nameLen > buf.length) break;
    const name = buf.toString('utf8', nameStart, nameStart + nameLen);
    const dataStart = nameStart + nameLen + extraLen;
    if (dataStart > buf.length) break;
    const descriptor = (flags & 0x08) !== 0;
    let end: number;
    if (descriptor || compressed === 0) {
      // Sizes come after the data: find the next header (or descriptor) signature.
      const next = findNextHeader(buf, dataStart);
      end = next === -1 ? buf.length : next;
      compressed = end - dataStart;
    } else {
      end = Math.min(buf.length, dataStart + compressed);
    }
    const cut = dataStart + compressed > buf.length;
    let data: Buffer;
    let truncated = cut;
    if (method === 0) data = buf.subarray(dataStart, end);
    else if (method === 8) {
      try {
        data = inflateRawSync(buf.subarray(dataStart, end), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: limits.maxEntryBytes });
      } catch {
        data = Buffer.alloc(0);
        truncated = true;
      }
    } else break; // an unknown compression method: nothing more can be trusted
    if (data.length >= limits.maxEntryBytes) truncated = true;
    if (!name.endsWith('/')) {
      out.push({ name, data, truncated });
      total += data.length;
    }
    if (cut || end >= buf.length) break;
    off = descriptor ? skipDescriptor(buf, end) : end;
  }
  return out;
}

function findNextHeader(buf: Buffer, from: number): number {
  for (let i = buf.indexOf(0x50, from); i !== -1 && i + 4 <= buf.length; i = buf.indexOf(0x50, i + 1)) {
    const sig = buf.readUInt32LE(i);
    if (sig === LOCAL_HEADER || sig === 0x08074b50 || sig === 0x02014b50) return i;
  }
  return -1;
}

function skipDescriptor(buf: Buffer, at: number): number {
  if (at + 4 <= buf.length && buf.readUInt32LE(at) === 0x08074b50) return at + 16;
  return at + 12 <= buf.length && buf.readUInt32LE(at + 12) === LOCAL_HEADER ? at + 12 : at;
}
