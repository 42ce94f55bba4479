/**
 * `pipewarden report --html FILE [REPORT.json...]`: one self-contained HTML page from JSON reports
 * (`--format json` of any scanning command). Several reports of one run (scan, deps, sast...) are
 * merged; earlier runs come from `--previous` files and from a local history in the data folder,
 * for the trend chart. Code frames are read from the files the reports name, under the working
 * directory only, with credentials masked.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { compareFindings, type Diagnostic, type Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import { resolveDataDir } from '../core/data-dir.js';
import { readRuleDocs } from '../audits/registry.js';
import { readTextFile } from '../sources/read.js';
import { renderHtml, type TrendPoint } from '../report/html/render.js';
import { JSON_FORMAT_VERSION, type JsonReport } from '../report/json.js';
import { countBySeverity } from '../report/summary.js';
import type { NewOnlySummary } from '../report/types.js';
import { checkOutputPath, UsageError, writeOutputFile } from './common.js';
import { maskedSourceOf, maskReportTexts } from '../report/mask.js';
import { allRuleMetas } from './rules.js';
import { VERSION } from './version.js';

/** Source files larger than this get no code frame. */
const MAX_SOURCE_BYTES = 10 * 1024 * 1024;
/** Runs kept per project in the local history. */
const HISTORY_LIMIT = 100;

interface HistoryFile {
  version: 1;
  projects: Record<string, TrendPoint[]>;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('a self-contained HTML report (summary, charts, trend, sortable and filterable findings) from JSON reports')
    .argument('[reports...]', 'JSON reports of this run (pipewarden ... --format json); "-" or none: standard input')
    .requiredOption('--html <file>', 'write the HTML report to FILE')
    .option('--previous <report>', 'an earlier JSON report, for the trend (repeatable, oldest first)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--no-history', 'neither read nor update the local history of runs in the data folder')
    .option('--data <dir>', 'data folder for the history (default: PIPEWARDEN_DATA_DIR, else the user cache folder)')
    .option('--title <text>', 'page title', 'pipewarden report')
    .option('-q, --quiet', 'no notes on stderr', false)
    .addHelpText(
      'after',
      `
Examples:
  $ pipewarden scan --format json -o scan.json; pipewarden report --html report.html scan.json
  $ pipewarden scan --format json | pipewarden report --html report.html
  $ pipewarden report --html report.html scan.json deps.json --previous last-week.json

The page loads nothing from the network (strict Content-Security-Policy); secrets are masked.
Each report adds a point to a local history (per repository, in the data folder) that the trend
chart shows; --no-history leaves it alone.`,
    )
    .action(async (paths: string[], raw: Record<string, unknown>) => {
      checkOutputPath(raw.html as string, 'the HTML report');
      const inputs = paths.length === 0 ? ['-'] : paths;
      const reports = await Promise.all(inputs.map((p) => readReport(p)));
      const previous = await Promise.all((raw.previous as string[]).map((p) => readReport(p)));
      const generatedAt = new Date().toISOString();
      const merged = mergeReports(reports.map((r) => r.report));
      const project = projectKey(process.cwd());
      const trend: TrendPoint[] = previous.map((p) => ({ date: p.date, label: p.name, bySeverity: countBySeverity(p.report.findings) }));
      const historyFile = raw.history === false ? undefined : join(resolveDataDir(raw.data as string | undefined), 'reports', 'history.json');
      const history = historyFile ? readHistory(historyFile) : undefined;
      if (history) trend.unshift(...(history.projects[project] ?? []));
      trend.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

      const metas = await reportRuleMetas();
      const byId = new Map(metas.map((m) => [m.id, m]));
      // The reports read may come from anywhere (another version, an edited file) and the frames
      // are read from the files here: star out every secret in both, as renderReport does.
      const safe = maskReportTexts(merged.findings, merged.diagnostics);
      const html = renderHtml(
        safe.findings,
        {
          rules: metas.filter((m) => merged.findings.some((f) => f.ruleId === m.id)),
          docsFor: (id) => {
            const meta = byId.get(id);
            return meta ? readRuleDocs(meta) : undefined;
          },
          sourceOf: maskedSourceOf(sourceReader(process.cwd()), merged.findings, metas),
          toolVersion: VERSION,
          color: false,
          diagnostics: safe.diagnostics,
          root: process.cwd(),
          suppressedCount: merged.suppressed,
          ...(merged.newOnly && { newOnly: merged.newOnly }),
        },
        { title: raw.title as string, generatedAt, trend, repositoryOf: repositoryResolver(process.cwd()) },
      );
      writeOutputFile(raw.html as string, html, 'the HTML report');
      if (history && historyFile) {
        const points = [...(history.projects[project] ?? []), { date: generatedAt, label: basename(inputs[0] === '-' ? 'stdin' : inputs[0]!), bySeverity: countBySeverity(merged.findings) }];
        history.projects[project] = points.slice(-HISTORY_LIMIT);
        writeHistory(historyFile, history);
      }
      if (raw.quiet !== true) process.stderr.write(`wrote ${raw.html as string}: ${merged.findings.length} finding${merged.findings.length === 1 ? '' : 's'}, ${trend.length + 1} run${trend.length === 0 ? '' : 's'} in the trend\n`);
    });
}

/** Every rule a report may name: those `pipewarden rules` lists, and the SAST rules. */
async function reportRuleMetas(): Promise<RuleMeta[]> {
  const metas = await allRuleMetas();
  const known = new Set(metas.map((m) => m.id));
  try {
    const sast = (await import('../sast/rules/index.js')) as { SAST_RULES?: ReadonlyArray<{ meta: RuleMeta }> };
    for (const r of sast.SAST_RULES ?? []) if (!known.has(r.meta.id)) metas.push(r.meta);
  } catch {
    // A scanner that is not there has no rules to describe.
  }
  return metas;
}

interface LoadedReport {
  report: JsonReport;
  name: string;
  /** When the report was made: its file's modification time (JSON reports carry no date). */
  date: string;
}

async function readReport(path: string): Promise<LoadedReport> {
  let text: string;
  let date = new Date().toISOString();
  try {
    if (path === '-') text = await readStdin();
    else {
      text = readFileSync(path, 'utf8');
      date = statSync(path).mtime.toISOString();
    }
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path === '-' ? 'standard input' : path} is not JSON: ${(e as Error).message}`);
  }
  const r = data as Partial<JsonReport> | null;
  if (!r || typeof r !== 'object' || r.tool?.name !== 'pipewarden' || !Array.isArray(r.findings)) {
    throw new UsageError(`${path === '-' ? 'standard input' : path} is not a pipewarden JSON report (make one with --format json)`);
  }
  if (r.version !== JSON_FORMAT_VERSION) throw new UsageError(`${path}: JSON report version ${String(r.version)} is not supported (this pipewarden reads ${JSON_FORMAT_VERSION})`);
  return { report: r as JsonReport, name: path === '-' ? 'stdin' : basename(path), date };
}

function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return Promise.reject(new UsageError('no JSON report given: name one, or pipe one in (pipewarden scan --format json | pipewarden report --html out.html)'));
  return new Promise((resolvePromise, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => (text += d));
    process.stdin.on('end', () => resolvePromise(text));
    process.stdin.on('error', reject);
  });
}

/** One run's reports as one: findings of all (each finding once), diagnostics, suppressed counts. */
function mergeReports(reports: JsonReport[]): { findings: Finding[]; diagnostics: Diagnostic[]; suppressed: number; newOnly?: NewOnlySummary } {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      const key = `${f.ruleId}\0${f.fingerprint}\0${f.location.file}\0${f.location.startLine}\0${f.location.startColumn}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
    }
  }
  return {
    findings: findings.sort(compareFindings),
    diagnostics: reports.flatMap((r) => r.diagnostics ?? []),
    suppressed: reports.reduce((a, r) => a + (r.summary?.suppressed ?? 0), 0),
    ...(reports.find((r) => r.newOnly)?.newOnly && { newOnly: reports.find((r) => r.newOnly)!.newOnly }),
  };
}

/** Reads files the report names, only below `root` (a report is data, not a list of files to open). */
function sourceReader(root: string): (file: string) => string | undefined {
  return (file) => {
    const abs = resolve(root, file);
    const rel = relative(root, abs);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
    const read = readTextFile(abs, MAX_SOURCE_BYTES);
    return 'text' in read ? read.text : undefined;
  };
}

/** What marks a repository's root: git, or the CI definitions a repository keeps at its root. */
const REPOSITORY_MARKERS = ['.git', '.github', '.gitlab-ci.yml', '.circleci', 'azure-pipelines.yml', 'bitbucket-pipelines.yml'];

/** The repository holding a file: the nearest folder below `root` with a repository marker, else root's. */
function repositoryResolver(root: string): (file: string) => string {
  const cache = new Map<string, string>();
  const rootName = basename(projectKey(root)) || '.';
  return (file) => {
    const dir = dirname(resolve(root, file));
    if (cache.has(dir)) return cache.get(dir)!;
    let found = rootName;
    for (let d = dir; ; d = dirname(d)) {
      const rel = relative(root, d);
      if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) break;
      if (rel !== '' && REPOSITORY_MARKERS.some((m) => existsSync(join(d, m)))) {
        found = rel.split(sep).join('/');
        break;
      }
      if (rel === '') break;
    }
    cache.set(dir, found);
    return found;
  };
}

/** History key: the repository (top folder with .git) holding the working directory, else it. */
function projectKey(cwd: string): string {
  for (let d = resolve(cwd); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return resolve(cwd);
  }
}

function readHistory(file: string): HistoryFile {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as HistoryFile;
    if (data.version === 1 && data.projects && typeof data.projects === 'object') return data;
  } catch {
    // Missing or damaged: start again (the history only feeds a chart).
  }
  return { version: 1, projects: {} };
}

function writeHistory(file: string, history: HistoryFile): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(history, null, 2)}\n`);
  renameSync(tmp, file);
}
