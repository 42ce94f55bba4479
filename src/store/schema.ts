/**
 * Tables of the monitoring store, as kysely sees them. One schema for SQLite and PostgreSQL;
 * times are epoch milliseconds in BIGINT columns (PostgreSQL returns those as strings, so every
 * read goes through `num()`).
 */
import type { Generated } from 'kysely';

export interface EventsTable {
  id: Generated<number>;
  /** Idempotency key (delivery GUID, audit `_document_id`, log identity); unique. */
  dedup_key: string;
  source: string;
  kind: string;
  action: string | null;
  occurred_at: number;
  received_at: number | null;
  ingested_at: number;
  org: string | null;
  repository: string | null;
  actor: string | null;
  evidence_id: string;
  summary: string;
  /** JSON of EventFacts. */
  facts: string;
  raw: Buffer;
  sha256: string;
}

/** History lookup keys (see src/monitor/keys.ts); one row per (key, event). */
export interface EventKeysTable {
  key: string;
  event_id: number;
  occurred_at: number;
}

export interface AlertsTable {
  id: Generated<number>;
  dedup_key: string;
  alert: string;
  severity: string;
  /** Numeric severity (critical 5 ... info 1) for filtering and escalation. */
  severity_rank: number;
  confidence: string;
  title: string;
  repository: string | null;
  actor: string | null;
  occurred_at: number;
  created_at: number;
  updated_at: number;
  summary: string;
  /** JSON array of strings. */
  response: string;
  /** JSON object or null. */
  details: string | null;
  correlation_key: string | null;
  status: string;
}

export interface AlertEventsTable {
  alert_id: number;
  event_id: number;
  /** Line in a log (0 when not applicable). */
  line: number;
}

/** `pipewarden serve` (see migrations-serve.ts). */
export interface EventQueueTable {
  event_id: number;
  enqueued_at: number;
  attempts: number;
  claimed_until: number;
}

export interface NotificationsTable {
  id: Generated<number>;
  alert_id: number;
  destination: string;
  severity_rank: number;
  status: string;
  attempts: number;
  next_at: number;
  claimed_until: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  role: string;
  token_hash: string;
  created_at: number;
  created_by: string | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditTrailTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
}

export interface AlertNotesTable {
  id: Generated<number>;
  alert_id: number;
  author: string;
  at: number;
  text: string;
}

export interface Database {
  events: EventsTable;
  event_keys: EventKeysTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  event_queue: EventQueueTable;
  notifications: NotificationsTable;
  api_tokens: ApiTokensTable;
  audit_trail: AuditTrailTable;
  alert_notes: AlertNotesTable;
}

/** BIGINT and BIGSERIAL come back from PostgreSQL as strings. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}
