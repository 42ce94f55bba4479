/**
 * Tables of `pipewarden serve` (issue 13), added to the monitoring store's migrations:
 * - event_queue: events committed but not yet through the detectors. The row is written in the
 *   same transaction as the event, so an answered delivery is never lost; a server that dies
 *   leaves its rows behind and the next one (or another replica, once the lease ran out) resumes.
 * - notifications: one row per (alert, destination, severity): de-duplication across replicas and
 *   restarts, retry state with backoff.
 * - api_tokens (SHA-256 of the token only), audit_trail (every write through the API), alert_notes.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectName } from './migrations.js';

export function migration0002Serve(dialect: DialectName): Migration {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const id = (c: import('kysely').ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('event_queue')
        .addColumn('event_id', 'bigint', (c) => c.primaryKey().references('events.id'))
        .addColumn('enqueued_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('claimed_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('event_queue_claim').on('event_queue').columns(['claimed_until', 'event_id']).execute();

      await db.schema
        .createTable('notifications')
        .addColumn('id', idType, id)
        .addColumn('alert_id', 'bigint', (c) => c.notNull().references('alerts.id'))
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('severity_rank', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_at', 'bigint', (c) => c.notNull())
        .addColumn('claimed_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        .addUniqueConstraint('notifications_once', ['alert_id', 'destination', 'severity_rank'])
        .execute();
      await db.schema.createIndex('notifications_due').on('notifications').columns(['status', 'next_at']).execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', idType, id)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('last_used_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();

      await db.schema
        .createTable('audit_trail')
        .addColumn('id', idType, id)
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('details', 'text')
        .execute();
      await db.schema.createIndex('audit_trail_at').on('audit_trail').columns(['at']).execute();

      await db.schema
        .createTable('alert_notes')
        .addColumn('id', idType, id)
        .addColumn('alert_id', 'bigint', (c) => c.notNull().references('alerts.id'))
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_notes_alert').on('alert_notes').columns(['alert_id', 'at']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['alert_notes', 'audit_trail', 'api_tokens', 'notifications', 'event_queue']) await db.schema.dropTable(t).execute();
    },
  };
}
