/**
 * The port the monitoring engine needs from storage. src/store implements it over SQLite and
 * PostgreSQL; detectors and `ir` queries see only this, so they stay pure and testable.
 *
 * Contract that matters for several processes on one database (the server, issue 13):
 * - insertEvents is idempotent on `dedupKey` (a redelivered webhook or a re-exported audit entry
 *   returns the existing id with `inserted: false`), and durable when the promise resolves;
 * - recordAlert is idempotent on `dedupKey` and serialised per key (and per correlation key), so
 *   two processes detecting the same problem produce one alert with both pieces of evidence;
 * - history queries are by event time, never by arrival order.
 */
import type { AlertDraft, NewEvent, StoredAlert, StoredEvent } from './model.js';
import type { Severity } from '../core/finding.js';

export interface InsertResult {
  id: number;
  inserted: boolean;
}

/** A position in event-time order: ties on time are broken by id. */
export interface TimePoint {
  time: number;
  id: number;
}

export interface KeyQuery {
  /** Strictly before this point in event-time order. */
  before?: TimePoint;
  /** Strictly after this point. */
  after?: TimePoint;
  /** Inclusive time bounds (epoch ms). */
  from?: number;
  to?: number;
  order?: 'asc' | 'desc';
  limit?: number;
}

export interface EventQuery {
  from?: number;
  to?: number;
  repository?: string;
  /** Matches the repository or, for org-level events, the org. */
  limit?: number;
  /** Only these event kinds (`workflow_run`, `protected_branch.destroy`...). */
  kinds?: string[];
  /** Event-time order; `desc` with `limit` gives the latest ones (default `asc`). */
  order?: 'asc' | 'desc';
}

export interface AlertQuery {
  from?: number;
  to?: number;
  repository?: string;
  minSeverity?: Severity;
  alert?: string;
  status?: StoredAlert['status'];
  limit?: number;
  /** Event-time order; `desc` with `limit` gives the latest ones (default `asc`). */
  order?: 'asc' | 'desc';
  /**
   * Keyset paging: only alerts that come after this one in `order` (by event time, then id),
   * so a page is stable while new alerts arrive, and costs an index seek however deep it is.
   */
  after?: { time: number; id: number };
}

export interface RecordedAlert {
  id: number;
  /** False when an existing alert absorbed the draft (same key, or a correlated twin). */
  created: boolean;
}

export interface MonitorStore {
  /** Inserts events in one transaction; returns ids in input order. */
  insertEvents(events: NewEvent[], opts?: { queue?: { claimedUntil: number } }): Promise<InsertResult[]>;
  getEvents(ids: number[]): Promise<StoredEvent[]>;
  /** Raw bytes as received (for re-parsing and the server's raw viewer). */
  rawOf(id: number): Promise<Buffer | undefined>;
  /** Events carrying a history key, in event-time order. */
  findByKey(key: string, q?: KeyQuery): Promise<StoredEvent[]>;
  /** Earliest and latest event time stored for an org (or repository), for baselines. */
  timeSpan(scope: string): Promise<{ first: number; last: number } | undefined>;
  listEvents(q: EventQuery): Promise<StoredEvent[]>;
  recordAlert(draft: AlertDraft): Promise<RecordedAlert>;
  getAlerts(ids: number[]): Promise<StoredAlert[]>;
  /** Alerts that cite any of these events. */
  alertsForEvents(eventIds: number[]): Promise<StoredAlert[]>;
  listAlerts(q: AlertQuery): Promise<StoredAlert[]>;
  close(): Promise<void>;
}
