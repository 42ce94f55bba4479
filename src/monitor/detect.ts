/**
 * The detector contract and the per-event pipeline. The same code runs in `monitor replay` and,
 * later, in the server after each event is durably committed:
 *
 *   const [stored] = await store.getEvents([id]);
 *   await runDetectors(hydrate(stored, await store.rawOf(id)), ctx);
 *
 * Detectors are pure over their inputs and the store's history queries; they never write except
 * through `recordAlert`, which is idempotent, so running one twice (a retried queue job, a
 * replay over a server's data) cannot duplicate an alert.
 */
import type { PipewardenConfig } from '../config/types.js';
import { DEFAULT_CONFIG } from '../config/types.js';
import { auditPayload } from './events/audit.js';
import { parseJobLog } from './events/job-log.js';
import { webhookPayload } from './events/webhook.js';
import type { IndicatorSet } from './indicators.js';
import type { AlertDraft, AlertId, MonitorEvent, StoredEvent } from './model.js';
import type { MonitorStore, RecordedAlert } from './store.js';

/** `monitor:` in the config file (see docs/monitor.md "Configuration"). */
export interface MonitorSettings {
  /** Accounts expected to change settings: no unusual-actor alert, lower severity elsewhere. */
  admins: string[];
  /** Automation accounts besides `*[bot]` (release bots, settings-as-code apps). */
  bots: string[];
  /** Webhook destinations of the org (`example.com` also allows its subdomains). */
  trustedDomains: string[];
  /** unusual-actor stays silent until the store holds this many days of an org's history. */
  baselineDays: number;
  /** How long after a protection was weakened a direct push still counts as following it. */
  followUpHours: number;
}

export const DEFAULT_SETTINGS: MonitorSettings = { admins: [], bots: [], trustedDomains: [], baselineDays: 14, followUpHours: 24 };

/** Pushed workflow content, when the deployment can see it (a snapshot folder, the API online). */
export interface WorkflowContentSource {
  get(repository: string, sha: string, path: string): Promise<string | undefined>;
}

export interface DetectorContext {
  store: MonitorStore;
  settings: MonitorSettings;
  indicators: IndicatorSet;
  contents?: WorkflowContentSource;
  /** For the secrets engine (allow-lists, custom detectors). */
  config: PipewardenConfig;
}

export interface Detector {
  id: AlertId;
  /** Cheap pre-filter: most events concern no detector. */
  accepts(event: MonitorEvent): boolean;
  detect(event: MonitorEvent, ctx: DetectorContext): Promise<AlertDraft[]>;
}

/** Rebuilds what a detector sees from a stored event and its raw bytes. */
export function hydrate(event: StoredEvent, raw: Buffer): MonitorEvent {
  let payload: unknown;
  try {
    payload = event.source === 'webhook' ? webhookPayload(raw) : event.source === 'audit' ? auditPayload(raw) : parseJobLog(raw.toString('utf8'));
  } catch {
    payload = undefined;
  }
  return { ...event, payload };
}

export function makeContext(store: MonitorStore, indicators: IndicatorSet, opts: { settings?: Partial<MonitorSettings>; contents?: WorkflowContentSource; config?: PipewardenConfig } = {}): DetectorContext {
  return {
    store,
    indicators,
    settings: { ...DEFAULT_SETTINGS, ...opts.settings },
    ...(opts.contents && { contents: opts.contents }),
    config: opts.config ?? DEFAULT_CONFIG,
  };
}

export interface DetectionResult {
  alerts: RecordedAlert[];
  /** Detectors that threw (a bug): the event is kept, the others still ran. */
  failures: Array<{ detector: AlertId; error: string }>;
}

export async function runDetectors(event: MonitorEvent, ctx: DetectorContext, detectors: readonly Detector[]): Promise<DetectionResult> {
  const alerts: RecordedAlert[] = [];
  const failures: DetectionResult['failures'] = [];
  for (const d of detectors) {
    if (!d.accepts(event)) continue;
    let drafts: AlertDraft[];
    try {
      drafts = await d.detect(event, ctx);
    } catch (e) {
      failures.push({ detector: d.id, error: (e as Error).message });
      continue;
    }
    for (const draft of drafts) alerts.push(await ctx.store.recordAlert(draft));
  }
  return { alerts, failures };
}
