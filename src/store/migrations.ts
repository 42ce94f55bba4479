/**
 * The one set of migrations for SQLite and PostgreSQL. Only the identity column and the binary
 * type differ by dialect; everything else is portable kysely schema building. Migrations are
 * append-only: never edit a released one, add the next.
 */
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { migration0002Serve } from './migrations-serve.js';

export type DialectName = 'sqlite' | 'postgres';

function identity(dialect: DialectName): { type: 'integer' | 'bigserial'; auto: boolean } {
  return dialect === 'postgres' ? { type: 'bigserial', auto: false } : { type: 'integer', auto: true };
}

function migration0001(dialect: DialectName): Migration {
  const id = identity(dialect);
  const binary = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('events')
        .addColumn('id', id.type, (c) => (id.auto ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('action', 'text')
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint')
        .addColumn('ingested_at', 'bigint', (c) => c.notNull())
        .addColumn('org', 'text')
        .addColumn('repository', 'text')
        .addColumn('actor', 'text')
        .addColumn('evidence_id', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('facts', 'text', (c) => c.notNull())
        .addColumn('raw', binary, (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_time').on('events').columns(['occurred_at', 'id']).execute();
      await db.schema.createIndex('events_repo_time').on('events').columns(['repository', 'occurred_at']).execute();
      await db.schema.createIndex('events_org_time').on('events').columns(['org', 'occurred_at']).execute();

      await db.schema
        .createTable('event_keys')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('event_id', 'bigint', (c) => c.notNull().references('events.id'))
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('event_keys_pk', ['key', 'event_id'])
        .execute();
      await db.schema.createIndex('event_keys_time').on('event_keys').columns(['key', 'occurred_at', 'event_id']).execute();

      await db.schema
        .createTable('alerts')
        .addColumn('id', id.type, (c) => (id.auto ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
        .addColumn('alert', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('severity_rank', 'integer', (c) => c.notNull())
        .addColumn('confidence', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('repository', 'text')
        .addColumn('actor', 'text')
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('details', 'text')
        .addColumn('correlation_key', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
        .execute();
      await db.schema.createIndex('alerts_time').on('alerts').columns(['occurred_at', 'id']).execute();
      await db.schema.createIndex('alerts_correlation').on('alerts').columns(['alert', 'correlation_key', 'occurred_at']).execute();

      await db.schema
        .createTable('alert_events')
        .addColumn('alert_id', 'bigint', (c) => c.notNull().references('alerts.id'))
        .addColumn('event_id', 'bigint', (c) => c.notNull().references('events.id'))
        .addColumn('line', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('alert_events_pk', ['alert_id', 'event_id', 'line'])
        .execute();
      await db.schema.createIndex('alert_events_event').on('alert_events').columns(['event_id']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['alert_events', 'alerts', 'event_keys', 'events']) await db.schema.dropTable(t).execute();
    },
  };
}

export function migrationProvider(dialect: DialectName): MigrationProvider {
  return {
    async getMigrations() {
      return { '0001_monitor_store': migration0001(dialect), '0002_serve': migration0002Serve(dialect) };
    },
  };
}
