/** `ir timeline`: every stored event and alert in a window, merged in time order. */
import type { MonitorStore } from '../monitor/store.js';
import { toCsv } from './exposure.js';

export interface TimelineEntry {
  time: string;
  type: 'event' | 'alert';
  source: string;
  /** Event kind (`push`, `protected_branch.destroy`, `job_log`) or alert id. */
  kind: string;
  severity: string | null;
  repository: string | null;
  actor: string | null;
  summary: string;
  /** Delivery GUID, audit _document_id, log path; for alerts, their evidence ids. */
  evidence: string;
}

export async function timeline(store: MonitorStore, q: { from: number; to: number; repository?: string; limit?: number }): Promise<{ entries: TimelineEntry[]; truncated: boolean }> {
  const limit = q.limit ?? 100_000;
  const events = await store.listEvents({ from: q.from, to: q.to, ...(q.repository && { repository: q.repository }), limit: limit + 1 });
  const alerts = await store.listAlerts({ from: q.from, to: q.to, ...(q.repository && { repository: q.repository }) });
  const entries: TimelineEntry[] = [
    ...events.slice(0, limit).map((e) => ({
      time: new Date(e.time).toISOString(),
      type: 'event' as const,
      source: e.source,
      kind: e.action ? `${e.kind}.${e.action}` : e.kind,
      severity: null,
      repository: e.repository ?? e.org ?? null,
      actor: e.actor ?? null,
      summary: e.summary,
      evidence: e.evidenceId,
    })),
    ...alerts.map((a) => ({
      time: a.time,
      type: 'alert' as const,
      source: 'pipewarden',
      kind: a.alert,
      severity: a.severity,
      repository: a.repository,
      actor: a.actor,
      summary: a.title,
      evidence: a.evidence.map((e) => `${e.id}${e.line ? `:${e.line}` : ''}`).join(' '),
    })),
  ];
  // Alerts sort after the event they are about (same time): the cause reads first.
  entries.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.type === b.type ? 0 : a.type === 'event' ? -1 : 1));
  return { entries, truncated: events.length > limit };
}

export function timelineCsv(entries: TimelineEntry[]): string {
  return toCsv(
    ['time', 'type', 'source', 'kind', 'severity', 'repository', 'actor', 'summary', 'evidence'],
    entries.map((e) => [e.time, e.type, e.source, e.kind, e.severity, e.repository, e.actor, e.summary, e.evidence]),
  );
}

export function timelineMarkdown(entries: TimelineEntry[], title: string): string {
  const cell = (s: string | null): string => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`# Timeline: ${title}`, '', '| time | type | kind | repository | actor | summary | evidence |', '|---|---|---|---|---|---|---|'];
  for (const e of entries) {
    const kind = e.type === 'alert' ? `**${e.kind}** (${e.severity})` : cell(e.kind);
    lines.push(`| ${e.time} | ${e.type === 'alert' ? '**alert**' : e.source} | ${kind} | ${cell(e.repository)} | ${cell(e.actor)} | ${cell(e.summary)} | ${cell(e.evidence)} |`);
  }
  return `${lines.join('\n')}\n`;
}
