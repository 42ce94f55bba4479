import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_CONFIG } from '../../config/types.js';
import { collectDepsFiles } from '../collect.js';
import { importOsv } from '../db/import.js';
import { AdvisoryStore } from '../db/store.js';
import { runDepsScan } from '../run.js';

let dataDir: string | undefined;

/** A data folder with the test OSV records (test/deps/osv) imported, made once per test file. */
async function testData(): Promise<string> {
  if (dataDir) return dataDir;
  const dir = mkdtempSync(join(tmpdir(), 'pw-deps-check-'));
  const store = AdvisoryStore.openForWrite(dir);
  await importOsv(store, new URL('../../../test/deps/osv', import.meta.url).pathname);
  store.close();
  dataDir = dir;
  return dir;
}

/**
 * Runs the whole deps scan on a repository made of `files` and returns one rule's findings as
 * `path:line severity message` (paths relative to the repository root).
 */
export async function findingsOf(ruleId: string, files: Record<string, string>, opts: { today?: string } = {}): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'pw-deps-repo-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  const outcome = await runDepsScan(collectDepsFiles(root, root), DEFAULT_CONFIG, { dataDir: await testData(), today: opts.today ?? '2026-12-01' });
  return outcome.findings.filter((f) => f.ruleId === ruleId).sort((a, b) => (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : a.location.startLine - b.location.startLine)).map((f) => `${f.location.file}:${f.location.startLine} ${f.severity} ${f.message}`);
}

export const LODASH_LOCK = `{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "app" },
    "node_modules/lodash": { "version": "4.17.20" }
  }
}
`;
