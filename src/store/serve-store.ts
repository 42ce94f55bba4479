/**
 * What `pipewarden serve` keeps besides events and alerts: the detection queue, notification
 * state, API tokens (hashed), the audit trail of writes, and notes on alerts. Same kysely layer,
 * same two dialects as the monitoring store; claims use leases so several replicas on one
 * PostgreSQL never process one row at the same time (SQLite serialises writers by itself).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectName } from './migrations.js';
import { num, type Database } from './schema.js';

export type Role = 'viewer' | 'responder' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'responder', 'admin'];

export interface ApiToken {
  id: number;
  name: string;
  role: Role;
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface DueNotification {
  id: number;
  alertId: number;
  destination: string;
  attempts: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
}

export interface AlertNote {
  id: number;
  alertId: number;
  author: string;
  at: number;
  text: string;
}

export class ServeStore {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    private readonly now: () => number = Date.now,
  ) {}

  private q(text: string): string {
    if (this.dialect !== 'postgres') return text;
    let i = 0;
    return text.replace(/\?/g, () => `$${++i}`);
  }

  private async run<R>(text: string, params: unknown[]): Promise<R[]> {
    return (await this.db.executeQuery<R>(CompiledQuery.raw(this.q(text), params))).rows;
  }

  // ---- detection queue -------------------------------------------------------------------

  /**
   * Claims up to `limit` queued events whose lease ran out (never claimed by a live process, or
   * left by one that died) and returns their ids, oldest first.
   */
  async claimStale(limit: number, leaseMs: number): Promise<number[]> {
    const now = this.now();
    const lock = this.dialect === 'postgres' ? ' for update skip locked' : '';
    const rows = await this.run<{ event_id: unknown }>(
      `update event_queue set claimed_until = ?, attempts = attempts + 1 where event_id in (select event_id from event_queue where claimed_until < ? order by event_id limit ?${lock}) returning event_id`,
      [now + leaseMs, now, limit],
    );
    return rows.map((r) => num(r.event_id)).sort((a, b) => a - b);
  }

  /**
   * Claims one queued event (a queue worker's job); false when it is done or held by another.
   * A row never attempted is free for a job even while its intake hold runs (the hold only keeps
   * the store sweep away while the job is on its way).
   */
  async claim(eventId: number, leaseMs: number): Promise<boolean> {
    const now = this.now();
    const rows = await this.run<{ event_id: unknown }>('update event_queue set claimed_until = ?, attempts = attempts + 1 where event_id = ? and (claimed_until < ? or attempts = 0) returning event_id', [now + leaseMs, eventId, now]);
    return rows.length > 0;
  }

  /** Detection finished (or gave up): the events leave the queue. */
  async dequeue(eventIds: number[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.db.deleteFrom('event_queue').where('event_id', 'in', eventIds).execute();
  }

  /** A single-process server owns every row at start: resume them now, not after the lease. */
  async releaseAll(): Promise<void> {
    await this.db.updateTable('event_queue').set({ claimed_until: 0 }).execute();
  }

  async queueDepth(): Promise<number> {
    const row = await this.db.selectFrom('event_queue').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return num(row?.n ?? 0);
  }

  async attemptsOf(eventId: number): Promise<number> {
    const row = await this.db.selectFrom('event_queue').select('attempts').where('event_id', '=', eventId).executeTakeFirst();
    return row ? num(row.attempts) : 0;
  }

  // ---- notifications ---------------------------------------------------------------------

  /** Plans one notification; false when this alert already went (or is going) there at this severity. */
  async planNotification(alertId: number, destination: string, severityRank: number): Promise<number | undefined> {
    const now = this.now();
    const rows = await this.run<{ id: unknown }>(
      "insert into notifications (alert_id, destination, severity_rank, status, attempts, next_at, claimed_until, created_at) values (?, ?, ?, 'pending', 0, ?, 0, ?) on conflict (alert_id, destination, severity_rank) do nothing returning id",
      [alertId, destination, severityRank, now, now],
    );
    return rows[0] ? num(rows[0].id) : undefined;
  }

  /** Pending notifications that are due, claimed for `leaseMs`. */
  async claimDueNotifications(limit: number, leaseMs: number, only?: number): Promise<DueNotification[]> {
    const now = this.now();
    const lock = this.dialect === 'postgres' ? ' for update skip locked' : '';
    const extra = only === undefined ? '' : ' and id = ?';
    const rows = await this.run<{ id: unknown; alert_id: unknown; destination: string; attempts: unknown }>(
      `update notifications set claimed_until = ?, attempts = attempts + 1 where id in (select id from notifications where status = 'pending' and next_at <= ? and claimed_until < ?${extra} order by next_at, id limit ?${lock}) returning id, alert_id, destination, attempts`,
      [now + leaseMs, now, now, ...(only === undefined ? [] : [only]), limit],
    );
    return rows.map((r) => ({ id: num(r.id), alertId: num(r.alert_id), destination: r.destination, attempts: num(r.attempts) })).sort((a, b) => a.id - b.id);
  }

  async notificationSent(id: number): Promise<void> {
    await this.db.updateTable('notifications').set({ status: 'sent', sent_at: this.now(), last_error: null, claimed_until: 0 }).where('id', '=', id).execute();
  }

  async notificationRetry(id: number, nextAt: number, error: string): Promise<void> {
    await this.db.updateTable('notifications').set({ next_at: nextAt, last_error: error, claimed_until: 0 }).where('id', '=', id).execute();
  }

  async notificationFailed(id: number, error: string): Promise<void> {
    await this.db.updateTable('notifications').set({ status: 'failed', last_error: error, claimed_until: 0 }).where('id', '=', id).execute();
  }

  async notificationsOf(alertId: number): Promise<Array<{ destination: string; status: string; attempts: number; lastError: string | null; sentAt: number | null }>> {
    const rows = await this.db.selectFrom('notifications').selectAll().where('alert_id', '=', alertId).orderBy('id').execute();
    return rows.map((r) => ({ destination: r.destination, status: r.status, attempts: num(r.attempts), lastError: r.last_error, sentAt: r.sent_at === null ? null : num(r.sent_at) }));
  }

  async nextNotificationAt(): Promise<number | undefined> {
    const row = await this.db.selectFrom('notifications').select((eb) => eb.fn.min('next_at').as('next')).where('status', '=', 'pending').executeTakeFirst();
    return row?.next === null || row?.next === undefined ? undefined : num(row.next);
  }

  // ---- repositories ------------------------------------------------------------------------

  /** Every repository (or org, for org-level events) with events, with its alert counts. */
  async repositories(): Promise<Array<{ repository: string; events: number; firstEvent: number; lastEvent: number; alerts: number; openAlerts: number }>> {
    const events = await this.run<{ repo: string; n: unknown; first: unknown; last: unknown }>(
      'select coalesce(repository, org) as repo, count(*) as n, min(occurred_at) as first, max(occurred_at) as last from events where coalesce(repository, org) is not null group by coalesce(repository, org)',
      [],
    );
    const alerts = await this.run<{ repository: string; n: unknown; open: unknown }>(
      "select repository, count(*) as n, sum(case when status = 'open' then 1 else 0 end) as open from alerts where repository is not null group by repository",
      [],
    );
    const byRepo = new Map(alerts.map((a) => [a.repository, a]));
    return events
      .map((e) => ({ repository: e.repo, events: num(e.n), firstEvent: num(e.first), lastEvent: num(e.last), alerts: num(byRepo.get(e.repo)?.n ?? 0), openAlerts: num(byRepo.get(e.repo)?.open ?? 0) }))
      .sort((a, b) => (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
  }

  // ---- API tokens --------------------------------------------------------------------------

  async createToken(t: { name: string; role: Role; hash: string; createdBy?: string }): Promise<ApiToken> {
    const now = this.now();
    const row = await this.db
      .insertInto('api_tokens')
      .values({ name: t.name, role: t.role, token_hash: t.hash, created_at: now, created_by: t.createdBy ?? null, last_used_at: null, revoked_at: null })
      .onConflict((oc) => oc.column('token_hash').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return toToken(row);
    const existing = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', t.hash).executeTakeFirstOrThrow();
    return toToken(existing);
  }

  async tokenByHash(hash: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    return row ? toToken(row) : undefined;
  }

  async touchToken(id: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: this.now() }).where('id', '=', id).execute();
  }

  async listTokens(): Promise<ApiToken[]> {
    return (await this.db.selectFrom('api_tokens').selectAll().orderBy('id').execute()).map(toToken);
  }

  async revokeToken(id: number): Promise<boolean> {
    const r = await this.db.updateTable('api_tokens').set({ revoked_at: this.now() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  // ---- audit trail and notes ---------------------------------------------------------------

  async audit(actor: string, action: string, target: string | null, details?: unknown): Promise<void> {
    await this.db
      .insertInto('audit_trail')
      .values({ at: this.now(), actor, action, target, details: details === undefined ? null : JSON.stringify(details) })
      .execute();
  }

  async auditTrail(limit = 500): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit_trail').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: num(r.id), at: num(r.at), actor: r.actor, action: r.action, target: r.target, details: r.details === null ? null : (JSON.parse(r.details) as unknown) }));
  }

  async setAlertStatus(alertId: number, status: 'open' | 'acknowledged' | 'resolved'): Promise<boolean> {
    const r = await this.db.updateTable('alerts').set({ status, updated_at: this.now() }).where('id', '=', alertId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async addNote(alertId: number, author: string, text: string): Promise<AlertNote> {
    const at = this.now();
    const row = await this.db.insertInto('alert_notes').values({ alert_id: alertId, author, at, text }).returning('id').executeTakeFirstOrThrow();
    return { id: num(row.id), alertId, author, at, text };
  }

  async notesOf(alertId: number): Promise<AlertNote[]> {
    const rows = await this.db.selectFrom('alert_notes').selectAll().where('alert_id', '=', alertId).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({ id: num(r.id), alertId: num(r.alert_id), author: r.author, at: num(r.at), text: r.text }));
  }
}

function toToken(r: Database['api_tokens'] extends infer T ? { [K in keyof T]: unknown } : never): ApiToken {
  return {
    id: num(r.id),
    name: String(r.name),
    role: String(r.role) as Role,
    createdAt: num(r.created_at),
    createdBy: r.created_by === null ? null : String(r.created_by),
    lastUsedAt: r.last_used_at === null ? null : num(r.last_used_at),
    revokedAt: r.revoked_at === null ? null : num(r.revoked_at),
  };
}
