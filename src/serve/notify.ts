/**
 * Outgoing notifications: a Slack-compatible incoming webhook and a generic JSON webhook signed
 * with HMAC-SHA256. The store is the queue: one row per (alert, destination, severity), so an
 * alert reaches a destination once (again only if its severity is raised), whichever replica
 * detected it and however often; rows are claimed with a lease (skip-locked on PostgreSQL), so
 * two replicas never send the same row. Failures are retried with exponential backoff.
 */
import { severityRank } from '../core/finding.js';
import { VERSION } from '../cli/version.js';
import type { StoredAlert } from '../monitor/model.js';
import type { SqlStore } from '../store/sql-store.js';
import type { DueNotification, ServeStore } from '../store/serve-store.js';
import { apiAlert } from './api.js';
import type { Metrics } from './metrics.js';
import type { Destination } from './settings.js';
import { signGithub } from './signature.js';

export interface NotifierOptions {
  store: SqlStore;
  serveStore: ServeStore;
  destinations: Destination[];
  metrics: Metrics;
  log: (line: string) => void;
  publicUrl?: string;
  /** First retry delay; doubles each attempt up to MAX_DELAY_MS (tests shorten it). */
  baseDelayMs?: number;
  maxAttempts?: number;
  /** Poll for due retries (and rows a dead replica held) this often. */
  pollMs?: number;
  timeoutMs?: number;
  /** With --redis: deliveries and retries are jobs any replica's worker runs. */
  queue?: { notify(notificationId: number, delayMs?: number): Promise<void> };
}

const MAX_DELAY_MS = 60 * 60_000;
const LEASE_MS = 60_000;

/** What one attempt came to. */
export type Outcome = { ok: true } | { ok: false; error: string; permanent: boolean; retryAfterMs?: number };

/** Slack mrkdwn needs &, < and > escaped; everything else is literal. */
function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function alertLink(publicUrl: string | undefined, alertId: number): string | null {
  return publicUrl ? `${publicUrl}/#/alerts/${alertId}` : null;
}

/** The body of a Slack incoming webhook (text for notifications, blocks for the message). */
export function slackMessage(a: StoredAlert, link: string | null): Record<string, unknown> {
  const where = a.repository ? ` in ${a.repository}` : '';
  const text = `[${a.severity.toUpperCase()}] ${a.alert}${where}: ${a.title}`;
  const facts = [`*Severity:* ${a.severity}`, `*Alert:* \`${a.alert}\``, ...(a.repository ? [`*Repository:* ${slackEscape(a.repository)}`] : []), ...(a.actor ? [`*Actor:* ${slackEscape(a.actor)}`] : []), `*Time:* ${a.time}`];
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: text.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: slackEscape(a.summary).slice(0, 2900) } },
    { type: 'section', fields: facts.map((f) => ({ type: 'mrkdwn', text: f })) },
  ];
  if (a.response.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Response*\n${a.response.map((r) => `• ${slackEscape(r)}`).join('\n')}`.slice(0, 2900) } });
  const evidence = a.evidence.map((e) => `${e.source} ${e.id}${e.line ? `:${e.line}` : ''}`).join(', ');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Evidence: ${slackEscape(evidence).slice(0, 2000)}${link ? ` · <${link}|open in pipewarden>` : ''}` }] });
  return { text: slackEscape(text), blocks };
}

/** The body of the generic webhook. */
export function webhookMessage(a: StoredAlert, link: string | null, notificationId: number, sentAt: number): Record<string, unknown> {
  return { type: 'pipewarden.alert', notification: notificationId, sent_at: new Date(sentAt).toISOString(), alert: apiAlert(a), url: link };
}

/** Delay before attempt `attempts + 1`, with ±20% jitter so replicas and destinations do not beat in step. */
export function backoff(attempts: number, baseMs: number, rnd: () => number = Math.random): number {
  const d = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(d * (0.8 + 0.4 * rnd()));
}

/** One POST; classifies the answer (4xx other than 408/429 will not get better by retrying). */
export async function send(dest: Destination, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(dest.url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': `pipewarden/${VERSION}`, ...headers }, body, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    // The message of a fetch error can quote the URL, and a Slack URL is a credential.
    const err = e as Error & { cause?: { code?: string } };
    return { ok: false, permanent: false, error: err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error${err.cause?.code ? ` ${err.cause.code}` : ''}` };
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.ok) return { ok: true };
  const retryAfter = Number(res.headers.get('retry-after'));
  const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
  return { ok: false, permanent, error: `HTTP ${res.status}`, ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterMs: Math.min(retryAfter * 1000, MAX_DELAY_MS) }) };
}

export class Notifier {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly byName: Map<string, Destination>;

  constructor(private readonly o: NotifierOptions) {
    this.byName = new Map(o.destinations.map((d) => [d.name, d]));
  }

  get enabled(): boolean {
    return this.o.destinations.length > 0;
  }

  /** New or raised alerts: one row per destination whose minimum they reach, then deliver. */
  async plan(alertIds: number[]): Promise<void> {
    if (!this.enabled || alertIds.length === 0) return;
    const planned: number[] = [];
    for (const a of await this.o.store.getAlerts(alertIds)) {
      if (a.status === 'resolved') continue;
      const rank = severityRank(a.severity);
      for (const d of this.o.destinations) {
        if (rank < severityRank(d.minSeverity)) continue;
        const id = await this.o.serveStore.planNotification(a.id, d.name, rank);
        if (id !== undefined) planned.push(id);
      }
    }
    if (!planned.length) return;
    // If the queue is down the row stays pending and the poll delivers it.
    if (this.o.queue) await Promise.all(planned.map((id) => this.o.queue!.notify(id))).catch((e: Error) => this.o.log(`notifications: queue: ${e.message}`));
    else this.kick();
  }

  start(): void {
    if (this.enabled) this.kick();
  }

  /** Delivers what is due now, then sleeps until the next retry (or the poll interval). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.running = this.deliverDue()
      .catch((e: Error) => this.o.log(`notifications: ${e.message}`))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else void this.schedule();
      });
  }

  private async schedule(): Promise<void> {
    const poll = this.o.pollMs ?? 10_000;
    const next = await this.o.serveStore.nextNotificationAt().catch(() => undefined);
    const wait = next === undefined ? poll : Math.max(0, Math.min(poll, next - Date.now()));
    if (this.stopped) return;
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  private async deliverDue(): Promise<void> {
    for (;;) {
      const due = await this.o.serveStore.claimDueNotifications(20, LEASE_MS);
      if (due.length === 0 || this.stopped) return;
      await Promise.all(due.map((n) => this.deliver(n)));
    }
  }

  /** A queue job: delivers this row if it is still due and nobody else holds it. */
  async deliverById(id: number): Promise<void> {
    const [n] = await this.o.serveStore.claimDueNotifications(1, LEASE_MS, id);
    if (n) await this.deliver(n);
  }

  private async deliver(n: DueNotification): Promise<void> {
    const dest = this.byName.get(n.destination);
    if (!dest) {
      await this.o.serveStore.notificationFailed(n.id, 'destination no longer configured');
      return;
    }
    const [alert] = await this.o.store.getAlerts([n.alertId]);
    if (!alert) {
      await this.o.serveStore.notificationFailed(n.id, 'alert not found');
      return;
    }
    const link = alertLink(this.o.publicUrl, alert.id);
    const now = Date.now();
    let outcome: Outcome;
    if (dest.type === 'slack') {
      outcome = await send(dest, JSON.stringify(slackMessage(alert, link)), {}, this.o.timeoutMs ?? 10_000);
    } else {
      const body = JSON.stringify(webhookMessage(alert, link, n.id, now));
      // The delivery id stays the same across retries so receivers can drop a repeat.
      outcome = await send(dest, body, { 'x-pipewarden-event': 'alert', 'x-pipewarden-delivery': String(n.id), 'x-pipewarden-signature-256': signGithub(dest.secret ?? '', body) }, this.o.timeoutMs ?? 10_000);
    }
    if (outcome.ok) {
      await this.o.serveStore.notificationSent(n.id);
      this.o.metrics.notifications.inc({ destination: dest.name, outcome: 'sent' });
      return;
    }
    const max = this.o.maxAttempts ?? 8;
    if (outcome.permanent || n.attempts >= max) {
      await this.o.serveStore.notificationFailed(n.id, outcome.error);
      this.o.metrics.notifications.inc({ destination: dest.name, outcome: 'failed' });
      this.o.log(`notification of alert ${alert.id} to ${dest.name} failed after ${n.attempts} attempt${n.attempts === 1 ? '' : 's'}: ${outcome.error}`);
      return;
    }
    const delay = Math.max(outcome.retryAfterMs ?? 0, backoff(n.attempts, this.o.baseDelayMs ?? 30_000));
    await this.o.serveStore.notificationRetry(n.id, Date.now() + delay, outcome.error);
    this.o.metrics.notifications.inc({ destination: dest.name, outcome: 'retry' });
    if (this.o.queue) await this.o.queue.notify(n.id, delay).catch((e: Error) => this.o.log(`notifications: queue: ${e.message}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
