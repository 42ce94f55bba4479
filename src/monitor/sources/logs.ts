/**
 * Finds job logs: a folder laid out `<repo>/<run_id>/<job>.txt` (`<repo>` is `owner/name` or
 * just `name`), GitHub run-log zips anywhere in it (`<repo>/<run_id>.zip`), or one zip. Inside a
 * run-log zip, `N_<job>.txt` at the top is the whole job log and `<job>/N_<step>.txt` its steps;
 * steps are joined only for jobs without a whole-job file, so nothing is scanned twice.
 * Symbolic links are never followed; files are capped in size (the rest is reported, not read).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Diagnostic } from '../../core/finding.js';
import { looksBinary } from '../../sources/read.js';
import { walkTree } from '../../sources/walk.js';
import type { LogMeta } from '../events/job-log.js';
import { readZip, type ZipTextEntry } from './zip.js';

export const MAX_LOG_BYTES = 64 << 20;

export interface LogFile {
  raw: Buffer;
  meta: LogMeta;
}

export interface LogPathInfo {
  repository?: string;
  runId?: number;
  jobName?: string;
}

/** Reads every log under `path` (a folder, a .txt/.log file, or a .zip). */
export async function readLogs(path: string, display: string, report: (d: Diagnostic) => void): Promise<LogFile[]> {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    report({ level: 'error', file: display, message: 'no such file or directory' });
    return [];
  }
  const out: LogFile[] = [];
  if (st.isFile()) {
    const name = basename(abs);
    if (/\.zip$/i.test(name)) out.push(...(await logsFromZip(abs, name, display, report)));
    else {
      const f = readCapped(abs, display, report);
      if (f) out.push({ raw: f.raw, meta: { path: name, file: display, ...infoFromPath(name), fallbackTime: st.mtimeMs, ...(f.truncated && { truncated: true }) } });
    }
    return out;
  }
  const diag = (d: Diagnostic): void => report({ ...d, file: d.file ? `${display}/${d.file}` : display });
  for (const entry of walkTree(abs, { gitignore: false, accept: (rel) => /\.(?:txt|log|zip)$/i.test(rel) }, diag)) {
    if (/\.zip$/i.test(entry.rel)) {
      out.push(...(await logsFromZip(entry.abs, entry.rel, `${display}/${entry.rel}`, report)));
      continue;
    }
    const f = readCapped(entry.abs, `${display}/${entry.rel}`, report);
    if (!f) continue;
    out.push({
      raw: f.raw,
      meta: { path: entry.rel, file: display, ...infoFromPath(entry.rel), fallbackTime: statSync(entry.abs).mtimeMs, ...(f.truncated && { truncated: true }) },
    });
  }
  return out;
}

function readCapped(abs: string, display: string, report: (d: Diagnostic) => void): { raw: Buffer; truncated: boolean } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const size = statSync(abs).size;
    const n = Math.min(size, MAX_LOG_BYTES);
    const buf = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const got = readSync(fd, buf, off, n - off, off);
      if (got === 0) break;
      off += got;
    }
    const raw = buf.subarray(0, off);
    if (looksBinary(raw)) {
      report({ level: 'note', file: display, message: 'binary file, not a job log; skipped' });
      return undefined;
    }
    if (size > MAX_LOG_BYTES) report({ level: 'warning', file: display, message: `log is ${size >> 20} MiB; only the first ${MAX_LOG_BYTES >> 20} MiB are read` });
    return { raw, truncated: size > MAX_LOG_BYTES };
  } catch (e) {
    report({ level: 'error', file: display, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * `acme/api/1234/build.txt` → repository acme/api, run 1234, job build. `api/1234/build.txt`
 * gives repository `api` (the org comes from the matching workflow_job event or --repo).
 */
export function infoFromPath(rel: string): LogPathInfo {
  const parts = rel.split('/');
  const file = parts.pop() ?? '';
  let runIndex = -1;
  for (let i = parts.length - 1; i >= 0; i--) {
    if (/^\d{1,15}$/.test(parts[i]!)) {
      runIndex = i;
      break;
    }
  }
  const jobName = file.replace(/\.(?:txt|log)$/i, '');
  if (runIndex === -1) return { jobName };
  const repoParts = parts.slice(Math.max(0, runIndex - 2), runIndex);
  return {
    ...(repoParts.length > 0 && { repository: repoParts.join('/') }),
    runId: Number(parts[runIndex]),
    jobName,
  };
}

async function logsFromZip(abs: string, rel: string, display: string, report: (d: Diagnostic) => void): Promise<LogFile[]> {
  let buf: Buffer;
  let mtime: number;
  try {
    const st = statSync(abs);
    if (st.size > 8 * MAX_LOG_BYTES) {
      report({ level: 'error', file: display, message: `zip is ${st.size >> 20} MiB, over the ${(8 * MAX_LOG_BYTES) >> 20} MiB limit; skipped` });
      return [];
    }
    mtime = st.mtimeMs;
    const fd = openSync(abs, 'r');
    try {
      buf = Buffer.allocUnsafe(st.size);
      let off = 0;
      while (off < st.size) {
        const n = readSync(fd, buf, off, st.size - off, off);
        if (n === 0) break;
        off += n;
      }
      buf = buf.subarray(0, off);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    report({ level: 'error', file: display, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return [];
  }
  const entries = await readZip(buf, display, report, { maxEntryBytes: MAX_LOG_BYTES, maxTotalBytes: 8 * MAX_LOG_BYTES, maxEntries: 20_000 });
  // `acme/api/1234.zip` or `acme/api/1234/logs.zip`: the run is the zip name or its folder.
  const stem = rel.replace(/\.zip$/i, '');
  const base = /^\d+$/.test(basename(stem)) ? infoFromPath(`${stem}/x.txt`) : infoFromPath(rel);
  const jobs = jobLogsOfArchive(entries);
  return jobs.map((j) => ({
    raw: j.data,
    meta: {
      path: `${rel}!${j.name}`,
      file: display,
      ...(base.repository && { repository: base.repository }),
      ...(base.runId !== undefined && { runId: base.runId }),
      jobName: j.jobName,
      fallbackTime: mtime,
      ...(j.truncated && { truncated: true }),
    },
  }));
}

/** Whole-job files win; step files are joined (in step order) only for jobs without one. */
export function jobLogsOfArchive(entries: ZipTextEntry[]): Array<{ name: string; jobName: string; data: Buffer; truncated: boolean }> {
  const whole = new Map<string, { name: string; jobName: string; data: Buffer; truncated: boolean }>();
  const steps = new Map<string, Array<{ n: number; e: ZipTextEntry }>>();
  for (const e of entries) {
    if (looksBinary(e.data)) continue;
    const top = /^(?:\d+_)?([^/]+)\.txt$/i.exec(e.name);
    if (top) {
      whole.set(normJob(top[1]!), { name: e.name, jobName: top[1]!, data: e.data, truncated: e.truncated });
      continue;
    }
    const step = /^([^/]+)\/(\d+)_[^/]*\.txt$/i.exec(e.name);
    if (step) {
      const list = steps.get(step[1]!) ?? [];
      list.push({ n: Number(step[2]), e });
      steps.set(step[1]!, list);
    }
  }
  const out = [...whole.values()];
  for (const [job, list] of steps) {
    if (whole.has(normJob(job))) continue;
    list.sort((a, b) => a.n - b.n);
    out.push({ name: `${job}/`, jobName: job, data: Buffer.concat(list.map((s) => s.e.data)), truncated: list.some((s) => s.e.truncated) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Job names in file names lose characters GitHub cannot put in a path; compare loosely. */
export function normJob(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
