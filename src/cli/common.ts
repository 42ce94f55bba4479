import { existsSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { Option, type Command } from 'commander';
import { compareFindings, isConfidence, isSeverity, type Confidence, type Diagnostic, type Finding, type Severity } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import { applyPolicy, exitCodeFor } from '../core/policy.js';
import { parseBaseline, writeBaseline } from '../core/baseline.js';
import { renderReport } from '../report/index.js';
import { summaryLine } from '../report/text.js';
import { unknownInlineIgnores } from './inline-ignores.js';
import { unknownRuleDiagnostics } from '../config/rule-ids.js';
import { maskReportTexts } from '../report/mask.js';
import { FORMATS, type Format, type ReportContext } from '../report/types.js';
import type { PipewardenConfig } from '../config/types.js';
import { DEFAULT_CONFIG } from '../config/types.js';
import { discoverConfig, findRepoRoot, loadConfig } from '../config/load.js';
import { VERSION } from './version.js';
import { BASE_SCAN_CONFIG_FLAG, BASE_SCAN_OUTPUT_FLAG, baseScanResult, newOnlyNote, NewOnlyError, startBaseScan, type BaseScanFile, type BaseScanResult } from './new-only.js';

/** Options every scanning command shares (DESIGN.md "Shared flags"). */
export interface SharedOptions {
  format: Format;
  output?: string;
  config?: string;
  minSeverity?: Severity;
  minConfidence?: Confidence;
  failOn: Severity | 'never';
  exitCode: boolean;
  baseline?: string;
  writeBaseline?: string;
  online: boolean;
  quiet: boolean;
  color: 'auto' | 'always' | 'never';
  /** `--FORMAT-output FILE`: more reports of the same findings, written beside the main one. */
  extraOutputs: Array<{ format: Format; file: string }>;
  /** `--new-only REF`: leave out findings the merge base of HEAD and REF already had. */
  newOnly?: string;
  /** Set only in the child process that scans the merge base for a `--new-only` parent. */
  baseScan?: { output: string; config?: string };
}

// Thrown for user mistakes (bad flag, bad config): exit code 2. Defined in errors.ts (see there).
import { UsageError, isClosedPipe } from './errors.js';
export { UsageError, isClosedPipe };

export function addSharedOptions(cmd: Command): Command {
  return addExtraOutputOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'report format').choices([...FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-c, --config <file>', 'config file (default: discovered at the repo root)')
    .addOption(new Option('--min-severity <level>', 'hide findings below this severity').choices(['critical', 'high', 'medium', 'low', 'info']))
    .addOption(new Option('--min-confidence <level>', 'hide findings below this confidence').choices(['high', 'medium', 'low']))
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this severity').choices(['critical', 'high', 'medium', 'low', 'info', 'never']).default('high'))
    .option('--no-exit-code', 'always exit 0 when the scan ran (still 2/3 on errors)')
    .option('--baseline <file>', 'hide findings whose fingerprints are in this baseline file')
    .option('--write-baseline <file>', 'write all current findings to a baseline file')
    .option('--online', 'allow network access (GitHub API, advisories, verification)', false)
    .option('-q, --quiet', 'no progress or notes on stderr', false)
    .addOption(new Option('--color <when>', 'colour the text report').choices(['auto', 'always', 'never']).default('auto'))
    .addOption(new Option('--json-output <file>', 'also write the report as JSON to FILE (likewise --sarif-output, --gitlab-output, ... for every format)'))
    .addOption(new Option('--sarif-output <file>').hideHelp())
    .option('--new-only <ref>', 'report only findings that are not at the merge base of HEAD and REF (e.g. origin/main): what a pull request introduces')
    .addOption(new Option(`${BASE_SCAN_OUTPUT_FLAG} <file>`).hideHelp())
    .addOption(new Option(`${BASE_SCAN_CONFIG_FLAG} <file>`).hideHelp());
}

/** `--json-output` is listed in --help; the others are the same idea for each format. */
function addExtraOutputOptions(cmd: Command): Command {
  for (const format of FORMATS) {
    if (format !== 'json' && format !== 'sarif') cmd.addOption(new Option(`--${format}-output <file>`).hideHelp());
  }
  return cmd;
}

function extraOutputsOf(raw: Record<string, unknown>): SharedOptions['extraOutputs'] {
  const out: SharedOptions['extraOutputs'] = [];
  for (const format of FORMATS) {
    const file = raw[`${format.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())}Output`];
    if (typeof file === 'string') out.push({ format, file });
  }
  return out;
}

export function normalizeShared(raw: Record<string, unknown>): SharedOptions {
  const minSeverity = raw.minSeverity;
  const minConfidence = raw.minConfidence;
  checkOutputPath(raw.output as string | undefined);
  checkOutputPath(raw.writeBaseline as string | undefined, 'the baseline');
  for (const extra of extraOutputsOf(raw)) checkOutputPath(extra.file, `the ${extra.format} report`);
  return {
    format: raw.format as Format,
    output: raw.output as string | undefined,
    config: raw.config as string | undefined,
    minSeverity: isSeverity(minSeverity) ? minSeverity : undefined,
    minConfidence: isConfidence(minConfidence) ? minConfidence : undefined,
    failOn: raw.failOn as Severity | 'never',
    exitCode: raw.exitCode !== false,
    baseline: raw.baseline as string | undefined,
    writeBaseline: raw.writeBaseline as string | undefined,
    online: raw.online === true,
    quiet: raw.quiet === true,
    color: (raw.color as SharedOptions['color']) ?? 'auto',
    extraOutputs: extraOutputsOf(raw),
    newOnly: typeof raw.newOnly === 'string' ? raw.newOnly : undefined,
    baseScan: typeof raw.baseScanOutput === 'string' ? { output: raw.baseScanOutput, config: (raw.baseScanConfig as string | undefined) || undefined } : undefined,
  };
}

/**
 * Loads `--config`, else the config discovered in the scanned folder, else at its repository
 * root. Errors propagate as ConfigError (exit 2).
 */
export function resolveConfig(opts: SharedOptions, scanned: string): PipewardenConfig {
  // The base scan of --new-only is judged by the head's config, which its parent names.
  if (opts.baseScan) return opts.baseScan.config ? loadConfig(opts.baseScan.config) : DEFAULT_CONFIG;
  if (opts.config && !existsSync(opts.config)) throw new UsageError(`config file ${opts.config} not found`);
  const path = opts.config ?? discoverConfig(scanned) ?? discoverConfig(findRepoRoot(scanned));
  // Started here rather than at the end so the base scan runs beside this one.
  if (opts.newOnly) startBaseScan(opts.newOnly, path);
  return path ? loadConfig(path) : DEFAULT_CONFIG;
}

export interface ReportInput {
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleMeta[];
  docsFor(ruleId: string): string | undefined;
  sourceOf(file: string): string | undefined;
  root: string;
  config: PipewardenConfig;
  /** Text format only: a table appended after the findings, from those that survived the policy (e.g. posture's per-repository summary). */
  textSummary?: (kept: Finding[]) => string;
}

/** Applies policy, renders, writes, and sets process.exitCode. Shared by every scanning command. */
export async function finishReport(input: ReportInput, opts: SharedOptions): Promise<void> {
  let sorted = [...input.findings].sort(compareFindings);
  if (opts.baseScan) return writeBaseScan(sorted, input, opts.baseScan.output);
  if (opts.writeBaseline) {
    writeOutputFile(opts.writeBaseline, writeBaseline(sorted), 'the baseline');
  }
  const newOnlyDiagnostics: Diagnostic[] = [];
  let newOnly: ReportContext['newOnly'];
  if (opts.newOnly) {
    const base = await awaitBaseScan(opts.newOnly, input.config.source);
    const before = sorted.length;
    sorted = sorted.filter((f) => !base.fingerprints.has(f.fingerprint));
    newOnly = { ref: base.ref, mergeBase: base.mergeBase, preExisting: before - sorted.length };
    newOnlyDiagnostics.push({ level: 'note', message: newOnlyNote(base, before - sorted.length) });
  }
  const baseline = opts.baseline ? parseBaseline(readBaselineFile(opts.baseline), opts.baseline) : undefined;
  const policy = applyPolicy(sorted, {
    config: input.config,
    baseline,
    minSeverity: opts.minSeverity,
    minConfidence: opts.minConfidence,
    sourceOf: input.sourceOf,
  });
  const typos = opts.quiet ? [] : await ruleIdTypos(input);
  // Diagnostics quote files (parse errors, paths): mask secrets in them here too, for stderr.
  const diagnostics = maskReportTexts([], [...input.diagnostics, ...policy.diagnostics, ...typos, ...newOnlyDiagnostics]).diagnostics;
  const color = useColorFor(opts.color, opts.output !== undefined);
  const belowThreshold = policy.suppressed.filter((s) => s.reason === 'below-threshold').length;
  const context: ReportContext = {
    rules: input.rules,
    docsFor: input.docsFor,
    sourceOf: input.sourceOf,
    toolVersion: VERSION,
    color: false,
    diagnostics,
    root: input.root,
    suppressedCount: policy.suppressed.length - belowThreshold,
    belowThresholdCount: belowThreshold,
    hidden: policy.suppressed.map((s) => s.finding),
    time: scanTime(),
    ...(newOnly && { newOnly }),
  };
  const rendered = renderReport(policy.kept, opts.format, { ...context, color });
  const text = opts.format === 'text' && input.textSummary ? `${rendered}\n${input.textSummary(policy.kept)}` : rendered;
  // Errors always reach stderr; notes and warnings only without --quiet.
  printDiagnostics(opts.quiet ? diagnostics.filter((d) => d.level === 'error') : diagnostics);
  // One run, several reports of the same findings (a CI job wants annotations, SARIF and JSON).
  for (const extra of opts.extraOutputs) writeOutputFile(extra.file, renderReport(policy.kept, extra.format, context), `the ${extra.format} report`);
  if (opts.output) {
    writeOutputFile(opts.output, text);
    // The report went to a file: the terminal still gets the one-line summary.
    if (!opts.quiet) process.stderr.write(`${summaryLine(policy.kept, context.suppressedCount, diagnostics.filter((d) => d.failsGate === true).length, belowThreshold)} (report written to ${sanitize(opts.output)})\n`);
  } else await writeStdout(text);
  if (opts.writeBaseline && !opts.quiet) {
    process.stderr.write(`wrote ${sanitize(opts.writeBaseline)}: ${sorted.length} ${sorted.length === 1 ? 'finding' : 'findings'} accepted; use it with --baseline ${sanitize(opts.writeBaseline)}\n`);
  }
  // Findings decide the gate; so does input that could not be checked (`failsGate` diagnostics:
  // a file past its time budget, an unreadable git object), unless the gate is off.
  const incomplete = opts.failOn !== 'never' && diagnostics.some((d) => d.failsGate === true);
  // --write-baseline accepts today's findings: that run succeeds (exit 0) unless input could not be checked.
  const gate = opts.writeBaseline ? 0 : exitCodeFor(policy.kept, opts.failOn);
  process.exitCode = opts.exitCode ? Math.max(gate, incomplete ? 1 : 0) : 0;
  // A bug stopped part of the analysis: the report above is incomplete, whatever the gate says.
  if (diagnostics.some((d) => d.code === 'internal-error')) process.exitCode = 3;
}

/**
 * Rule ids in the config (`rules`, `ignore`) and in inline ignores that no rule has: a typo there
 * silently hides nothing. Ids this command does not know are checked against every command's
 * rules (loaded only then): one config serves `audit`, `secrets`, `scan` and `posture`.
 */
async function ruleIdTypos(input: ReportInput): Promise<Diagnostic[]> {
  const own = input.rules.map((r) => r.id);
  let all: string[] | undefined;
  const allIds = async (): Promise<string[]> => (all ??= [...own, ...(await (await import('./rules.js')).allRuleMetas()).map((r) => r.id)]);
  const inConfig = unknownRuleDiagnostics(input.config, own).length > 0 ? unknownRuleDiagnostics(input.config, await allIds()) : [];
  return [...inConfig, ...(await unknownInlineIgnores(input.findings, input.sourceOf, own, allIds))];
}

async function awaitBaseScan(ref: string, configFile: string | undefined): Promise<BaseScanResult> {
  try {
    return await baseScanResult(ref, configFile);
  } catch (e) {
    if (e instanceof NewOnlyError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The base scan's answer to its parent: fingerprints after the config's ignores and inline
 * ignores, but before thresholds and baselines (those are the parent's to apply), so a finding
 * the base only hid below --min-severity still counts as old, and one whose ignore comment the
 * change removes counts as new.
 */
function writeBaseScan(sorted: Finding[], input: ReportInput, output: string): void {
  const { kept } = applyPolicy(sorted, { config: input.config, sourceOf: input.sourceOf });
  const body: BaseScanFile = { fingerprints: [...new Set(kept.map((f) => f.fingerprint))].sort() };
  writeFileSync(output, JSON.stringify(body));
  process.exitCode = 0;
}

/**
 * From process start to now, or SOURCE_DATE_EPOCH (seconds) for both: the reproducible-builds
 * convention, so a report that records times can still be byte-identical across runs.
 */
function scanTime(): { start: Date; end: Date } {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  if (process.env.SOURCE_DATE_EPOCH && Number.isFinite(epoch)) {
    const fixed = new Date(epoch * 1000);
    return { start: fixed, end: fixed };
  }
  return { start: new Date(performance.timeOrigin), end: new Date() };
}

/**
 * Checks before the scan that FILE can be an output file: its folder exists and it is not a
 * folder itself. A mistyped `--output` is the user's mistake (exit 2, one line), and saying so
 * before a long scan beats failing after it.
 */
export function checkOutputPath(file: string | undefined, what = 'the report'): void {
  if (file === undefined) return;
  const problem = outputPathProblem(file);
  if (problem) throw new UsageError(`cannot write ${what} to ${file}: ${problem}`);
}

function outputPathProblem(file: string): string | undefined {
  if (file === '') return 'empty file name';
  try {
    if (statSync(file).isDirectory()) return 'it is a folder; give a file name';
  } catch {
    // Does not exist yet: its folder must.
    const dir = dirname(resolvePath(file));
    try {
      if (!statSync(dir).isDirectory()) return `${dirname(file)} is not a folder`;
    } catch {
      return `folder ${dirname(file)} does not exist`;
    }
  }
  return undefined;
}

/** Writes an output file (report, baseline, SBOM); a path that cannot be written is a usage error. */
export function writeOutputFile(file: string, text: string, what = 'the report'): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? `folder ${dirname(file)} does not exist`
      : code === 'EISDIR' ? 'it is a folder; give a file name'
      : code === 'ENOTDIR' ? `${dirname(file)} is not a folder`
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'EROFS' ? 'read-only file system'
      : code === 'ENOSPC' ? 'no space left on device'
      : (code ?? (e as Error).message);
    throw new UsageError(`cannot write ${what} to ${file}: ${reason}`);
  }
}

function readBaselineFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read baseline file ${path}`);
  }
}

export function printDiagnostics(diags: Diagnostic[]): void {
  for (const d of diags) {
    const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}: ` : '';
    process.stderr.write(`${where}${d.level}: ${sanitize(d.message)}\n`);
  }
}

/**
 * Whether to colour the text report. `--color always|never` decides; with `auto`: NO_COLOR (set
 * and non-empty, no-color.org) turns colour off, FORCE_COLOR turns it on (except `0`/`false`),
 * even in a CI log that is not a terminal; otherwise colour only when stdout is a terminal.
 * A report written to a file (-o) is never coloured on `auto`.
 */
export function useColorFor(when: 'auto' | 'always' | 'never', toFile: boolean, env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY === true): boolean {
  if (when !== 'auto') return when === 'always';
  if (toFile) return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !/^(0|false)$/i.test(env.FORCE_COLOR.trim());
  return isTTY;
}

/** File-derived text is hostile: never echo terminal control characters. */
export function sanitize(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Writes to stdout and resolves once flushed, so large reports survive a pipe (no process.exit).
 * A reader that went away (`| head`) is not an error: the rest is dropped and the command ends
 * with the exit code its findings give (main.ts keeps the closed pipe from throwing).
 */
export function writeStdout(text: string): Promise<void> {
  if (process.stdout.destroyed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err && !isClosedPipe(err) ? reject(err) : resolve()));
  });
}

