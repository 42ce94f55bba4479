import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { compareFindings, SEVERITIES, severityRank, type Diagnostic, type Severity } from '../core/finding.js';
import { makeContext } from '../monitor/detect.js';
import type { Alert, StoredAlert, StoredEvent } from '../monitor/model.js';
import { alertDocs, alertRuleMetas, alertsJson, alertsText, alertToFinding, compareAlerts, publicAlert } from '../monitor/render.js';
import { FolderContents, replay } from '../monitor/replay.js';
import type { MonitorStore } from '../monitor/store.js';
import { renderReport, type Format } from '../report/index.js';
import { sanitize, useColorFor, checkOutputPath, printDiagnostics, resolveConfig, UsageError, writeOutputFile, writeStdout, type SharedOptions } from './common.js';
import { addInputOptions, addStoreOptions, hasInputs, indicatorsFrom, inputsFrom, openMonitorStore, progressReporter, settingsFrom } from './monitor-shared.js';
import { VERSION } from './version.js';

const EXAMPLES = `
Inputs (any combination; at least one):
  --webhooks FILE     deliveries as JSON lines: {"event","delivery","received_at","headers","payload"}
                      or GitHub hook-delivery objects {"guid","delivered_at","request":{"headers","payload"}}
  --audit-log FILE    the org audit-log export (JSON array or JSON lines)
  --logs PATH         job logs laid out <repo>/<run_id>/<job>.txt, run-log zips, or one zip

Everything is stored (append-only, idempotent: a second replay adds nothing) in the data folder's
SQLite file, or --db postgres://..., and merged in event-time order through the detectors the
server runs. --db memory keeps nothing.

Examples:
  $ pipewarden monitor replay --webhooks hooks.jsonl --audit-log audit.json --logs logs/
  $ pipewarden monitor replay --audit-log audit.json --format json -o alerts.json
  $ pipewarden monitor replay --logs run-123.zip --repo acme/api --db memory
  $ pipewarden monitor replay --webhooks hooks.jsonl --db postgres://pw@db.internal/pipewarden

Alert ids and what to do about each: docs/monitor.md.
Exit codes: 0 no alert at or above --fail-on (default high), 1 alerts at or above it or inputs that
could not be read (malformed records, truncated zips: listed on stderr), 2 usage or config error,
3 internal error.`;

export function registerMonitorCommand(program: Command): void {
  const monitor = program.command('monitor').description('monitoring: replay recorded webhooks, audit log and job logs through the detectors');
  const cmd = monitor.command('replay').description('replay recorded webhook deliveries, audit-log exports and job logs, and report alerts');
  addInputOptions(cmd);
  addStoreOptions(cmd);
  addOutputOptions(cmd).addHelpText('after', EXAMPLES).action(async (raw: Record<string, unknown>) => {
    const opts = outputOptions(raw);
    const inputs = inputsFrom(raw);
    if (!hasInputs(inputs)) throw new UsageError('nothing to replay: give --webhooks, --audit-log or --logs (see --help)');
    const config = resolveConfig(opts as SharedOptions, process.cwd());
    const indicators = indicatorsFrom(raw);
    const store = await openMonitorStore(raw);
    try {
      const progress = progressReporter(opts.quiet);
      const ctx = makeContext(store, indicators, {
        settings: settingsFrom(config),
        config,
        ...(typeof raw.contents === 'string' && { contents: new FolderContents(raw.contents) }),
      });
      const result = await replay(inputs, ctx, { ...(progress && { progress: (d, t) => progress(`replaying ${d}/${t} events`) }) });
      if (progress) process.stderr.write('\r\x1b[K');
      const alerts = result.alerts.filter((a) => !opts.minSeverity || severityRank(a.severity) >= severityRank(opts.minSeverity)).sort(compareAlerts);
      await emitAlerts(alerts, store, result.diagnostics, opts, inputs.logs);
      if (!opts.quiet) process.stderr.write(`replayed ${result.stats.events} event${result.stats.events === 1 ? '' : 's'} (${result.stats.inserted} new in the store), ${alerts.length} alert${alerts.length === 1 ? '' : 's'}\n`);
    } finally {
      await store.close();
    }
  });
}

export interface OutputOptions {
  format: 'text' | 'json' | 'sarif' | 'github' | 'gitlab' | 'markdown' | 'csv';
  output?: string;
  config?: string;
  minSeverity?: Severity;
  failOn: Severity | 'never';
  exitCode: boolean;
  quiet: boolean;
  color: 'auto' | 'always' | 'never';
}

export function addOutputOptions(cmd: Command, formats: string[] = ['text', 'json', 'sarif', 'github', 'gitlab']): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'report format').choices(formats).default(formats[0]))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-c, --config <file>', 'config file (default: discovered in the current folder\'s repository)')
    .addOption(new Option('--min-severity <level>', 'hide alerts below this severity').choices(['critical', 'high', 'medium', 'low', 'info']))
    .addOption(new Option('--fail-on <level>', 'exit 1 when an alert is at or above this severity').choices(['critical', 'high', 'medium', 'low', 'info', 'never']).default('high'))
    .option('--no-exit-code', 'always exit 0 when the command ran (still 2/3 on errors)')
    .option('-q, --quiet', 'no progress or notes on stderr', false)
    .addOption(new Option('--color <when>', 'colour the text report').choices(['auto', 'always', 'never']).default('auto'));
}

export function outputOptions(raw: Record<string, unknown>): OutputOptions {
  checkOutputPath(raw.output as string | undefined);
  return {
    format: raw.format as OutputOptions['format'],
    ...(typeof raw.output === 'string' && { output: raw.output }),
    ...(typeof raw.config === 'string' && { config: raw.config }),
    ...(typeof raw.minSeverity === 'string' && { minSeverity: raw.minSeverity as Severity }),
    failOn: raw.failOn as OutputOptions['failOn'],
    exitCode: raw.exitCode !== false,
    quiet: raw.quiet === true,
    color: (raw.color as OutputOptions['color']) ?? 'auto',
  };
}

/** Writes the report; when it goes to a file, `summary` (one line) still reaches stderr unless --quiet. */
export async function writeReport(text: string, opts: OutputOptions, summary?: string): Promise<void> {
  if (opts.output) {
    writeOutputFile(opts.output, text);
    if (summary !== undefined && !opts.quiet) process.stderr.write(`${summary} (report written to ${sanitize(opts.output)})\n`);
  } else await writeStdout(text);
}

/** `3 alerts: 1 critical, 2 high` / `no alerts`: the summary line of the text report of alerts. */
export function alertSummary(severities: readonly Severity[]): string {
  if (severities.length === 0) return 'no alerts';
  const parts = SEVERITIES.map((s) => [s, severities.filter((x) => x === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  return `${severities.length} ${severities.length === 1 ? 'alert' : 'alerts'}: ${parts.join(', ')}`;
}

export function useColor(opts: OutputOptions): boolean {
  return useColorFor(opts.color, opts.output !== undefined);
}

/** Renders alerts in the chosen format, prints diagnostics, sets the exit code. */
export async function emitAlerts(alerts: StoredAlert[] | Alert[], store: MonitorStore | undefined, diagnostics: Diagnostic[], opts: OutputOptions, logRoots: string[]): Promise<void> {
  printDiagnostics(opts.quiet ? diagnostics.filter((d) => d.level === 'error') : diagnostics);
  let text: string;
  if (opts.format === 'json') text = alertsJson(alerts, diagnostics, VERSION);
  else if (opts.format === 'text') text = alertsText(alerts.map(publicAlert), { color: useColor(opts) });
  else {
    const events = new Map<number, StoredEvent>();
    if (store) {
      const ids = alerts.flatMap((a) => ('eventIds' in a ? a.eventIds : []));
      for (const e of await store.getEvents(ids)) events.set(e.id, e);
    }
    const locate = (a: Alert): { file: string; line: number } => {
      const first = 'eventIds' in a ? events.get((a as StoredAlert).eventIds[0]!) : undefined;
      const ev = a.evidence[0];
      if (first?.source === 'log' && ev?.source === 'log') return { file: logRoots.length === 1 ? join(logRoots[0]!, ev.id.split('!')[0]!) : ev.id, line: ev.line ?? 1 };
      return { file: first?.facts.origin?.file ?? ev?.id ?? 'monitor', line: first?.facts.origin?.line ?? ev?.line ?? 1 };
    };
    const findings = alerts.map((a) => alertToFinding(a, locate)).sort(compareFindings);
    text = renderReport(findings, opts.format as Format, { rules: alertRuleMetas(), docsFor: (id) => alertDocs(id), sourceOf: () => undefined, toolVersion: VERSION, color: false, diagnostics, root: process.cwd(), suppressedCount: 0 });
  }
  await writeReport(text, opts, alertSummary(alerts.map((a) => a.severity)));
  setGate(alerts.map((a) => a.severity), diagnostics, opts);
}

/**
 * Exit 1 for alerts at or above --fail-on, and for inputs that could not be read (a malformed
 * record, a truncated zip): what could not be checked fails the gate. `--fail-on never` and
 * `--no-exit-code` turn both off.
 */
export function setGate(severities: Severity[], diagnostics: Diagnostic[], opts: OutputOptions): void {
  if (opts.failOn === 'never' || !opts.exitCode) {
    process.exitCode = 0;
    return;
  }
  const failing = severities.some((s) => severityRank(s) >= severityRank(opts.failOn as Severity));
  const unchecked = diagnostics.filter((d) => d.level === 'error').length;
  if (unchecked && !failing) process.stderr.write(`exit 1: ${unchecked} input error${unchecked === 1 ? '' : 's'} above; what they hid could not be checked (--fail-on never to ignore)\n`);
  process.exitCode = failing || unchecked ? 1 : 0;
}
