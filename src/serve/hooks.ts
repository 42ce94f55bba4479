/**
 * The three intake endpoints as functions from a request (headers + exact body bytes) to either
 * a refusal (status, reason; nothing is stored) or the events to commit. Kept free of the HTTP
 * framework so every refusal case is tested directly and through the server.
 */
import { gunzipSync } from 'node:zlib';
import type { Diagnostic } from '../core/finding.js';
import { normalizeAudit } from '../monitor/events/audit.js';
import { obj, oneLine } from '../monitor/events/fields.js';
import { normalizeWebhook, type NormalizedRecord } from '../monitor/events/webhook.js';
import { splitRecords } from '../monitor/sources/records.js';
import { normalizeGitlab } from './gitlab.js';
import type { ServeSettings } from './settings.js';
import { tokenMatches, verifyGithubSignature } from './signature.js';

export type Headers = Record<string, string | string[] | undefined>;

export interface Refusal {
  status: number;
  /** Metric label and the message's first words. */
  reason: string;
  message: string;
}

export interface Accepted {
  records: NormalizedRecord[];
  diagnostics: Diagnostic[];
}

const h = (headers: Headers, name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

const refuse = (status: number, reason: string, message: string): Refusal => ({ status, reason, message });

/** Headers worth archiving with a delivery (never a token; the HMAC signature lets an auditor re-verify). */
const KEPT_HEADERS = [
  'x-github-event', 'x-github-delivery', 'x-github-hook-id', 'x-github-hook-installation-target-type',
  'x-github-hook-installation-target-id', 'x-hub-signature-256', 'x-gitlab-event', 'x-gitlab-event-uuid',
  'x-gitlab-instance', 'x-gitlab-webhook-uuid', 'user-agent', 'content-type',
];

function keptHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of KEPT_HEADERS) {
    const v = h(headers, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * The archived envelope, `{"event","delivery","received_at","headers","payload"}`, with the
 * payload's bytes exactly as received (what `monitor replay --webhooks` reads back).
 */
export function envelope(event: string, delivery: string | undefined, receivedAt: number | string, headers: Headers, payload: Buffer, kept = keptHeaders(headers)): Buffer {
  const iso = typeof receivedAt === 'string' ? receivedAt : new Date(receivedAt).toISOString();
  const head = `{"event":${JSON.stringify(event)},${delivery === undefined ? '' : `"delivery":${JSON.stringify(delivery)},`}"received_at":"${iso}","headers":${JSON.stringify(kept)},"payload":`;
  return Buffer.concat([Buffer.from(head), payload, Buffer.from('}')]);
}

/** A JSON object body, or why not. Form-encoded deliveries (GitHub's other content type) carry it in `payload=`. */
function jsonBody(headers: Headers, body: Buffer): { bytes: Buffer; value: Record<string, unknown> } | Refusal {
  let bytes = body;
  const type = (h(headers, 'content-type') ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(body.toString('utf8')).get('payload');
    if (payload === null) return refuse(400, 'not-json', 'form-encoded delivery without a payload field');
    bytes = Buffer.from(payload, 'utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return refuse(400, 'not-json', 'the body is not JSON');
  }
  const o = obj(value);
  if (!o) return refuse(400, 'not-json', 'the body is not a JSON object');
  return { bytes, value: o };
}

export function githubDelivery(settings: ServeSettings, headers: Headers, body: Buffer, now: number): Accepted | Refusal {
  if (settings.githubSecrets.length === 0) return refuse(503, 'not-configured', 'GitHub webhooks are not configured on this server (PIPEWARDEN_GITHUB_WEBHOOK_SECRET)');
  const signature = h(headers, 'x-hub-signature-256');
  if (signature === undefined) return refuse(401, 'unsigned', 'missing X-Hub-Signature-256');
  if (!verifyGithubSignature(settings.githubSecrets, body, signature)) return refuse(401, 'bad-signature', 'X-Hub-Signature-256 does not match the body');
  const event = h(headers, 'x-github-event');
  if (!event || !/^[a-z_]{1,64}$/.test(event)) return refuse(400, 'no-event', 'missing or malformed X-GitHub-Event');
  const parsed = jsonBody(headers, body);
  if ('status' in parsed) return parsed;
  const delivery = h(headers, 'x-github-delivery');
  if (delivery !== undefined && !/^[A-Za-z0-9-]{1,100}$/.test(delivery)) return refuse(400, 'bad-delivery', 'malformed X-GitHub-Delivery');
  // The archived headers and time once, for both the stored envelope and the normalised record.
  const kept = keptHeaders(headers);
  const receivedAt = new Date(now).toISOString();
  const raw = envelope(event, delivery, receivedAt, headers, parsed.bytes, kept);
  const diagnostics: Diagnostic[] = [];
  const record = { event, ...(delivery && { delivery }), received_at: receivedAt, headers: kept, payload: parsed.value };
  const normalized = normalizeWebhook(record, raw, { file: 'POST /hooks/github', line: 1 }, (d) => void diagnostics.push(d));
  if (!normalized) return refuse(400, 'unreadable', diagnostics.map((d) => d.message).join('; ') || 'unreadable delivery');
  return { records: [normalized], diagnostics };
}

export function gitlabDelivery(settings: ServeSettings, headers: Headers, body: Buffer, now: number): Accepted | Refusal {
  if (settings.gitlabTokens.length === 0) return refuse(503, 'not-configured', 'GitLab webhooks are not configured on this server (PIPEWARDEN_GITLAB_TOKEN)');
  const token = h(headers, 'x-gitlab-token');
  if (token === undefined) return refuse(401, 'unsigned', 'missing X-Gitlab-Token');
  if (!tokenMatches(settings.gitlabTokens, token)) return refuse(401, 'bad-token', 'X-Gitlab-Token does not match');
  const event = h(headers, 'x-gitlab-event');
  if (!event || event.length > 100) return refuse(400, 'no-event', 'missing or malformed X-Gitlab-Event');
  const parsed = jsonBody(headers, body);
  if ('status' in parsed) return parsed;
  const uuid = h(headers, 'x-gitlab-event-uuid');
  if (uuid !== undefined && !/^[A-Za-z0-9-]{1,100}$/.test(uuid)) return refuse(400, 'bad-delivery', 'malformed X-Gitlab-Event-UUID');
  const raw = envelope(`gitlab:${event}`, uuid, now, headers, parsed.bytes);
  const r = normalizeGitlab({ eventHeader: event, ...(uuid && { uuid }), receivedAt: now, body: parsed.value, raw });
  const diagnostics: Diagnostic[] = r.warning ? [{ level: 'warning', file: 'POST /hooks/gitlab', message: r.warning }] : [];
  return { records: [{ event: r.event, payload: r.payload }], diagnostics };
}

/**
 * An audit-log streaming batch: JSON lines or a JSON array, optionally gzip (Content-Encoding or
 * the gzip magic bytes), each record an audit entry or a Splunk HTTP Event Collector wrapper
 * `{"event": {...entry}}`. Malformed records are reported by line; the rest are stored.
 */
export function auditBatch(settings: ServeSettings, headers: Headers, body: Buffer): Accepted | Refusal {
  if (settings.auditTokens.length === 0) return refuse(503, 'not-configured', 'audit-log streaming is not configured on this server (PIPEWARDEN_AUDIT_STREAM_TOKEN)');
  const auth = h(headers, 'authorization');
  const m = auth === undefined ? null : /^(?:Bearer|Splunk)\s+(\S+)$/i.exec(auth.trim());
  if (!m) return refuse(401, 'unsigned', 'missing Authorization: Bearer <token>');
  if (!tokenMatches(settings.auditTokens, m[1])) return refuse(401, 'bad-token', 'the audit stream token does not match');
  let bytes = body;
  const gz = (h(headers, 'content-encoding') ?? '').toLowerCase() === 'gzip' || (body[0] === 0x1f && body[1] === 0x8b);
  if (gz) {
    try {
      bytes = gunzipSync(body, { maxOutputLength: settings.maxInflatedBytes });
    } catch (e) {
      const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      return tooBig ? refuse(413, 'too-large', `the batch inflates to more than ${settings.maxInflatedBytes} bytes`) : refuse(400, 'bad-gzip', 'the body is not valid gzip');
    }
  }
  const file = 'POST /ingest/github-audit';
  const { records, diagnostics } = splitRecords(bytes, file);
  const out: NormalizedRecord[] = [];
  const report = (d: Diagnostic): void => void diagnostics.push(d);
  for (const r of records) {
    const o = obj(r.value);
    const inner = o && obj(o.event) && typeof o.action !== 'string' ? obj(o.event)! : r.value;
    const raw = inner === r.value ? r.raw : Buffer.from(JSON.stringify(inner));
    const n = normalizeAudit(inner, raw, { file, line: r.line }, report);
    if (n) out.push(n);
  }
  if (out.length === 0) {
    const first = diagnostics[0];
    return refuse(400, 'not-json', first ? `line ${first.line ?? '?'}: ${oneLine(first.message, 200)}` : 'the batch holds no audit-log entry');
  }
  return { records: out, diagnostics };
}

export function isRefusal(x: Accepted | Refusal): x is Refusal {
  return 'status' in x;
}
