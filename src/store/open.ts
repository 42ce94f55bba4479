/**
 * Opens the monitoring store: SQLite in the data folder by default (WAL, one file), an
 * in-memory SQLite for throw-away runs, or PostgreSQL with a `postgres://` URL. Migrations run on
 * open; kysely's migrator takes a lock, so replicas starting together on one PostgreSQL are safe.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { migrationProvider, type DialectName } from './migrations.js';
import type { Database } from './schema.js';
import { SqlStore } from './sql-store.js';

/** The store's file in the data folder (see src/core/data-dir.ts). */
export const SQLITE_FILE = 'monitor.sqlite';

/** A problem with the store location or server (bad URL, refused connection): exit code 2. */
export class StoreError extends Error {}

export interface OpenOptions {
  /** `postgres://...`, `sqlite:PATH`, a path to a `.sqlite`/`.db` file, or `memory`. */
  db?: string;
  /** Data folder holding the default SQLite file. */
  dataDir: string;
}

export interface StoreTarget {
  dialect: DialectName;
  /** File path, `:memory:`, or the PostgreSQL URL with the password masked (for messages). */
  location: string;
}

export function describeTarget(opts: OpenOptions): StoreTarget & { url?: string } {
  const db = opts.db;
  if (db === undefined || db === '') return { dialect: 'sqlite', location: join(opts.dataDir, SQLITE_FILE) };
  if (db === 'memory' || db === ':memory:' || db === 'sqlite::memory:') return { dialect: 'sqlite', location: ':memory:' };
  if (/^postgres(?:ql)?:\/\//i.test(db)) return { dialect: 'postgres', location: maskUrl(db), url: db };
  if (/^sqlite:/i.test(db)) return { dialect: 'sqlite', location: resolve(db.slice('sqlite:'.length)) };
  if (/\.(?:sqlite3?|db)$/i.test(db)) return { dialect: 'sqlite', location: resolve(db) };
  throw new StoreError(`--db: "${maskUrl(db)}" is not a postgres:// URL, a sqlite:PATH, a .sqlite file or "memory"`);
}

/** Never print a database password. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1****@');
}

/**
 * kysely prepares every statement anew; the detectors run the same few query shapes thousands of
 * times in a replay, so the prepared statements are kept (keyed by SQL text, bounded).
 */
function withStatementCache<T extends { prepare(sql: string): unknown; close(): unknown }>(database: T): T {
  const cache = new Map<string, unknown>();
  const prepare = database.prepare.bind(database);
  const wrapped = Object.create(database) as T;
  wrapped.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      stmt = prepare(sql);
      if (cache.size >= 500) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
    }
    return stmt;
  }) as T['prepare'];
  wrapped.close = (() => database.close()) as T['close'];
  return wrapped;
}

export async function openStore(opts: OpenOptions): Promise<SqlStore> {
  const target = describeTarget(opts);
  let db: Kysely<Database>;
  if (target.dialect === 'postgres') {
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: target.url, max: 4, connectionTimeoutMillis: 10_000 });
    // An idle connection the server drops (restart, failover) must not crash the process; the
    // next query gets a fresh connection or a clear error.
    pool.on('error', () => undefined);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    const Sqlite = (await import('better-sqlite3')).default;
    if (target.location !== ':memory:') {
      try {
        mkdirSync(dirname(target.location), { recursive: true });
      } catch (e) {
        throw new StoreError(`cannot create the folder for ${target.location}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    let database;
    try {
      database = new Sqlite(target.location, { timeout: 10_000 });
      // WAL: readers (ir queries, a server's API) never block the writer and vice versa.
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma('foreign_keys = ON');
    } catch (e) {
      throw new StoreError(`cannot open ${target.location}: ${(e as Error).message}`);
    }
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  }
  try {
    const { error, results } = await new Migrator({ db, provider: migrationProvider(target.dialect) }).migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) {
      throw new StoreError(`cannot prepare the store at ${target.location}: ${error instanceof Error ? error.message : `migration ${failed?.migrationName} failed`}`);
    }
  } catch (e) {
    await db.destroy().catch(() => undefined);
    if (e instanceof StoreError) throw e;
    throw new StoreError(`cannot open the store at ${target.location}: ${maskUrl((e as Error).message)}`);
  }
  return new SqlStore(db, target.dialect);
}
