/**
 * Reads recorded inputs into normalised records: webhook deliveries (JSON lines), audit-log
 * exports (JSON array or lines) and job logs (folders or zips). Each record keeps its origin
 * (file and line) for diagnostics and SARIF; a bad record is reported and skipped, never fatal.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '../../core/finding.js';
import { normalizeAudit } from '../events/audit.js';
import { normalizeLog, type LogMeta } from '../events/job-log.js';
import { normalizeWebhook, type NormalizedRecord } from '../events/webhook.js';
import type { JobFacts } from '../model.js';
import { normJob, readLogs } from './logs.js';
import { splitRecords } from './records.js';

/** Input files are read whole; beyond this they are refused with a diagnostic. */
export const MAX_INPUT_BYTES = 2 * 1024 ** 3 - 1;
/** Times going backwards by less than this are delivery jitter, not worth a diagnostic. */
const ORDER_TOLERANCE_MS = 60_000;
const MAX_ORDER_REPORTS = 20;

function readInput(path: string, report: (d: Diagnostic) => void): Buffer | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile()) {
      report({ level: 'error', file: path, message: 'not a file' });
      return undefined;
    }
    if (st.size > MAX_INPUT_BYTES) {
      report({ level: 'error', file: path, message: `file is ${st.size >> 20} MiB, over the ${MAX_INPUT_BYTES >> 20} MiB limit; skipped` });
      return undefined;
    }
    return readFileSync(path);
  } catch (e) {
    report({ level: 'error', file: path, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return undefined;
  }
}

type Normalizer = typeof normalizeWebhook;

function readRecordFile(path: string, normalize: Normalizer, report: (d: Diagnostic) => void): NormalizedRecord[] {
  const buf = readInput(path, report);
  if (!buf) return [];
  const { records, diagnostics } = splitRecords(buf, path);
  diagnostics.forEach(report);
  const out = records.map((r) => normalize(r.value, r.raw, { file: path, line: r.line }, report)).filter((x): x is NormalizedRecord => x !== undefined);
  checkOrder(out, path, report);
  return out;
}

export function readWebhookFile(path: string, report: (d: Diagnostic) => void): NormalizedRecord[] {
  return readRecordFile(path, normalizeWebhook, report);
}

export function readAuditFile(path: string, report: (d: Diagnostic) => void): NormalizedRecord[] {
  return readRecordFile(path, normalizeAudit, report);
}

/**
 * Records are replayed in event-time order whatever their order in the file; a file whose times
 * jump backwards (beyond delivery jitter) against its own dominant order gets one diagnostic per
 * jump, so a spliced or mis-sorted export is noticed. Audit exports newest-first are normal.
 */
export function checkOrder(records: NormalizedRecord[], file: string, report: (d: Diagnostic) => void): void {
  let up = 0;
  let down = 0;
  for (let i = 1; i < records.length; i++) {
    const d = records[i]!.event.time - records[i - 1]!.event.time;
    if (d > ORDER_TOLERANCE_MS) up++;
    else if (d < -ORDER_TOLERANCE_MS) down++;
  }
  const descending = down > up;
  let reported = 0;
  let extra = 0;
  for (let i = 1; i < records.length; i++) {
    const prev = records[i - 1]!;
    const cur = records[i]!;
    const d = cur.event.time - prev.event.time;
    const wrong = descending ? d > ORDER_TOLERANCE_MS : d < -ORDER_TOLERANCE_MS;
    if (!wrong) continue;
    if (reported >= MAX_ORDER_REPORTS) {
      extra++;
      continue;
    }
    reported++;
    report({
      level: 'warning',
      file,
      line: cur.event.facts.origin?.line,
      message: `out of order: ${new Date(cur.event.time).toISOString()} is ${descending ? 'later' : 'earlier'} than the previous record (line ${prev.event.facts.origin?.line ?? '?'}, ${new Date(prev.event.time).toISOString()}) in a file sorted ${descending ? 'newest first' : 'oldest first'}; events are replayed in time order`,
    });
  }
  if (extra) report({ level: 'warning', file, message: `${extra} more out-of-order records not listed` });
}

interface RunInfo {
  repository?: string;
  org?: string;
  jobs: Map<string, JobFacts>;
}

/** Runs and jobs named by workflow_job / workflow_run / audit events: how logs find their job. */
export function indexRuns(records: NormalizedRecord[]): Map<number, RunInfo> {
  const runs = new Map<number, RunInfo>();
  for (const { event } of records) {
    const runId = event.facts.job?.runId ?? event.facts.run?.runId;
    if (runId === undefined) continue;
    const info: RunInfo = runs.get(runId) ?? { jobs: new Map() };
    info.repository ??= event.repository;
    info.org ??= event.org;
    const job = event.facts.job;
    if (job?.name) {
      const key = normJob(job.name);
      // Keep the most informative record: completed workflow_job events carry times and runner.
      const prev = info.jobs.get(key);
      info.jobs.set(key, { ...prev, ...job, labels: job.labels?.length ? job.labels : (prev?.labels ?? []), secretsPassed: job.secretsPassed?.length ? job.secretsPassed : prev?.secretsPassed });
    }
    runs.set(runId, info);
  }
  return runs;
}

export async function readLogInputs(
  paths: string[],
  runs: Map<number, RunInfo>,
  opts: { repo?: string },
  report: (d: Diagnostic) => void,
): Promise<NormalizedRecord[]> {
  const out: NormalizedRecord[] = [];
  for (const p of paths) {
    for (const f of await readLogs(p, p, report)) {
      const meta = resolveLog(f.meta, runs, opts.repo);
      if (!meta.repository) {
        report({ level: 'warning', file: `${p}/${f.meta.path}`, message: `cannot tie this log to a repository (no workflow_job event for run ${f.meta.runId ?? '?'}, no owner/name in its path, no --repo): stored without one` });
      }
      if (meta.runId !== undefined && meta.jobName && !meta.job && runs.has(meta.runId)) {
        report({ level: 'note', file: `${p}/${f.meta.path}`, message: `no job named "${meta.jobName}" in the workflow_job events of run ${meta.runId}` });
      }
      out.push(normalizeLog(f.raw, meta));
    }
  }
  return out;
}

function resolveLog(meta: LogMeta, runs: Map<number, RunInfo>, repoFlag: string | undefined): LogMeta {
  const run = meta.runId !== undefined ? runs.get(meta.runId) : undefined;
  let repository = run?.repository;
  if (!repository && meta.repository?.includes('/')) repository = meta.repository;
  if (!repository && repoFlag) repository = repoFlag;
  if (!repository && meta.repository && run?.org) repository = `${run.org}/${meta.repository}`;
  const org = run?.org ?? repository?.split('/')[0];
  const job = meta.jobName ? run?.jobs.get(normJob(meta.jobName)) : undefined;
  return {
    ...meta,
    ...(repository ? { repository } : { repository: undefined }),
    ...(org && { org }),
    ...(job && { job, jobName: job.name }),
    ...(job?.runAttempt !== undefined && { runAttempt: job.runAttempt }),
  };
}
