/**
 * The shapes the monitoring engine passes around: events (normalised from webhook deliveries,
 * audit-log entries and job logs), the alerts detectors raise, and the evidence that ties one to
 * the other. Everything here is plain data; I/O lives in sources/ (reading inputs) and in the
 * store (src/store), which implements the MonitorStore port declared in store.ts.
 */
import type { Confidence, Severity } from '../core/finding.js';

/** The alert ids are interface: users filter on them, the server's API returns them. */
export const ALERT_IDS = [
  'workflow-pushed',
  'protection-weakened',
  'environment-protection-removed',
  'runner-registered',
  'actions-policy-weakened',
  'credential-added',
  'repo-exposure',
  'secret-in-log',
  'compromised-action-used',
  'unusual-actor',
  'push-protection-bypass',
] as const;
export type AlertId = (typeof ALERT_IDS)[number];

export function isAlertId(v: string): v is AlertId {
  return (ALERT_IDS as readonly string[]).includes(v);
}

export type EventSource = 'webhook' | 'audit' | 'log';

/** Where an event was read from: input file (as given) and 1-based line, for diagnostics and SARIF. */
export interface Origin {
  file: string;
  line?: number;
}

/**
 * Facts a detector or an `ir` query needs later without re-reading the raw payload: a small,
 * secret-free projection computed by normalisation. Keys are optional because every source
 * knows different things; consumers must tolerate their absence.
 */
export interface EventFacts {
  origin?: Origin;
  /** Repository visibility as the event reports it. */
  visibility?: 'public' | 'private' | 'internal';
  defaultBranch?: string;
  /** Admin-level action (unusual-actor history). */
  admin?: boolean;
  /** Actor is a bot or an automation account (GitHub `[bot]` suffix or `actor_is_bot`). */
  bot?: boolean;
  push?: PushFacts;
  pr?: PullRequestFacts;
  review?: { pr: number; state: string; reviewer?: string };
  job?: JobFacts;
  run?: RunFacts;
  log?: LogFacts;
  /** Branch protection / ruleset state changes (webhook or audit). */
  protection?: ProtectionFacts;
  /** Branch or tag creation/deletion (create/delete webhooks). */
  ref?: { name: string; type: string };
  /** A few audit fields worth keeping (action-specific, secret-free). */
  audit?: Record<string, string | number | boolean | string[] | null>;
}

export interface PushFacts {
  ref: string;
  before?: string;
  after?: string;
  created: boolean;
  deleted: boolean;
  forced: boolean;
  pusher?: string;
  commits: string[];
  /** Workflow files touched by the pushed commits (as the payload lists them). */
  workflowChanges: Array<{ path: string; change: 'added' | 'modified' | 'removed'; commit: string }>;
  /** How many commits the push carried (the payload lists at most 20). */
  size?: number;
}

export interface PullRequestFacts {
  number: number;
  author?: string;
  merged: boolean;
  mergedBy?: string;
  mergeCommit?: string;
  headRef?: string;
  headSha?: string;
  headRepo?: string;
  baseRef?: string;
}

export interface JobFacts {
  runId: number;
  runAttempt?: number;
  jobId?: number;
  name: string;
  workflowName?: string;
  workflowPath?: string;
  headSha?: string;
  headBranch?: string;
  startedAt?: number;
  completedAt?: number;
  conclusion?: string;
  status?: string;
  runnerName?: string;
  labels?: string[];
  selfHosted?: boolean;
  /** Audit `workflows.prepared_workflow_job`: the secrets handed to the job. */
  secretsPassed?: string[];
  environment?: string;
}

export interface RunFacts {
  runId: number;
  name?: string;
  path?: string;
  headSha?: string;
  headBranch?: string;
  event?: string;
  conclusion?: string;
  startedAt?: number;
}

export interface LogFacts {
  /** Path relative to the logs folder (or `zip!entry`), the evidence id. */
  path: string;
  runId?: number;
  jobName?: string;
  /** Actions the runner downloaded, with the SHA it resolved and the log line. */
  downloads: Array<{ action: string; ref: string; sha?: string; line: number }>;
  runnerName?: string;
  /** `Job defined at: owner/repo/.github/workflows/x.yml@ref` (reusable and direct workflows). */
  workflowRef?: string;
  lines: number;
  bytes: number;
  /** The log was cut (truncated zip entry, size cap). */
  truncated?: boolean;
}

export interface ProtectionFacts {
  target: 'branch' | 'ruleset' | 'repository';
  /** Branch name pattern or ruleset name. */
  name?: string;
  change: 'created' | 'deleted' | 'edited' | 'disabled' | 'enabled' | 'override';
  /** True when the change removes or relaxes a requirement. */
  weakened: boolean;
  /** Human-readable list of what was relaxed (`required reviews 2 → 0`). */
  relaxed: string[];
  /**
   * Setting values this event states (audit entries carry the new value only), as strengths:
   * higher is stricter, so a detector can compare with the last known state.
   */
  state?: Record<string, number>;
}

/** What every event says, whatever its source and whether it is stored yet. */
interface EventCore {
  /** Idempotency key: `gh:delivery:<GUID>`, `gh:audit:<_document_id>`, `log:<...>`. */
  dedupKey: string;
  source: EventSource;
  /** Webhook event name (`push`), audit action (`protected_branch.destroy`), or `job_log`. */
  kind: string;
  /** Webhook payload `action` (`created`, `deleted`...). */
  action?: string;
  /** The event's own time, epoch ms (never the processing time). */
  time: number;
  receivedAt?: number;
  org?: string;
  repository?: string;
  actor?: string;
  /** What a responder searches for: delivery GUID, audit `_document_id`, log path. */
  evidenceId: string;
  /** One line, secret-free, for timelines. */
  summary: string;
  facts: EventFacts;
}

/** An event as normalisation produces it, before the store gives it an id. */
export interface NewEvent extends EventCore {
  /** History lookup keys (see keys.ts). */
  keys: string[];
  raw: Buffer;
}

/** An event as the store returns it. */
export interface StoredEvent extends EventCore {
  id: number;
  sha256: string;
}

/** A stored event with its parsed payload, which is what detectors see. */
export interface MonitorEvent extends StoredEvent {
  /** Webhook payload object, audit entry object, or the parsed job log. */
  payload: unknown;
}

/** A reference from an alert to one stored event (and, for logs, the line). */
export interface EvidenceLink {
  eventId: number;
  line?: number;
}

/** What a detector reports; the store turns it into an alert (or adds evidence to an existing one). */
export interface AlertDraft {
  alert: AlertId;
  severity: Severity;
  confidence: Confidence;
  title: string;
  repository?: string;
  actor?: string;
  /** Event time the alert is about (epoch ms). */
  time: number;
  summary: string;
  response: string[];
  /** Identity of the problem: the same key from any process or replay is the same alert. */
  dedupKey: string;
  /**
   * Twin events (the same change seen as a webhook and as an audit entry) raise one alert: an
   * existing alert of the same id with this correlation key within `windowMs` absorbs the draft.
   */
  correlation?: { key: string; windowMs: number };
  evidence: EvidenceLink[];
  details?: Record<string, unknown>;
}

/** Evidence as users see it: ids they can search for in GitHub or in the inputs. */
export interface EvidenceRef {
  source: EventSource;
  /** X-GitHub-Delivery GUID, audit `_document_id`, or log path relative to the logs folder. */
  id: string;
  line?: number;
}

/** The alert shape of `monitor replay --format json` and of the server's API. */
export interface Alert {
  alert: AlertId;
  severity: Severity;
  confidence: Confidence;
  title: string;
  /** `owner/name`, or the org login for org-level settings. */
  repository: string | null;
  actor: string | null;
  /** ISO 8601, the event's own time. */
  time: string;
  evidence: EvidenceRef[];
  summary: string;
  response: string[];
  details?: Record<string, unknown>;
}

/** A stored alert: the public shape plus what the store keeps for the server. */
export interface StoredAlert extends Alert {
  id: number;
  dedupKey: string;
  status: 'open' | 'acknowledged' | 'resolved';
  eventIds: number[];
  createdAt: string;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
