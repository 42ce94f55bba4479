/** Flags and plumbing `monitor` and `ir` share: recorded inputs, the store, times, settings. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { PipewardenConfig } from '../config/types.js';
import { resolveDataDir } from '../core/data-dir.js';
import { DEFAULT_SETTINGS, type MonitorSettings } from '../monitor/detect.js';
import { IndicatorError, loadIndicators, type IndicatorSet } from '../monitor/indicators.js';
import type { ReplayInputs } from '../monitor/replay.js';
import { openStore, StoreError } from '../store/open.js';
import type { SqlStore } from '../store/sql-store.js';
import { UsageError } from './common.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `logsRepo: false` where `--repo` means something else (the timeline's filter). */
export function addInputOptions(cmd: Command, opts: { logsRepo?: boolean } = {}): Command {
  cmd
    .option('--webhooks <file>', 'webhook deliveries, JSON lines (envelopes or hook-delivery API objects); repeatable', collect)
    .option('--audit-log <file>', 'GitHub audit-log export (JSON array or JSON lines); repeatable', collect)
    .option('--logs <path>', 'job logs: a folder <repo>/<run_id>/<job>.txt, run-log zips, or one zip; repeatable', collect);
  if (opts.logsRepo !== false) cmd.option('--repo <owner/name>', 'repository for logs that no workflow_job event or path ties to one');
  return cmd
    .option('--contents <dir>', 'pushed workflow files laid out <owner>/<repo>/<sha>/<path>, for the static audit of workflow pushes')
    .option('--indicators <file>', 'extra or updated compromise indicators (same shape as the shipped file)');
}

export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--db <url>', 'store: postgres://user:pass@host/db, sqlite:PATH, or "memory" (default: SQLite in the data folder)')
    .option('--data <dir>', 'data folder (default: PIPEWARDEN_DATA_DIR, else the user cache folder)');
}

export function inputsFrom(raw: Record<string, unknown>, opts: { logsRepo?: boolean } = {}): ReplayInputs {
  const list = (k: string): string[] => (raw[k] as string[] | undefined) ?? [];
  const inputs: ReplayInputs = { webhooks: list('webhooks'), auditLogs: list('auditLog'), logs: list('logs') };
  for (const p of [...inputs.webhooks, ...inputs.auditLogs, ...inputs.logs]) {
    if (!existsSync(p)) throw new UsageError(`${p}: no such file or directory`);
  }
  const repo = opts.logsRepo === false ? undefined : (raw.repo as string | undefined);
  if (repo !== undefined) {
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) throw new UsageError(`--repo: "${repo}" is not owner/name`);
    inputs.repo = repo;
  }
  if (raw.contents !== undefined && !existsSync(raw.contents as string)) throw new UsageError(`--contents ${raw.contents as string}: no such directory`);
  return inputs;
}

export function hasInputs(i: ReplayInputs): boolean {
  return i.webhooks.length + i.auditLogs.length + i.logs.length > 0;
}

export async function openMonitorStore(raw: Record<string, unknown>): Promise<SqlStore> {
  try {
    return await openStore({ ...(typeof raw.db === 'string' && { db: raw.db }), dataDir: resolveDataDir(raw.data as string | undefined) });
  } catch (e) {
    if (e instanceof StoreError) throw new UsageError(e.message);
    throw e;
  }
}

export function indicatorsFrom(raw: Record<string, unknown>): IndicatorSet {
  try {
    return loadIndicators(raw.indicators as string | undefined);
  } catch (e) {
    if (e instanceof IndicatorError) throw new UsageError(e.message);
    throw e;
  }
}

export function settingsFrom(config: PipewardenConfig): MonitorSettings {
  const m = config.monitor ?? {};
  return {
    admins: m.admins ?? DEFAULT_SETTINGS.admins,
    bots: m.bots ?? DEFAULT_SETTINGS.bots,
    trustedDomains: m['trusted-domains'] ?? DEFAULT_SETTINGS.trustedDomains,
    baselineDays: m['baseline-days'] ?? DEFAULT_SETTINGS.baselineDays,
    followUpHours: m['follow-up-hours'] ?? DEFAULT_SETTINGS.followUpHours,
  };
}

/**
 * `2025-03-14T16:00:00Z`, `2025-03-14T16:00Z` or `2025-03-14` (UTC). A bare date as the end of a
 * range means the end of that day.
 */
export function parseTime(value: string, flag: string, end = false): number {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const t = Date.parse(`${v}T00:00:00Z`);
    if (!Number.isNaN(t)) return end ? t + 86_400_000 - 1 : t;
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v)) {
    const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`);
    if (!Number.isNaN(t)) return t;
  }
  throw new UsageError(`${flag}: "${value}" is not a date or time (use 2025-03-14 or 2025-03-14T16:00:00Z)`);
}

export function progressReporter(quiet: boolean): ((text: string) => void) | undefined {
  if (quiet || process.stderr.isTTY !== true) return undefined;
  return (text) => process.stderr.write(`\r\x1b[K${text}`);
}
