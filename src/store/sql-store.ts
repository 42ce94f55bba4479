/**
 * MonitorStore over kysely: the same queries for SQLite and PostgreSQL. Events are append-only
 * (raw bytes + SHA-256, never updated); alerts are de-duplicated by key under a per-key lock so
 * two server processes on one PostgreSQL produce one alert (SQLite serialises writers itself).
 */
import { createHash } from 'node:crypto';
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import { severityRank, SEVERITIES, type Severity } from '../core/finding.js';
import type { AlertDraft, EventFacts, EvidenceRef, NewEvent, StoredAlert, StoredEvent, AlertId, EventSource } from '../monitor/model.js';
import { iso } from '../monitor/model.js';
import type { AlertQuery, EventQuery, InsertResult, KeyQuery, MonitorStore, RecordedAlert } from '../monitor/store.js';
import { num, type Database, type EventsTable } from './schema.js';
import type { DialectName } from './migrations.js';

/** Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters. */
const BATCH = 200;

const EVENT_COLUMNS = [
  'events.id',
  'events.dedup_key',
  'events.source',
  'events.kind',
  'events.action',
  'events.occurred_at',
  'events.received_at',
  'events.org',
  'events.repository',
  'events.actor',
  'events.evidence_id',
  'events.summary',
  'events.facts',
  'events.sha256',
] as const;

const EVENT_INSERT_COLUMNS = 'dedup_key, source, kind, action, occurred_at, received_at, ingested_at, org, repository, actor, evidence_id, summary, facts, raw, sha256';

/** `(?, ?, ?), (?, ?, ?)` for `rows` rows of `width` values. */
function rowsOf(rows: number, width: number): string {
  const one = `(${Array(width).fill('?').join(', ')})`;
  return Array(rows).fill(one).join(', ');
}

const RAW_EVENT_COLUMNS = 'e.id, e.dedup_key, e.source, e.kind, e.action, e.occurred_at, e.received_at, e.org, e.repository, e.actor, e.evidence_id, e.summary, e.facts, e.sha256';

type EventRow = Omit<EventsTable, 'raw' | 'ingested_at' | 'id'> & { id: number };

function toStoredEvent(r: EventRow): StoredEvent {
  return {
    id: num(r.id),
    dedupKey: r.dedup_key,
    source: r.source as EventSource,
    kind: r.kind,
    ...(r.action !== null && { action: r.action }),
    time: num(r.occurred_at),
    ...(r.received_at !== null && { receivedAt: num(r.received_at) }),
    ...(r.org !== null && { org: r.org }),
    ...(r.repository !== null && { repository: r.repository }),
    ...(r.actor !== null && { actor: r.actor }),
    evidenceId: r.evidence_id,
    summary: r.summary,
    facts: JSON.parse(r.facts) as EventFacts,
    sha256: r.sha256,
  };
}

export function sha256Hex(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** PostgreSQL text cannot hold NUL; hostile payloads can (JSON `\u0000`). */
function text(s: string): string;
function text(s: string | undefined): string | null;
function text(s: string | undefined): string | null {
  if (s === undefined) return null;
  return s.includes('\0') ? s.replace(/\0/g, '\uFFFD') : s;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class SqlStore implements MonitorStore {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `queue`: also put each newly stored event on the detection queue (serve), in the same
   * transaction, claimed until `claimedUntil` by the calling process (0: free for any worker).
   */
  async insertEvents(input: NewEvent[], opts: { queue?: { claimedUntil: number } } = {}): Promise<InsertResult[]> {
    if (input.length === 0) return [];
    const events = input.map((e) => (e.dedupKey.includes('\0') ? { ...e, dedupKey: text(e.dedupKey) } : e));
    return this.db.transaction().execute(async (trx) => {
      const ids = new Map<string, number>();
      const inserted = new Set<string>();
      // The same record twice in one batch is stored once.
      const unique = [...new Map(events.map((e) => [e.dedupKey, e])).values()];
      const ingestedAt = this.now();
      for (const part of chunks(unique, BATCH)) {
        const params: unknown[] = [];
        for (const e of part) {
          params.push(e.dedupKey, e.source, text(e.kind), text(e.action), e.time, e.receivedAt ?? null, ingestedAt, text(e.org), text(e.repository), text(e.actor), text(e.evidenceId), text(e.summary), JSON.stringify(e.facts), e.raw, sha256Hex(e.raw));
        }
        // Raw multi-row SQL: kysely's builder costs more than SQLite's insert for batches this size.
        const rows = await trx.executeQuery<{ id: number; dedup_key: string }>(
          CompiledQuery.raw(this.placeholders(`insert into events (${EVENT_INSERT_COLUMNS}) values ${rowsOf(part.length, 15)} on conflict (dedup_key) do nothing returning id, dedup_key`), params),
        );
        for (const r of rows.rows) {
          ids.set(r.dedup_key, num(r.id));
          inserted.add(r.dedup_key);
        }
        const missing = part.filter((e) => !ids.has(e.dedupKey)).map((e) => e.dedupKey);
        if (missing.length > 0) {
          const existing = await trx.selectFrom('events').select(['id', 'dedup_key']).where('dedup_key', 'in', missing).execute();
          for (const r of existing) ids.set(r.dedup_key, num(r.id));
        }
      }
      const keyRows = unique
        .filter((e) => inserted.has(e.dedupKey))
        .flatMap((e) => [...new Set(e.keys.map((k) => text(k)))].map((key) => [key, ids.get(e.dedupKey)!, e.time] as const));
      for (const part of chunks(keyRows, BATCH * 2)) {
        await trx.executeQuery(
          CompiledQuery.raw(this.placeholders(`insert into event_keys (key, event_id, occurred_at) values ${rowsOf(part.length, 3)} on conflict (key, event_id) do nothing`), part.flat()),
        );
      }
      if (opts.queue) {
        const queued = unique.filter((e) => inserted.has(e.dedupKey)).map((e) => [ids.get(e.dedupKey)!, ingestedAt, 0, opts.queue!.claimedUntil] as const);
        for (const part of chunks(queued, BATCH)) {
          await trx.executeQuery(CompiledQuery.raw(this.placeholders(`insert into event_queue (event_id, enqueued_at, attempts, claimed_until) values ${rowsOf(part.length, 4)}`), part.flat()));
        }
      }
      const seen = new Set<string>();
      return events.map((e) => {
        const first = !seen.has(e.dedupKey);
        seen.add(e.dedupKey);
        return { id: ids.get(e.dedupKey)!, inserted: first && inserted.has(e.dedupKey) };
      });
    });
  }

  async getEvents(ids: number[]): Promise<StoredEvent[]> {
    if (ids.length === 0) return [];
    const out: StoredEvent[] = [];
    for (const part of chunks([...new Set(ids)], BATCH * 2)) {
      const rows = await this.db.selectFrom('events').select(EVENT_COLUMNS).where('id', 'in', part).execute();
      out.push(...rows.map(toStoredEvent));
    }
    const order = new Map(ids.map((id, i) => [id, i]));
    return out.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }

  async rawOf(id: number): Promise<Buffer | undefined> {
    const row = await this.db.selectFrom('events').select('raw').where('id', '=', id).executeTakeFirst();
    return row ? Buffer.from(row.raw) : undefined;
  }

  /**
   * The detectors' hot path (thousands of calls per replay): hand-written SQL, one text per shape
   * (cached), instead of kysely's builder, which costs more than the query itself on SQLite.
   */
  async findByKey(key: string, q: KeyQuery = {}): Promise<StoredEvent[]> {
    const where: string[] = ['k.key = ?'];
    const params: unknown[] = [key];
    if (q.from !== undefined) {
      where.push('k.occurred_at >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('k.occurred_at <= ?');
      params.push(q.to);
    }
    if (q.before) {
      where.push('(k.occurred_at < ? or (k.occurred_at = ? and k.event_id < ?))');
      params.push(q.before.time, q.before.time, q.before.id);
    }
    if (q.after) {
      where.push('(k.occurred_at > ? or (k.occurred_at = ? and k.event_id > ?))');
      params.push(q.after.time, q.after.time, q.after.id);
    }
    const dir = q.order === 'desc' ? 'desc' : 'asc';
    let text = `select ${RAW_EVENT_COLUMNS} from event_keys k inner join events e on e.id = k.event_id where ${where.join(' and ')} order by k.occurred_at ${dir}, k.event_id ${dir}`;
    if (q.limit !== undefined) {
      text += ' limit ?';
      params.push(q.limit);
    }
    const result = await this.db.executeQuery<EventRow>(CompiledQuery.raw(this.placeholders(text), params));
    return result.rows.map(toStoredEvent);
  }

  private readonly sqlText = new Map<string, string>();

  /** `?` placeholders as the dialect wants them (`$1`... for PostgreSQL). */
  private placeholders(text: string): string {
    if (this.dialect !== 'postgres') return text;
    let out = this.sqlText.get(text);
    if (out === undefined) {
      let i = 0;
      out = text.replace(/\?/g, () => `$${++i}`);
      this.sqlText.set(text, out);
    }
    return out;
  }

  async timeSpan(scope: string): Promise<{ first: number; last: number } | undefined> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => [eb.fn.min('occurred_at').as('first'), eb.fn.max('occurred_at').as('last')])
      .where((eb) => eb.or([eb('org', '=', scope), eb('repository', '=', scope)]))
      .executeTakeFirst();
    if (!row || row.first === null || row.first === undefined) return undefined;
    return { first: num(row.first), last: num(row.last) };
  }

  async listEvents(q: EventQuery): Promise<StoredEvent[]> {
    let query = this.db.selectFrom('events').select(EVENT_COLUMNS);
    if (q.from !== undefined) query = query.where('occurred_at', '>=', q.from);
    if (q.to !== undefined) query = query.where('occurred_at', '<=', q.to);
    const repo = q.repository;
    if (repo !== undefined) {
      query = query.where((eb) => eb.or([eb('repository', '=', repo), eb.and([eb('repository', 'is', null), eb('org', '=', repo)])]));
    }
    if (q.kinds !== undefined) query = q.kinds.length ? query.where('kind', 'in', q.kinds) : query.where(sql<boolean>`1 = 0`);
    query = query.orderBy('occurred_at', q.order ?? 'asc').orderBy('id', q.order ?? 'asc');
    if (q.limit !== undefined) query = query.limit(q.limit);
    return (await query.execute()).map(toStoredEvent);
  }

  async recordAlert(draft: AlertDraft): Promise<RecordedAlert> {
    return this.db.transaction().execute(async (trx) => {
      const lockKey = `${draft.alert}|${draft.correlation?.key ?? draft.dedupKey}`;
      if (this.dialect === 'postgres') {
        // Serialises "find, else create" for this problem across processes; released at commit.
        await sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`.execute(trx);
      }
      let target = await trx.selectFrom('alerts').select(['id', 'severity_rank']).where('dedup_key', '=', draft.dedupKey).executeTakeFirst();
      const corr = draft.correlation;
      if (!target && corr) {
        target = await trx
          .selectFrom('alerts')
          .select(['id', 'severity_rank'])
          .where('alert', '=', draft.alert)
          .where('correlation_key', '=', corr.key)
          .where('occurred_at', '>=', draft.time - corr.windowMs)
          .where('occurred_at', '<=', draft.time + corr.windowMs)
          .orderBy('occurred_at', 'asc')
          .orderBy('id', 'asc')
          .executeTakeFirst();
      }
      let id: number;
      let created = false;
      if (target) {
        id = num(target.id);
        if (severityRank(draft.severity) > num(target.severity_rank)) await this.escalate(trx, id, draft);
      } else {
        const now = this.now();
        const row = await trx
          .insertInto('alerts')
          .values({
            dedup_key: draft.dedupKey,
            alert: draft.alert,
            severity: draft.severity,
            severity_rank: severityRank(draft.severity),
            confidence: draft.confidence,
            title: draft.title,
            repository: draft.repository ?? null,
            actor: draft.actor ?? null,
            occurred_at: draft.time,
            created_at: now,
            updated_at: now,
            summary: draft.summary,
            response: JSON.stringify(draft.response),
            details: draft.details ? JSON.stringify(draft.details) : null,
            correlation_key: corr?.key ?? null,
            status: 'open',
          })
          .onConflict((oc) => oc.column('dedup_key').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (row) {
          id = num(row.id);
          created = true;
        } else {
          id = num((await trx.selectFrom('alerts').select('id').where('dedup_key', '=', draft.dedupKey).executeTakeFirstOrThrow()).id);
        }
      }
      const links = draft.evidence.map((e) => ({ alert_id: id, event_id: e.eventId, line: e.line ?? 0 }));
      if (links.length > 0) {
        await trx
          .insertInto('alert_events')
          .values(links)
          .onConflict((oc) => oc.columns(['alert_id', 'event_id', 'line']).doNothing())
          .execute();
      }
      return { id, created };
    });
  }

  /** New evidence made the problem worse: the alert takes the draft's severity and wording. */
  private async escalate(trx: Transaction<Database>, id: number, draft: AlertDraft): Promise<void> {
    await trx
      .updateTable('alerts')
      .set({
        severity: draft.severity,
        severity_rank: severityRank(draft.severity),
        confidence: draft.confidence,
        title: draft.title,
        summary: draft.summary,
        response: JSON.stringify(draft.response),
        details: draft.details ? JSON.stringify(draft.details) : null,
        updated_at: this.now(),
      })
      .where('id', '=', id)
      .execute();
  }

  async getAlerts(ids: number[]): Promise<StoredAlert[]> {
    if (ids.length === 0) return [];
    const rows = [];
    for (const part of chunks([...new Set(ids)], BATCH * 2)) {
      rows.push(...(await this.db.selectFrom('alerts').selectAll().where('id', 'in', part).execute()));
    }
    return this.hydrate(rows);
  }

  async alertsForEvents(eventIds: number[]): Promise<StoredAlert[]> {
    if (eventIds.length === 0) return [];
    const ids = new Set<number>();
    for (const part of chunks([...new Set(eventIds)], BATCH * 2)) {
      const rows = await this.db.selectFrom('alert_events').select('alert_id').where('event_id', 'in', part).execute();
      for (const r of rows) ids.add(num(r.alert_id));
    }
    return this.getAlerts([...ids]);
  }

  async listAlerts(q: AlertQuery): Promise<StoredAlert[]> {
    let query = this.db.selectFrom('alerts').selectAll();
    if (q.from !== undefined) query = query.where('occurred_at', '>=', q.from);
    if (q.to !== undefined) query = query.where('occurred_at', '<=', q.to);
    if (q.repository !== undefined) query = query.where('repository', '=', q.repository);
    if (q.minSeverity !== undefined) query = query.where('severity_rank', '>=', severityRank(q.minSeverity));
    if (q.alert !== undefined) query = query.where('alert', '=', q.alert);
    if (q.status !== undefined) query = query.where('status', '=', q.status);
    if (q.after !== undefined) {
      const { time, id } = q.after;
      const past = q.order === 'desc' ? '<' : '>';
      query = query.where((eb) => eb.or([eb('occurred_at', past, time), eb.and([eb('occurred_at', '=', time), eb('id', past, id)])]));
    }
    query = query.orderBy('occurred_at', q.order ?? 'asc').orderBy('id', q.order ?? 'asc');
    if (q.limit !== undefined) query = query.limit(q.limit);
    return this.hydrate(await query.execute(), q.order);
  }

  private async hydrate(rows: Array<Database['alerts'] extends infer T ? { [K in keyof T]: unknown } : never>, order: 'asc' | 'desc' = 'asc'): Promise<StoredAlert[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => num(r.id));
    const links: Array<{ alert_id: unknown; event_id: unknown; line: unknown; source: string; evidence_id: string; occurred_at: unknown }> = [];
    for (const part of chunks(ids, BATCH * 2)) {
      links.push(
        ...(await this.db
          .selectFrom('alert_events')
          .innerJoin('events', 'events.id', 'alert_events.event_id')
          .select(['alert_events.alert_id', 'alert_events.event_id', 'alert_events.line', 'events.source', 'events.evidence_id', 'events.occurred_at'])
          .where('alert_events.alert_id', 'in', part)
          .execute()),
      );
    }
    links.sort((a, b) => num(a.occurred_at) - num(b.occurred_at) || num(a.event_id) - num(b.event_id) || num(a.line) - num(b.line));
    const byAlert = new Map<number, { refs: EvidenceRef[]; events: number[] }>();
    for (const l of links) {
      const entry = byAlert.get(num(l.alert_id)) ?? { refs: [], events: [] };
      byAlert.set(num(l.alert_id), entry);
      const line = num(l.line);
      entry.refs.push({ source: l.source as EventSource, id: l.evidence_id, ...(line > 0 && { line }) });
      if (!entry.events.includes(num(l.event_id))) entry.events.push(num(l.event_id));
    }
    const alerts = rows.map((r): StoredAlert => {
      const ev = byAlert.get(num(r.id)) ?? { refs: [], events: [] };
      return {
        id: num(r.id),
        dedupKey: String(r.dedup_key),
        alert: String(r.alert) as AlertId,
        severity: (SEVERITIES as readonly string[]).includes(String(r.severity)) ? (String(r.severity) as Severity) : 'info',
        confidence: String(r.confidence) as StoredAlert['confidence'],
        title: String(r.title),
        repository: r.repository === null ? null : String(r.repository),
        actor: r.actor === null ? null : String(r.actor),
        time: iso(num(r.occurred_at)),
        evidence: ev.refs,
        summary: String(r.summary),
        response: JSON.parse(String(r.response)) as string[],
        ...(r.details !== null && r.details !== undefined && { details: JSON.parse(String(r.details)) as Record<string, unknown> }),
        status: String(r.status) as StoredAlert['status'],
        eventIds: ev.events,
        createdAt: iso(num(r.created_at)),
      };
    });
    const dir = order === 'desc' ? -1 : 1;
    return alerts.sort((a, b) => dir * (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id - b.id));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
