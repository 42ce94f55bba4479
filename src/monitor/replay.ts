/**
 * `monitor replay`: recorded webhooks, audit log and job logs, merged in event-time order, stored
 * (idempotently), then run through the detectors one event at a time, exactly as the server will
 * run them after each commit. Replaying the same inputs twice stores nothing new and reports the
 * same alerts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../core/finding.js';
import { resolveInside } from '../sources/walk.js';
import { runDetectors, type Detector, type DetectorContext, type WorkflowContentSource } from './detect.js';
import { DETECTORS } from './detectors/index.js';
import type { NormalizedRecord } from './events/webhook.js';
import type { MonitorEvent, StoredAlert } from './model.js';
import { indexRuns, readAuditFile, readLogInputs, readWebhookFile } from './sources/inputs.js';

export interface ReplayInputs {
  webhooks: string[];
  auditLogs: string[];
  logs: string[];
  /** Repository for logs that nothing else ties to one. */
  repo?: string;
}

export interface ReplayStats {
  events: number;
  inserted: number;
  bySource: Record<string, number>;
  alerts: number;
}

export interface ReplayResult {
  alerts: StoredAlert[];
  diagnostics: Diagnostic[];
  stats: ReplayStats;
  /** Event ids of this replay, in time order (for `ir` follow-ups and tests). */
  eventIds: number[];
}

const INSERT_BATCH = 1000;

export async function loadInputs(inputs: ReplayInputs, report: (d: Diagnostic) => void): Promise<NormalizedRecord[]> {
  const records: NormalizedRecord[] = [];
  for (const f of inputs.webhooks) records.push(...readWebhookFile(f, report));
  for (const f of inputs.auditLogs) records.push(...readAuditFile(f, report));
  const runs = indexRuns(records);
  records.push(...(await readLogInputs(inputs.logs, runs, { ...(inputs.repo && { repo: inputs.repo }) }, report)));
  // Stable: equal times keep file order (webhooks, then audit, then logs).
  return records.map((r, i) => ({ r, i })).sort((a, b) => a.r.event.time - b.r.event.time || a.i - b.i).map((x) => x.r);
}

export async function replay(inputs: ReplayInputs, ctx: DetectorContext, opts: { detectors?: readonly Detector[]; progress?: (done: number, total: number) => void } = {}): Promise<ReplayResult> {
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic): void => void diagnostics.push(d);
  const records = await loadInputs(inputs, report);
  const ids: number[] = [];
  let inserted = 0;
  for (let i = 0; i < records.length; i += INSERT_BATCH) {
    const part = records.slice(i, i + INSERT_BATCH);
    const res = await ctx.store.insertEvents(part.map((r) => r.event));
    for (const r of res) {
      ids.push(r.id);
      if (r.inserted) inserted++;
    }
  }
  const done = new Set<number>();
  const detectors = opts.detectors ?? DETECTORS;
  for (let i = 0; i < records.length; i++) {
    const id = ids[i]!;
    if (done.has(id)) continue; // the same record twice in the inputs
    done.add(id);
    const event = asStored(records[i]!, id);
    const result = await runDetectors(event, ctx, detectors);
    for (const f of result.failures) {
      report({ level: 'error', file: event.facts.origin?.file, line: event.facts.origin?.line, message: `internal error in detector ${f.detector}: ${f.error} (the event is stored; other detectors ran)` });
    }
    if (opts.progress && i % 500 === 0) opts.progress(i, records.length);
  }
  const alerts = await ctx.store.alertsForEvents([...done]);
  const bySource: Record<string, number> = {};
  for (const r of records) bySource[r.event.source] = (bySource[r.event.source] ?? 0) + 1;
  return { alerts, diagnostics, stats: { events: records.length, inserted, bySource, alerts: alerts.length }, eventIds: ids };
}

/** The event as the store holds it (what a server would read back), without a round trip. */
function asStored(r: NormalizedRecord, id: number): MonitorEvent {
  const e = r.event;
  return {
    id,
    dedupKey: e.dedupKey,
    source: e.source,
    kind: e.kind,
    ...(e.action !== undefined && { action: e.action }),
    time: e.time,
    ...(e.receivedAt !== undefined && { receivedAt: e.receivedAt }),
    ...(e.org !== undefined && { org: e.org }),
    ...(e.repository !== undefined && { repository: e.repository }),
    ...(e.actor !== undefined && { actor: e.actor }),
    evidenceId: e.evidenceId,
    summary: e.summary,
    facts: e.facts,
    sha256: '', // not needed by detectors; the store has it
    payload: r.payload,
  };
}

/**
 * Pushed workflow content from a snapshot folder laid out `<owner>/<repo>/<sha>/<path>` (what an
 * investigation exports with `git show`); never reads outside it.
 */
export class FolderContents implements WorkflowContentSource {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }
  async get(repository: string, sha: string, path: string): Promise<string | undefined> {
    for (const commit of [sha, sha.slice(0, 12), sha.slice(0, 7)]) {
      const candidate = resolve(this.root, repository, commit, path);
      const inside = resolveInside(this.root, candidate);
      if ('error' in inside || !existsSync(inside.real)) continue;
      try {
        if (statSync(inside.real).size > 1 << 20) return undefined;
        return readFileSync(inside.real, 'utf8');
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}
