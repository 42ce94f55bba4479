import { resolve } from 'node:path';
import type { Command } from 'commander';
import { compareFindings, severityRank, type Severity } from '../core/finding.js';
import { summaryLine } from '../report/text.js';
import { exposure, exposureCsv, exposureMarkdown } from '../ir/exposure.js';
import { sweepLogs } from '../ir/sweep-logs.js';
import { timeline, timelineCsv, timelineMarkdown } from '../ir/timeline.js';
import { makeContext } from '../monitor/detect.js';
import { alertDocs, alertRuleMetas } from '../monitor/render.js';
import { FolderContents, replay } from '../monitor/replay.js';
import { renderReport, type Format } from '../report/index.js';
import type { SqlStore } from '../store/sql-store.js';
import { printDiagnostics, resolveConfig, UsageError, type SharedOptions } from './common.js';
import { addOutputOptions, outputOptions, setGate, useColor, writeReport, type OutputOptions } from './monitor.js';
import { addInputOptions, addStoreOptions, hasInputs, indicatorsFrom, inputsFrom, openMonitorStore, parseTime, settingsFrom } from './monitor-shared.js';
import { VERSION } from './version.js';

const EXPOSURE_HELP = `
Reads the store (the data folder, or --db), after loading any inputs given (--webhooks,
--audit-log, --logs; --db memory reads only those). A job is affected when its log shows the
action resolved to a known bad commit, likely affected when a mutable ref ran inside the
window without a conclusive commit, not affected when pinned to or resolved to another commit.
Secrets come from the audit log's workflows.prepared_workflow_job (secrets_passed), else from
the workflow file (--contents); GITHUB_TOKEN is reported as exposed, never as one to rotate.

Examples:
  $ pipewarden ir exposure --action tj-actions/changed-files --from 2025-03-14 --to 2025-03-15 \\
      --audit-log audit.json --logs logs/ --db memory --format markdown > checklist.md
  $ pipewarden ir exposure --action reviewdog/action-setup --ref v1 --from 2025-03-11T18:00Z --to 2025-03-11T21:00Z --format csv`;

const TIMELINE_HELP = `
Examples:
  $ pipewarden ir timeline --repo acme/api --from 2025-03-17 --to 2025-03-18 --format markdown
  $ pipewarden ir timeline --from 2025-03-13T09:00Z --to 2025-03-13T12:00Z --db postgres://pw@db/pipewarden --format csv`;

const SWEEP_HELP = `
Offline, no store: the secrets engine (every provider, inside base64/double base64/hex) plus
runner memory dumps and dumps of the secrets context. Values masked by the runner (***) and
documentation examples are not reported; output shows a short prefix and a mask, never a secret.

Examples:
  $ pipewarden ir sweep-logs logs/
  $ pipewarden ir sweep-logs run-1234.zip --format sarif -o sweep.sarif`;

export function registerIrCommand(program: Command): void {
  const ir = program.command('ir').description('incident response: exposure of a compromised action, timelines, log sweeps');

  const exp = ir
    .command('exposure')
    .description('every job that ran an action in a window, whether it ran bad code, and the secrets to rotate')
    .requiredOption('--action <owner/repo>', 'the compromised action')
    .option('--ref <ref>', 'only uses of this ref (tag, branch or SHA)')
    .requiredOption('--from <time>', 'start of the window (2025-03-14 or 2025-03-14T16:00:00Z)')
    .requiredOption('--to <time>', 'end of the window (a bare date means the end of that day)')
    .option('--bad-sha <sha>', 'a malicious commit of the action (repeatable), besides the shipped indicators', (v: string, p: string[] = []) => [...p, v]);
  addInputOptions(exp);
  addStoreOptions(exp);
  addOutputOptions(exp, ['json', 'markdown', 'csv'])
    .addHelpText('after', EXPOSURE_HELP)
    .action(async (raw: Record<string, unknown>) => {
      const opts = outputOptions(raw);
      const action = String(raw.action);
      if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(action)) throw new UsageError(`--action: "${action}" is not owner/repo`);
      const badShas = (raw.badSha as string[] | undefined) ?? [];
      if (badShas.some((s) => !/^[0-9a-f]{40}$/i.test(s))) throw new UsageError('--bad-sha needs full 40-character commit SHAs');
      const from = parseTime(String(raw.from), '--from');
      const to = parseTime(String(raw.to), '--to', true);
      if (to < from) throw new UsageError('--to is before --from');
      await withLoadedStore(raw, opts, {}, async (store, contents) => {
        const report = await exposure(store, indicatorsFrom(raw), { action, ...(typeof raw.ref === 'string' && { ref: raw.ref }), from, to, badShas }, contents);
        const text = opts.format === 'markdown' ? exposureMarkdown(report) : opts.format === 'csv' ? exposureCsv(report) : `${JSON.stringify(report, null, 2)}\n`;
        await writeReport(text, opts);
        const bad = report.jobs.filter((j) => j.status !== 'not-affected').length;
        if (!opts.quiet) process.stderr.write(`${report.jobs.length} job${report.jobs.length === 1 ? '' : 's'} used ${action}; ${bad} affected or likely; ${report.secrets_to_rotate.length} secret${report.secrets_to_rotate.length === 1 ? '' : 's'} to rotate\n`);
        for (const n of opts.quiet ? [] : report.notes) process.stderr.write(`note: ${n}\n`);
        // Affected jobs are findings for the gate: high (likely) and critical (affected).
        const worst: Severity | undefined = report.jobs.some((j) => j.status === 'affected') ? 'critical' : bad ? 'high' : undefined;
        process.exitCode = opts.exitCode && worst && opts.failOn !== 'never' && severityRank(worst) >= severityRank(opts.failOn) ? 1 : 0;
      });
    });

  const tl = ir
    .command('timeline')
    .description('every stored event and alert in a window, merged in time order')
    .option('--repo <owner/name>', 'one repository (org-level events: give the org login)')
    .requiredOption('--from <time>', 'start (2025-03-14 or 2025-03-14T16:00:00Z)')
    .requiredOption('--to <time>', 'end (a bare date means the end of that day)')
    .option('--limit <n>', 'at most this many events (default 100000)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit: "${v}" is not a positive number`);
      return n;
    });
  addInputOptions(tl, { logsRepo: false });
  addStoreOptions(tl);
  addOutputOptions(tl, ['json', 'csv', 'markdown'])
    .addHelpText('after', TIMELINE_HELP)
    .action(async (raw: Record<string, unknown>) => {
      const opts = outputOptions(raw);
      const from = parseTime(String(raw.from), '--from');
      const to = parseTime(String(raw.to), '--to', true);
      if (to < from) throw new UsageError('--to is before --from');
      await withLoadedStore(raw, opts, { logsRepo: false }, async (store) => {
        const repo = typeof raw.repo === 'string' ? raw.repo : undefined;
        const { entries, truncated } = await timeline(store, { from, to, ...(repo && { repository: repo }), ...(typeof raw.limit === 'number' && { limit: raw.limit }) });
        const text = opts.format === 'csv' ? timelineCsv(entries) : opts.format === 'markdown' ? timelineMarkdown(entries, `${repo ?? 'all repositories'}, ${new Date(from).toISOString()} – ${new Date(to).toISOString()}`) : `${JSON.stringify(entries, null, 2)}\n`;
        await writeReport(text, opts);
        if (truncated) process.stderr.write(`warning: more events than --limit; the timeline is cut (narrow the window or raise --limit)\n`);
        process.exitCode = 0;
      });
    });

  const sweep = ir.command('sweep-logs').description('secret-in-log over a folder or zip of job logs, offline').argument('<path>', 'a logs folder, a log file, or a run-log zip');
  addOutputOptions(sweep)
    .addHelpText('after', SWEEP_HELP)
    .action(async (path: string, raw: Record<string, unknown>) => {
      const opts = outputOptions(raw);
      const config = resolveConfig(opts as SharedOptions, process.cwd());
      const result = await sweepLogs(resolve(path), path, config);
      const findings = result.findings.filter((f) => !opts.minSeverity || severityRank(f.severity) >= severityRank(opts.minSeverity)).sort(compareFindings);
      printDiagnostics(opts.quiet ? result.diagnostics.filter((d) => d.level === 'error') : result.diagnostics);
      const rules = alertRuleMetas().filter((r) => r.id === 'monitor/secret-in-log');
      await writeReport(
        renderReport(findings, opts.format as Format, { rules, docsFor: (id) => alertDocs(id), sourceOf: () => undefined, toolVersion: VERSION, color: useColor(opts), diagnostics: result.diagnostics, root: process.cwd(), suppressedCount: 0 }),
        opts,
        summaryLine(findings, 0),
      );
      if (!opts.quiet) process.stderr.write(`swept ${result.logs} log${result.logs === 1 ? '' : 's'} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB)\n`);
      setGate(findings.map((f) => f.severity), result.diagnostics, opts);
    });
}

/** Opens the store, loads the inputs given (if any) through the detectors, runs `body`. */
async function withLoadedStore(raw: Record<string, unknown>, opts: OutputOptions, inputOpts: { logsRepo?: boolean }, body: (store: SqlStore, contents?: FolderContents) => Promise<void>): Promise<void> {
  const inputs = inputsFrom(raw, inputOpts);
  const store = await openMonitorStore(raw);
  try {
    const contents = typeof raw.contents === 'string' ? new FolderContents(raw.contents) : undefined;
    if (hasInputs(inputs)) {
      const config = resolveConfig(opts as SharedOptions, process.cwd());
      const ctx = makeContext(store, indicatorsFrom(raw), { settings: settingsFrom(config), config, ...(contents && { contents }) });
      const result = await replay(inputs, ctx);
      printDiagnostics(opts.quiet ? result.diagnostics.filter((d) => d.level === 'error') : result.diagnostics);
    }
    await body(store, contents);
  } finally {
    await store.close();
  }
}
