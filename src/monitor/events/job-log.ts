/**
 * GitHub Actions job logs → events. A log line is `<ISO timestamp> <text>` (the runner's format,
 * https://docs.github.com/en/actions/monitoring-and-troubleshooting-workflows/monitoring-workflows/using-workflow-run-logs);
 * `##[group]`/`##[endgroup]` fold sections and the runner prints `***` where it masked a secret.
 * What we read from the text, all optional:
 * - `Download action repository 'OWNER/REPO@REF' (SHA:<40 hex>)`: the action and the commit the
 *   ref resolved to when the job ran (the evidence for compromised-action-used);
 * - `Runner name: '<name>'` in "Set up job";
 * - `Uses: <owner/repo/path@ref>` / `Job defined at: ...` for the workflow file.
 */
import { createHash } from 'node:crypto';
import type { JobFacts, LogFacts, NewEvent } from '../model.js';
import { keys } from '../keys.js';
import { oneLine } from './fields.js';
import type { NormalizedRecord } from './webhook.js';

const TIMESTAMP = /^\uFEFF?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) ?/;
const DOWNLOAD = /Download action repository '([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)@([^']+)' \(SHA:([0-9a-fA-F]{40})\)/;
const RUNNER = /^Runner name: '([^']*)'/;
const USES = /^(?:Uses|Job defined at): (\S+)/;

export interface ParsedLog {
  /** The log text as stored (for scanning); line numbers are 1-based into it. */
  text: string;
  lineCount: number;
  downloads: LogFacts['downloads'];
  runnerName?: string;
  workflowRef?: string;
  firstTime?: number;
  lastTime?: number;
}

export function parseJobLog(text: string): ParsedLog {
  const downloads: LogFacts['downloads'] = [];
  let runnerName: string | undefined;
  let workflowRef: string | undefined;
  let firstTime: number | undefined;
  let lastTime: number | undefined;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    const ts = TIMESTAMP.exec(line);
    if (ts) {
      const t = Date.parse(ts[1]!);
      if (!Number.isNaN(t)) {
        firstTime ??= t;
        lastTime = t;
      }
      line = line.slice(ts[0].length);
    }
    if (line.length > 400) continue; // the lines below are short; long ones are output
    const d = DOWNLOAD.exec(line);
    if (d) {
      downloads.push({ action: d[1]!, ref: d[2]!, sha: d[3]!.toLowerCase(), line: lineNo });
      continue;
    }
    if (runnerName === undefined) {
      const r = RUNNER.exec(line);
      if (r) runnerName = r[1];
    }
    if (workflowRef === undefined) {
      const u = USES.exec(line);
      if (u) workflowRef = u[1];
    }
    if (end === text.length) break;
  }
  return {
    text,
    lineCount: lineNo,
    downloads,
    ...(runnerName !== undefined && { runnerName }),
    ...(workflowRef !== undefined && { workflowRef }),
    ...(firstTime !== undefined && { firstTime }),
    ...(lastTime !== undefined && { lastTime }),
  };
}

/** What is known about a log before reading it: where it came from and which job it belongs to. */
export interface LogMeta {
  /** Path relative to the logs folder (`zip!entry` inside archives): the evidence id. */
  path: string;
  /** The input the path is relative to, for diagnostics and SARIF. */
  file: string;
  repository?: string;
  org?: string;
  runId?: number;
  runAttempt?: number;
  jobName?: string;
  /** The matching workflow_job / prepared_workflow_job facts, when the replay found them. */
  job?: JobFacts;
  /** A time to use when the log has no timestamps (file or zip entry mtime). */
  fallbackTime?: number;
  truncated?: boolean;
}

export function normalizeLog(raw: Buffer, meta: LogMeta): NormalizedRecord & { payload: ParsedLog } {
  const parsed = parseJobLog(raw.toString('utf8'));
  const hash = createHash('sha256').update(raw).digest('hex');
  const t = meta.job?.startedAt ?? parsed.firstTime ?? meta.fallbackTime ?? 0;
  const log: LogFacts = {
    path: meta.path,
    ...(meta.runId !== undefined && { runId: meta.runId }),
    ...(meta.jobName !== undefined && { jobName: meta.jobName }),
    downloads: parsed.downloads,
    ...(parsed.runnerName !== undefined && { runnerName: parsed.runnerName }),
    ...(parsed.workflowRef !== undefined && { workflowRef: parsed.workflowRef }),
    lines: parsed.lineCount,
    bytes: raw.length,
    ...(meta.truncated && { truncated: true }),
  };
  const k: string[] = [keys.log(meta.path)];
  if (meta.repository) {
    k.push(keys.repo(meta.repository));
    if (meta.runId !== undefined) {
      k.push(keys.run(meta.repository, meta.runId));
      if (meta.jobName) k.push(keys.job(meta.repository, meta.runId, meta.jobName));
    }
  }
  for (const d of parsed.downloads) k.push(keys.action(d.action));
  const event: NewEvent = {
    // The same log content for the same job is one event, however often it is replayed.
    dedupKey: `log:${meta.repository ?? '?'}#${meta.runId ?? '?'}#${meta.runAttempt ?? 1}#${meta.jobName ?? meta.path}:${hash}`,
    source: 'log',
    kind: 'job_log',
    time: t,
    ...(meta.org && { org: meta.org }),
    ...(meta.repository && { repository: meta.repository }),
    evidenceId: meta.path,
    summary: oneLine(`job log ${meta.jobName ? `"${meta.jobName}" ` : ''}${meta.runId !== undefined ? `of run ${meta.runId} ` : ''}(${parsed.lineCount} lines, ${parsed.downloads.length} actions downloaded)`),
    keys: k,
    facts: { origin: { file: meta.file }, log, ...(meta.job && { job: meta.job }) },
    raw,
  };
  return { event, payload: parsed };
}
