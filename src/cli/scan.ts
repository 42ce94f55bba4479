import { resolve, relative, sep, isAbsolute } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { severityRank, type Finding, type Location } from '../core/finding.js';
import { runSecretsScan } from '../secrets/run.js';
import { runSast } from '../sast/run.js';
import { importSarifFiles, sourceInside } from './sarif-import.js';
import { collectAuditFiles, runAudit } from './audit.js';
import { resolveDataDir } from '../core/data-dir.js';
import type { PipewardenConfig } from '../config/types.js';
import { addSharedOptions, finishReport, normalizeShared, resolveConfig, UsageError } from './common.js';

const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/**
 * `scan`: every static scanner over one tree, one report, one gate — the command a pipeline runs.
 * Secrets findings are re-based on the working directory so both scanners' paths agree.
 */
export function registerScanCommand(program: Command): void {
  const cmd = program
    .command('scan')
    .description('every static scanner in one pass (CI definitions audit, leaked secrets, JS/TS taint analysis, dependencies), one report, one exit code')
    .argument('[path]', 'repository root or folder', '.');
  addSharedOptions(cmd)
    .option('--no-ignore', 'secrets: also scan files excluded by .gitignore and the default ignores')
    .option('--data <dir>', 'deps: data folder holding the advisory database (see `pipewarden deps`)')
    .option('--posture <target>', 'also gate on access posture: github:ORG or gitlab:GROUP (needs --online), or a snapshot folder')
    .option('--import-sarif <files...>', "other scanners' SARIF logs (CodeQL, Semgrep, ZAP, Trivy) to gate with ours (see `sarif import --help`)")
    .addHelpText(
      'after',
      `
Examples:
  $ pipewarden scan                                  audit + secrets + sast for this repository
  $ pipewarden scan --format sarif -o pipewarden.sarif
  $ pipewarden scan --fail-on medium --baseline .pipewarden-baseline.json
  $ pipewarden scan --online --posture github:acme   audit + secrets + the organisation's access posture
  $ pipewarden scan --import-sarif codeql.sarif trivy.sarif   every scanner, one gate

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or config error, 3 internal error.`,
    )
    .action(async (path: string, raw: Record<string, unknown>) => {
      const opts = normalizeShared(raw);
      const abs = resolve(path);
      if (!existsSync(abs)) throw new UsageError(`${path}: no such file or directory`);
      const collected = collectAuditFiles([path]);
      // deps: the --new-only base scan runs in a copy of the tree and must use this run's database.
      const dataDir = opts.baseScan && process.env.PIPEWARDEN_DATA_DIR ? process.env.PIPEWARDEN_DATA_DIR : resolveDataDir(raw.data as string | undefined);
      process.env.PIPEWARDEN_DATA_DIR = dataDir;
      const config = resolveConfig(opts, collected.root);
      const audit = await runAudit(collected, config, opts.online);
      const secrets = await runSecretsScan(config, { mode: 'tree', path: abs, ignore: raw.ignore !== false, maxFileSize: DEFAULT_MAX_FILE_SIZE, verify: false });
      const { collectDepsFiles, runDepsScan } = await import('../deps/run.js');
      const deps = await runDepsScan(collectDepsFiles(abs), config, { dataDir, missingDatabase: 'warning' });
      const cwd = process.cwd();
      const rebase = (file: string): string => {
        const absFile = isAbsolute(file) ? file : resolve(secrets.root, file);
        return relative(cwd, absFile).split(sep).join('/') || file;
      };
      const rebased: Finding[] = secrets.findings.map((f) => ({
        ...f,
        location: { ...f.location, file: rebase(f.location.file) },
        related: f.related.map((r) => ({ ...r, file: rebase(r.file) })),
      }));
      const { secretFindings, auditFindings } = oneFindingPerCredential(rebased, audit.findings);
      const secretSource = new Map(secrets.findings.map((f) => [rebase(f.location.file), f.location.file]));
      // Taint analysis of the JS/TS code; a literal the secrets scanner already reported is reported once.
      const sast = statSync(abs).isDirectory() ? await runSast(config, { path: abs, reportBase: cwd, literalSecrets: false }) : undefined;
      const secretLines = new Set(secretFindings.map((f) => `${f.location.file}:${f.location.startLine}`));
      const sastFindings = (sast?.findings ?? []).filter((f) => f.ruleId !== 'hardcoded-secret' || !secretLines.has(`${f.location.file}:${f.location.startLine}`));
      const sastRules = new Set(sast?.rules.map((r) => r.id) ?? []);
      const posture = typeof raw.posture === 'string' ? await scanPosture(raw.posture, opts.online, config) : undefined;
      const imported = Array.isArray(raw.importSarif) ? importSarifFiles(raw.importSarif as string[], cwd) : undefined;
      await finishReport(
        {
          findings: [...auditFindings, ...secretFindings, ...sastFindings, ...deps.findings, ...(posture?.findings ?? []), ...(imported?.findings ?? [])],
          diagnostics: [...audit.diagnostics, ...secrets.diagnostics, ...(sast?.diagnostics ?? []), ...deps.diagnostics, ...(posture?.diagnostics ?? []), ...(imported?.diagnostics ?? [])],
          rules: [...audit.rules, ...secrets.rules, ...(sast?.rules ?? []), ...deps.rules, ...(posture?.rules ?? [])],
          docsFor: (id) => (id.startsWith('secrets/') ? secrets.docsFor(id) : sastRules.has(id) ? sast!.docsFor(id) : id.startsWith('posture/') && posture ? posture.docsFor(id) : (deps.docsFor(id) ?? imported?.docsFor(id) ?? audit.docsFor(id))),
          sourceOf: (file) => audit.sourceOf(file) ?? (secretSource.has(file) ? secrets.sourceOf(secretSource.get(file)!) : (sast?.sourceOf(file) ?? deps.sourceOf(file) ?? sourceInside(cwd, file))),
          root: cwd,
          config,
        },
        opts,
      );
      if (posture && posture.internalErrors.length > 0) process.exitCode = 3;
    });
}

/**
 * A credential in a CI file is found twice: by the audit (hardcoded-credentials) and by the secrets
 * scan. `scan` reports it once, as the secrets finding (its rule id routes it to secret-detection
 * reports, `pipewarden:allow` and `--verify`), at the higher of the two severities; the audit's
 * finding stays only where no secrets finding covers it (e.g. a password the engine cannot tell
 * from other text).
 */
export function oneFindingPerCredential(secretFindings: Finding[], auditFindings: Finding[]): { secretFindings: Finding[]; auditFindings: Finding[] } {
  const credentials = auditFindings.filter((f) => f.ruleId === 'hardcoded-credentials');
  const covered = new Set<Finding>();
  const kept = secretFindings.map((s) => {
    const same = credentials.filter((c) => overlaps(c.location, s.location));
    for (const c of same) covered.add(c);
    const worst = same.reduce((w, c) => (severityRank(c.severity) > severityRank(w) ? c.severity : w), s.severity);
    return worst === s.severity ? s : { ...s, severity: worst };
  });
  return { secretFindings: kept, auditFindings: auditFindings.filter((f) => !covered.has(f)) };
}

/** Whether two regions of the same file share a character (1-based, end column exclusive). */
export function overlaps(a: Location, b: Location): boolean {
  if (a.file !== b.file) return false;
  const before = (l1: number, c1: number, l2: number, c2: number): boolean => l1 < l2 || (l1 === l2 && c1 < c2);
  return before(a.startLine, a.startColumn, b.endLine, b.endColumn) && before(b.startLine, b.startColumn, a.endLine, a.endColumn);
}

/** `--posture github:ORG|gitlab:GROUP` (live, with --online) or `--posture DIR` (a recorded snapshot). */
async function scanPosture(target: string, online: boolean, config: PipewardenConfig) {
  const { runPosture, parseTargetSpec, PostureUsageError } = await import('../posture/run.js');
  try {
    const snapshot = !/^(github|gitlab):/.test(target);
    return await runPosture({
      ...(snapshot ? { fromSnapshot: target } : { target: parseTargetSpec(target) }),
      online,
      maxWaitSeconds: 300,
      cache: true,
      config,
    });
  } catch (e) {
    if (e instanceof PostureUsageError) throw new UsageError(`--posture: ${e.message}`);
    throw e;
  }
}
