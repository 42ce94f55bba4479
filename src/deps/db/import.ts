import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import yauzl from 'yauzl';
import { OsvFormatError, readOsv, type Advisory } from './osv.js';
import type { AdvisoryStore } from './store.js';

/** OSV records are a few KB; a "record" over this is not one (and would be a memory bomb). */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;
const BATCH = 2000;

export interface ImportResult {
  source: string;
  records: number;
  written: number;
  unchanged: number;
  /** Records that were not valid OSV, with where they came from (first few). */
  rejected: Array<{ entry: string; reason: string }>;
  rejectedCount: number;
  ecosystems: Record<string, number>;
}

export class ImportError extends Error {}

/**
 * Imports OSV data from an export zip (`<ecosystem>/all.zip` from the OSV bucket, read as a
 * stream: the npm one is hundreds of MB), a folder of OSV JSON files (searched recursively,
 * links not followed) or a single JSON file.
 */
export async function importOsv(store: AdvisoryStore, path: string, progress?: (records: number) => void): Promise<ImportResult> {
  const abs = resolve(path);
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    throw new ImportError(`${path}: no such file or directory`);
  }
  const result: ImportResult = { source: basename(abs), records: 0, written: 0, unchanged: 0, rejected: [], rejectedCount: 0, ecosystems: {} };
  let batch: Advisory[] = [];
  let newest: string | undefined;
  const flush = (): void => {
    if (batch.length === 0) return;
    const r = store.upsert(batch, result.source);
    result.written += r.written;
    result.unchanged += r.unchanged;
    batch = [];
    progress?.(result.records);
  };
  const accept = (entry: string, text: string): void => {
    let advisory: Advisory;
    try {
      advisory = readOsv(JSON.parse(text));
    } catch (e) {
      result.rejectedCount++;
      if (result.rejected.length < 5) result.rejected.push({ entry, reason: e instanceof OsvFormatError || e instanceof SyntaxError ? e.message : String(e) });
      return;
    }
    result.records++;
    if (!newest || advisory.modified > newest) newest = advisory.modified;
    for (const eco of new Set(advisory.affected.map((a) => a.ecosystem))) result.ecosystems[eco] = (result.ecosystems[eco] ?? 0) + 1;
    batch.push(advisory);
    if (batch.length >= BATCH) flush();
  };

  if (st.isDirectory()) {
    for (const file of jsonFiles(abs)) {
      const size = lstatSync(file).size;
      if (size > MAX_RECORD_BYTES) accept(file, '');
      else accept(file.slice(abs.length + 1), readFileSync(file, 'utf8'));
    }
  } else if (st.isFile() && /\.zip$/i.test(abs)) {
    await readZip(abs, accept, flush);
  } else if (st.isFile() && /\.json$/i.test(abs)) {
    accept(basename(abs), readFileSync(abs, 'utf8'));
  } else {
    throw new ImportError(`${path}: expected an OSV export .zip, a .json file or a folder of OSV JSON files`);
  }
  flush();
  store.recordSource({ name: result.source, path: abs, importedAt: new Date().toISOString(), records: result.records, newestModified: newest, ecosystems: result.ecosystems });
  return result;
}

function* jsonFiles(dir: string, depth = 0): Generator<string> {
  if (depth > 32) return;
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* jsonFiles(p, depth + 1);
    else if (e.isFile() && e.name.endsWith('.json')) yield p;
  }
}

/** Streams a zip entry by entry, never holding more than one record in memory. */
function readZip(path: string, accept: (entry: string, text: string) => void, flush: () => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) {
        reject(new ImportError(`${path}: not a readable zip file (${err?.message ?? 'unknown error'})`));
        return;
      }
      zip.on('error', (e: Error) => reject(new ImportError(`${path}: ${e.message}`)));
      zip.on('end', () => {
        flush();
        resolvePromise();
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) {
          zip.readEntry();
          return;
        }
        if (entry.uncompressedSize > MAX_RECORD_BYTES) {
          accept(entry.fileName, '');
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) {
            reject(new ImportError(`${path}: cannot read ${entry.fileName}: ${e?.message ?? 'unknown error'}`));
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) => reject(new ImportError(`${path}: ${entry.fileName}: ${se.message}`)));
          stream.on('end', () => {
            accept(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
