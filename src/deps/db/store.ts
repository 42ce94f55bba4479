import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Severity } from '../../core/finding.js';
import type { Ecosystem } from '../model.js';
import type { OsvRange } from '../versions/ranges.js';
import type { Advisory } from './osv.js';

/** Bump when the tables change; an older database is refused with advice to re-import. */
export const SCHEMA_VERSION = 1;
export const DB_FILE = 'advisories.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  name TEXT PRIMARY KEY, path TEXT NOT NULL, imported_at TEXT NOT NULL,
  records INTEGER NOT NULL, newest_modified TEXT, ecosystems TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS advisories (
  id TEXT PRIMARY KEY, modified TEXT NOT NULL, published TEXT, withdrawn TEXT, summary TEXT NOT NULL,
  severity TEXT, score REAL, aliases TEXT NOT NULL, refs TEXT NOT NULL, malicious INTEGER NOT NULL, source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS affected (
  advisory_id TEXT NOT NULL, ecosystem TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL,
  ranges TEXT NOT NULL, versions TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS affected_by_package ON affected (ecosystem, key);
CREATE INDEX IF NOT EXISTS affected_by_advisory ON affected (advisory_id);
`;

/** One advisory's entry for one package, as a scan needs it. */
export interface StoredMatch {
  id: string;
  modified: string;
  withdrawn?: string;
  summary: string;
  severity?: Severity;
  score?: number;
  aliases: string[];
  references: string[];
  malicious: boolean;
  name: string;
  ranges: OsvRange[];
  versions: string[];
}

export interface SourceInfo {
  name: string;
  path: string;
  importedAt: string;
  records: number;
  newestModified?: string;
  ecosystems: Record<string, number>;
}

export class DatabaseMissingError extends Error {}

export function databasePath(dataDir: string): string {
  return join(dataDir, DB_FILE);
}

/**
 * The local advisory database (SQLite, in the data folder). Written by `deps db import`, read by
 * scans; WAL mode lets a scan read while an import writes.
 */
export class AdvisoryStore {
  private constructor(private readonly db: Database.Database) {}

  static openForWrite(dataDir: string): AdvisoryStore {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const db = new Database(databasePath(dataDir));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    const v = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
    if (v && Number(v.value) !== SCHEMA_VERSION) {
      db.close();
      throw new DatabaseMissingError(`the advisory database at ${databasePath(dataDir)} has schema ${v.value}; this pipewarden needs ${SCHEMA_VERSION}: delete it and import again`);
    }
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
    return new AdvisoryStore(db);
  }

  /** Read-only; throws DatabaseMissingError with advice when nothing was imported yet. */
  static openForRead(dataDir: string): AdvisoryStore {
    const path = databasePath(dataDir);
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } catch {
      throw new DatabaseMissingError(`no advisory database at ${path}; import OSV data with \`pipewarden deps db import PATH\` (see docs/deps.md), or pass --online`);
    }
    const v = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
    if (!v || Number(v.value) !== SCHEMA_VERSION) {
      db.close();
      throw new DatabaseMissingError(`the advisory database at ${path} was written by another pipewarden version; import the OSV data again`);
    }
    return new AdvisoryStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** Inserts or replaces advisories (a record replaces a stored one unless the stored one is newer). */
  upsert(advisories: Advisory[], source: string): { written: number; unchanged: number } {
    const existing = this.db.prepare('SELECT modified FROM advisories WHERE id = ?');
    const delAffected = this.db.prepare('DELETE FROM affected WHERE advisory_id = ?');
    const putAdvisory = this.db.prepare(
      'INSERT OR REPLACE INTO advisories (id, modified, published, withdrawn, summary, severity, score, aliases, refs, malicious, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const putAffected = this.db.prepare('INSERT INTO affected (advisory_id, ecosystem, key, name, ranges, versions) VALUES (?, ?, ?, ?, ?, ?)');
    let written = 0;
    let unchanged = 0;
    this.db.transaction(() => {
      for (const a of advisories) {
        const old = existing.get(a.id) as { modified: string } | undefined;
        if (old && old.modified >= a.modified) {
          unchanged++;
          continue;
        }
        delAffected.run(a.id);
        putAdvisory.run(a.id, a.modified, a.published ?? null, a.withdrawn ?? null, a.summary, a.severity ?? null, a.score ?? null, JSON.stringify(a.aliases), JSON.stringify(a.references), a.malicious ? 1 : 0, source);
        for (const f of a.affected) putAffected.run(a.id, f.ecosystem, f.key, f.name, JSON.stringify(f.ranges), JSON.stringify(f.versions));
        written++;
      }
    })();
    return { written, unchanged };
  }

  recordSource(s: SourceInfo): void {
    this.db
      .prepare('INSERT OR REPLACE INTO sources (name, path, imported_at, records, newest_modified, ecosystems) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.name, s.path, s.importedAt, s.records, s.newestModified ?? null, JSON.stringify(s.ecosystems));
  }

  private lookupStmt?: Database.Statement;

  /** Every package key with at least one advisory in an ecosystem (one scan of the index). */
  keys(ecosystem: Ecosystem): Set<string> {
    const rows = this.db.prepare('SELECT DISTINCT key FROM affected WHERE ecosystem = ?').pluck().all(ecosystem) as string[];
    return new Set(rows);
  }

  /** Every advisory entry for a package (by normalized key), withdrawn ones included (the caller decides). */
  lookup(ecosystem: Ecosystem, key: string): StoredMatch[] {
    this.lookupStmt ??= this.db.prepare(
      `SELECT a.id, a.modified, a.withdrawn, a.summary, a.severity, a.score, a.aliases, a.refs, a.malicious, f.name, f.ranges, f.versions
       FROM affected f JOIN advisories a ON a.id = f.advisory_id WHERE f.ecosystem = ? AND f.key = ? ORDER BY a.id`,
    );
    const rows = this.lookupStmt.all(ecosystem, key) as Array<Record<string, string | number | null>>;
    return rows.map((r) => ({
      id: r.id as string,
      modified: r.modified as string,
      ...(r.withdrawn !== null && { withdrawn: r.withdrawn as string }),
      summary: r.summary as string,
      ...(r.severity !== null && { severity: r.severity as Severity }),
      ...(r.score !== null && { score: r.score as number }),
      aliases: JSON.parse(r.aliases as string) as string[],
      references: JSON.parse(r.refs as string) as string[],
      malicious: r.malicious === 1,
      name: r.name as string,
      ranges: JSON.parse(r.ranges as string) as OsvRange[],
      versions: JSON.parse(r.versions as string) as string[],
    }));
  }

  info(): { sources: SourceInfo[]; advisories: number; withdrawn: number; malicious: number; byEcosystem: Record<string, number> } {
    const sources = (this.db.prepare('SELECT * FROM sources ORDER BY name').all() as Array<Record<string, string | number | null>>).map((r) => ({
      name: r.name as string,
      path: r.path as string,
      importedAt: r.imported_at as string,
      records: r.records as number,
      ...(r.newest_modified !== null && { newestModified: r.newest_modified as string }),
      ecosystems: JSON.parse(r.ecosystems as string) as Record<string, number>,
    }));
    const count = (sql: string): number => (this.db.prepare(sql).get() as { n: number }).n;
    const byEcosystem: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT ecosystem, COUNT(DISTINCT advisory_id) AS n FROM affected GROUP BY ecosystem ORDER BY ecosystem').all() as Array<{ ecosystem: string; n: number }>) {
      byEcosystem[r.ecosystem] = r.n;
    }
    return {
      sources,
      advisories: count('SELECT COUNT(*) AS n FROM advisories'),
      withdrawn: count('SELECT COUNT(*) AS n FROM advisories WHERE withdrawn IS NOT NULL'),
      malicious: count('SELECT COUNT(*) AS n FROM advisories WHERE malicious = 1'),
      byEcosystem,
    };
  }
}
