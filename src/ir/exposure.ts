/**
 * `ir exposure`: the blast radius of a compromised action. Every job that ran it in the window
 * (from the runner's "Download action repository" lines, or, without a log, from the workflow
 * file at the run's commit), whether it actually ran bad code, and which secrets it could read
 * (the audit log's `secrets_passed`, else the secrets its workflow references). The result is
 * the list of secrets to rotate, each with where it is defined.
 */
import type { WorkflowContentSource } from '../monitor/detect.js';
import { isFullSha, judgeActionUse, type ActionIndicator, type IndicatorSet } from '../monitor/indicators.js';
import { keys } from '../monitor/keys.js';
import type { StoredEvent } from '../monitor/model.js';
import type { MonitorStore } from '../monitor/store.js';

export interface ExposureQuery {
  action: string;
  ref?: string;
  from: number;
  to: number;
  /** Malicious commits known to the responder (beyond the indicators). */
  badShas?: string[];
}

export type JobStatus = 'affected' | 'likely' | 'not-affected';

export interface ExposedJob {
  repository: string;
  public: boolean | null;
  runId: number | null;
  jobId: number | null;
  job: string;
  workflow: string | null;
  startedAt: string;
  ref: string;
  /** The commit the ref resolved to when the job ran (from the log). */
  sha: string | null;
  status: JobStatus;
  reason: string;
  /** Log path relative to the logs folder (with the line of the download). */
  log: string | null;
  secrets: string[];
  secretsSource: 'audit-log' | 'workflow' | 'unknown';
  environment: string | null;
}

export interface SecretToRotate {
  name: string;
  scope: 'org' | 'repo' | 'environment';
  where: string;
  /** How the scope is known: an audit entry that created or updated it, or assumed (repository). */
  scopeSource: 'audit-log' | 'assumed';
  jobs: number;
}

export interface ExposureReport {
  action: string;
  ref: string | null;
  from: string;
  to: string;
  indicator: { id: string; advisory: string | null; title: string; sources: string[] } | null;
  jobs: ExposedJob[];
  secrets_to_rotate: SecretToRotate[];
  /** GITHUB_TOKEN: exposed in these jobs, expires with each job, never rotated by hand. */
  github_token_exposed_in: number;
  notes: string[];
}

const USES = /^\s*-?\s*uses:\s*['"]?([^'"\s#]+)@([^'"\s#]+)/gm;
const SECRET_REF = /secrets\.([A-Za-z_][A-Za-z0-9_]*)|secrets\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\]/g;

function findIndicator(set: IndicatorSet, action: string): ActionIndicator | undefined {
  return set.actions.find((i) => i.actions.includes(action.toLowerCase()));
}

function judge(q: ExposureQuery, set: IndicatorSet, use: { ref: string; sha?: string; time: number }): { status: JobStatus; reason: string } {
  const sha = use.sha?.toLowerCase() ?? (isFullSha(use.ref) ? use.ref.toLowerCase() : undefined);
  if (sha && q.badShas?.some((b) => b.toLowerCase() === sha)) return { status: 'affected', reason: `resolved to ${sha}, a known bad commit` };
  const verdict = judgeActionUse(set, { action: q.action, ref: use.ref, ...(use.sha && { sha: use.sha }), time: use.time });
  if (verdict?.kind === 'ran-bad-commit') return { status: 'affected', reason: `resolved to ${sha}, a published malicious commit (${verdict.indicator.advisory ?? verdict.indicator.id})` };
  if (verdict?.kind === 'in-window') return { status: 'likely', reason: `mutable ref ${use.ref} used inside the compromise window${sha ? `; ${sha} is not a listed bad commit but the list is incomplete` : '; no log line shows which commit ran'}` };
  if (findIndicator(set, q.action) || q.badShas?.length) {
    if (isFullSha(use.ref)) return { status: 'not-affected', reason: 'pinned to a commit that is not a known bad one' };
    if (sha) return { status: 'not-affected', reason: `resolved to ${sha}, not a known bad commit` };
    return { status: 'not-affected', reason: 'outside the compromise window' };
  }
  // No indicator: the responder's window is the compromise window.
  if (isFullSha(use.ref)) return { status: 'not-affected', reason: 'pinned to a full commit SHA (the attacker could not move it); pass --bad-sha if that commit is malicious' };
  return { status: 'likely', reason: `mutable ref ${use.ref} used in the window${sha ? ` (resolved to ${sha}; pass --bad-sha to classify)` : ''}` };
}

export async function exposure(store: MonitorStore, indicators: IndicatorSet, q: ExposureQuery, contents?: WorkflowContentSource): Promise<ExposureReport> {
  const action = q.action.toLowerCase();
  const jobs: ExposedJob[] = [];
  const notes: string[] = [];
  const covered = new Set<string>();
  const visibility = new Map<string, boolean | null>();

  const isPublic = async (repo: string, at: StoredEvent): Promise<boolean | null> => {
    const key = repo.toLowerCase();
    if (visibility.has(key)) return visibility.get(key)!;
    const events = await store.findByKey(keys.repo(repo), { to: at.time, order: 'desc', limit: 50 });
    const v = events.find((e) => e.facts.visibility)?.facts.visibility;
    const out = v === undefined ? null : v === 'public';
    visibility.set(key, out);
    return out;
  };

  // 1. Jobs whose log shows the download.
  const logs = await store.findByKey(keys.action(action), { from: q.from - 86_400_000, to: q.to });
  for (const e of logs) {
    const log = e.facts.log;
    if (!log || e.time < q.from || e.time > q.to) continue;
    for (const d of log.downloads) {
      if (d.action.toLowerCase() !== action || (q.ref && d.ref !== q.ref)) continue;
      const verdict = judge(q, indicators, { ref: d.ref, ...(d.sha && { sha: d.sha }), time: e.time });
      const repo = e.repository ?? '?';
      const jobName = log.jobName ?? e.facts.job?.name ?? '?';
      covered.add(`${repo.toLowerCase()}#${log.runId ?? '?'}#${jobName}`);
      jobs.push({
        repository: repo,
        public: e.repository ? await isPublic(e.repository, e) : null,
        runId: log.runId ?? null,
        jobId: e.facts.job?.jobId ?? null,
        job: jobName,
        workflow: e.facts.job?.workflowName ?? log.workflowRef ?? null,
        startedAt: new Date(e.time).toISOString(),
        ref: d.ref,
        sha: d.sha ?? null,
        ...verdict,
        log: `${log.path}:${d.line}`,
        secrets: [],
        secretsSource: 'unknown',
        environment: null,
      });
      break; // one entry per job, even if the log downloads the action twice
    }
  }

  // 2. Runs without logs: the workflow file at the run's commit, when the contents are known.
  let unverifiable = 0;
  const runs = await store.listEvents({ from: q.from, to: q.to, kinds: ['workflow_run'] });
  const seenRuns = new Set<string>();
  for (const e of runs) {
    const run = e.facts.run;
    if (e.kind !== 'workflow_run' || !run || !e.repository || seenRuns.has(`${e.repository}#${run.runId}`)) continue;
    seenRuns.add(`${e.repository}#${run.runId}`);
    const runJobs = (await store.findByKey(keys.run(e.repository, run.runId))).filter((j) => j.kind === 'workflow_job' && j.facts.job);
    const names = [...new Set(runJobs.map((j) => j.facts.job!.name))];
    const uncovered = names.filter((n) => !covered.has(`${e.repository!.toLowerCase()}#${run.runId}#${n}`));
    if (uncovered.length === 0) continue;
    const text = contents && run.path && run.headSha ? await contents.get(e.repository, run.headSha, run.path) : undefined;
    if (text === undefined) {
      unverifiable += uncovered.length;
      continue;
    }
    const uses = [...text.matchAll(USES)].filter((m) => m[1]!.toLowerCase().split('/').slice(0, 2).join('/') === action && (!q.ref || m[2] === q.ref));
    if (uses.length === 0) continue;
    const ref = uses[0]![2]!;
    for (const name of uncovered) {
      const j = runJobs.find((x) => x.facts.job!.name === name)!;
      const started = j.facts.job!.startedAt ?? j.time;
      const verdict = judge(q, indicators, { ref, time: started });
      jobs.push({
        repository: e.repository,
        public: await isPublic(e.repository, e),
        runId: run.runId,
        jobId: j.facts.job!.jobId ?? null,
        job: name,
        workflow: run.name ?? run.path ?? null,
        startedAt: new Date(started).toISOString(),
        ref,
        sha: null,
        ...verdict,
        reason: `${verdict.reason} (from ${run.path} at ${run.headSha!.slice(0, 12)}; no log)`,
        log: null,
        secrets: [],
        secretsSource: 'unknown',
        environment: null,
      });
    }
  }
  if (unverifiable) notes.push(`${unverifiable} job${unverifiable === 1 ? '' : 's'} in the window ha${unverifiable === 1 ? 's' : 've'} neither a log nor known workflow contents: whether they used ${q.action} cannot be checked (give --logs or --contents).`);

  // 3. Secrets each job could read.
  for (const job of jobs) {
    if (job.runId !== null) {
      const prepared = (await store.findByKey(keys.job(job.repository, job.runId, job.job))).find((x) => x.kind === 'workflows.prepared_workflow_job' && x.facts.job);
      if (prepared) {
        job.secrets = prepared.facts.job!.secretsPassed ?? [];
        job.secretsSource = 'audit-log';
        job.environment = prepared.facts.job!.environment ?? null;
        continue;
      }
    }
    const run = job.runId !== null ? (await store.findByKey(keys.run(job.repository, job.runId))).find((x) => x.facts.run?.path && x.facts.run.headSha) : undefined;
    const text = run && contents ? await contents.get(job.repository, run.facts.run!.headSha!, run.facts.run!.path!) : undefined;
    if (text !== undefined) {
      job.secrets = [...new Set([...text.matchAll(SECRET_REF)].map((m) => m[1] ?? m[2]!))].sort();
      job.secretsSource = 'workflow';
    }
  }

  // 4. What to rotate: every secret of an affected or likely job, with where it is defined.
  const exposed = jobs.filter((j) => j.status !== 'not-affected');
  const rotate = new Map<string, SecretToRotate>();
  for (const job of exposed) {
    for (const name of job.secrets) {
      if (name.toUpperCase() === 'GITHUB_TOKEN') continue;
      const def = await definitionOf(store, name, job);
      const key = `${name}\0${def.scope}\0${def.where}`;
      const entry = rotate.get(key) ?? { name, ...def, jobs: 0 };
      entry.jobs++;
      rotate.set(key, entry);
    }
  }
  if (exposed.some((j) => j.secretsSource === 'unknown')) notes.push('Some exposed jobs have no audit-log `secrets_passed` and no known workflow file: their secrets are not listed (export the audit log with workflows.prepared_workflow_job events).');

  const ind = findIndicator(indicators, action);
  jobs.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.repository.localeCompare(b.repository) || a.job.localeCompare(b.job)));
  return {
    action: q.action,
    ref: q.ref ?? null,
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    indicator: ind ? { id: ind.id, advisory: ind.advisory ?? null, title: ind.title, sources: ind.sources } : null,
    jobs,
    secrets_to_rotate: [...rotate.values()].sort((a, b) => a.name.localeCompare(b.name) || a.where.localeCompare(b.where)),
    github_token_exposed_in: exposed.length,
    notes,
  };
}

/** Where a secret is defined, from the audit log's secret events; the repository when unknown. */
async function definitionOf(store: MonitorStore, name: string, job: ExposedJob): Promise<Pick<SecretToRotate, 'scope' | 'where' | 'scopeSource'>> {
  const defs = await store.findByKey(keys.secretDef(name));
  const repo = job.repository.toLowerCase();
  const env = job.environment;
  const inEnv = env ? defs.find((d) => d.kind.startsWith('environment.') && d.repository?.toLowerCase() === repo && d.facts.audit?.environment_name === env) : undefined;
  if (inEnv) return { scope: 'environment', where: `${job.repository}:${env}`, scopeSource: 'audit-log' };
  const inRepo = defs.find((d) => d.kind.startsWith('repo.') && d.repository?.toLowerCase() === repo);
  if (inRepo) return { scope: 'repo', where: job.repository, scopeSource: 'audit-log' };
  const inOrg = defs.find((d) => d.kind.startsWith('org.'));
  if (inOrg) return { scope: 'org', where: inOrg.org ?? job.repository.split('/')[0]!, scopeSource: 'audit-log' };
  return { scope: 'repo', where: job.repository, scopeSource: 'assumed' };
}

export function exposureMarkdown(r: ExposureReport): string {
  const lines: string[] = [];
  lines.push(`# Exposure: ${r.action}${r.ref ? `@${r.ref}` : ''}`);
  lines.push('');
  lines.push(`Window: ${r.from} – ${r.to}${r.indicator ? `. Indicator: ${r.indicator.id}${r.indicator.advisory ? ` (${r.indicator.advisory})` : ''}: ${r.indicator.title}` : ''}.`);
  const affected = r.jobs.filter((j) => j.status === 'affected').length;
  const likely = r.jobs.filter((j) => j.status === 'likely').length;
  lines.push('');
  lines.push(`${r.jobs.length} job${r.jobs.length === 1 ? '' : 's'} used it: ${affected} affected, ${likely} likely affected, ${r.jobs.length - affected - likely} not affected.`);
  lines.push('');
  lines.push('## Secrets to rotate');
  lines.push('');
  if (r.secrets_to_rotate.length === 0) lines.push('None known. Check the notes below.');
  for (const s of r.secrets_to_rotate) lines.push(`- [ ] \`${s.name}\`: ${s.scope} secret of ${s.where}${s.scopeSource === 'assumed' ? ' (scope assumed: no audit entry says where it is defined)' : ''}; read by ${s.jobs} job${s.jobs === 1 ? '' : 's'}`);
  if (r.github_token_exposed_in) lines.push(`- GITHUB_TOKEN was readable in ${r.github_token_exposed_in} job${r.github_token_exposed_in === 1 ? '' : 's'}: it expires when each job ends; review what those tokens did (audit log, pushes, releases) instead of rotating.`);
  lines.push('');
  lines.push('## Jobs');
  lines.push('');
  lines.push('| status | repository | public | run | job | started | ref | resolved SHA | secrets | log |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  for (const j of r.jobs) {
    lines.push(`| ${j.status} | ${cell(j.repository)} | ${j.public === null ? '?' : j.public ? 'yes' : 'no'} | ${j.runId ?? '?'} | ${cell(j.job)} | ${j.startedAt} | ${cell(j.ref)} | ${j.sha ?? '?'} | ${j.secretsSource === 'unknown' ? '?' : cell(j.secrets.join(', ') || '-')} | ${cell(j.log ?? '-')} |`);
  }
  lines.push('');
  lines.push('## Checklist');
  lines.push('');
  lines.push('- [ ] Rotate every secret above, starting with those of public repositories (their logs are public).');
  lines.push('- [ ] Delete the logs of affected jobs after rotating (they may contain the secrets, often double base64 encoded).');
  lines.push(`- [ ] Pin ${r.action} to a reviewed full commit SHA everywhere, or remove it.`);
  lines.push('- [ ] Review what each exposed GITHUB_TOKEN could do (permissions of the job) and check the audit log for its use.');
  if (r.notes.length) {
    lines.push('');
    lines.push('## Notes');
    lines.push('');
    for (const n of r.notes) lines.push(`- ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Leading = + - @ would be formulas in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

export function exposureCsv(r: ExposureReport): string {
  return toCsv(
    ['status', 'repository', 'public', 'run_id', 'job_id', 'job', 'workflow', 'started_at', 'ref', 'sha', 'secrets', 'secrets_source', 'log', 'reason'],
    r.jobs.map((j) => [j.status, j.repository, j.public, j.runId, j.jobId, j.job, j.workflow, j.startedAt, j.ref, j.sha, j.secrets.join(' '), j.secretsSource, j.log, j.reason]),
  );
}
