import { readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic, Finding } from '../core/finding.js';
import { findRepoRoot } from '../config/load.js';
import { importSarif, INVALID_INPUT_RULE, type ImportedRule } from '../sarif-import/import.js';
import { addSharedOptions, finishReport, normalizeShared, resolveConfig, UsageError } from './common.js';

/** SARIF logs from CI artefacts can be large, but not unboundedly: past this we refuse rather than exhaust memory. */
const MAX_SARIF_BYTES = 512 * 1024 * 1024;

const HELP = `
Reads SARIF 2.1.0 logs written by other scanners (CodeQL, Semgrep, OWASP ZAP, Trivy, or any tool
that follows the standard) and puts their results through pipewarden's config ignores, inline
ignores, baseline, thresholds and output formats, so one gate covers every scanner in the
pipeline. Rule ids get the tool as a prefix: codeql/js/sql-injection, trivy/CVE-2024-1234.
Severity comes from the rule's security-severity score, else the result's level (error → high,
warning → medium, note → low). Results the tool marked suppressed are left out. A file that is
not valid SARIF becomes a high-severity ${INVALID_INPUT_RULE} finding: lost results fail the gate.

Examples:
  $ pipewarden sarif import codeql.sarif semgrep.sarif
  $ pipewarden sarif import trivy.sarif --fail-on critical
  $ pipewarden sarif import zap.sarif --format github          annotations in a GitHub job
  $ pipewarden scan --import-sarif codeql.sarif                 our scanners and theirs, one gate

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or config error, 3 internal error.`;

export interface ImportedFiles {
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: ImportedRule[];
  docsFor(id: string): string | undefined;
}

/** Reads and imports SARIF files; paths in results become relative to `root` when inside it. */
export function importSarifFiles(files: readonly string[], root: string): ImportedFiles {
  const out: ImportedFiles = { findings: [], diagnostics: [], rules: [], docsFor: () => undefined };
  const docs = new Map<string, string>();
  const rootPosix = resolve(root).split(sep).join('/');
  for (const file of files) {
    let text: string;
    try {
      const size = statSync(file).size;
      if (size > MAX_SARIF_BYTES) throw new Error(`${size} bytes is over the ${MAX_SARIF_BYTES}-byte limit`);
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      throw new UsageError(`cannot read ${file}: ${why}`);
    }
    const r = importSarif(text.replace(/^\uFEFF/, ''), { file, root: rootPosix });
    out.findings.push(...r.findings);
    out.diagnostics.push(...r.diagnostics);
    for (const rule of r.rules) {
      if (docs.has(rule.id)) continue;
      docs.set(rule.id, rule.docs);
      out.rules.push(rule);
    }
    if (r.skipped) out.diagnostics.push({ level: 'note', file, message: `${r.skipped} result(s) marked suppressed by the producing tool were left out` });
  }
  docs.set(INVALID_INPUT_RULE, `# ${INVALID_INPUT_RULE}\n\nA SARIF file given to pipewarden could not be read, so the results of the scanner that wrote it are missing from this report. Fix the step that produces it (an interrupted upload, a tool that wrote an error message instead of SARIF, a truncated artefact).\n`);
  out.docsFor = (id) => docs.get(id);
  return out;
}

export function registerSarifCommand(program: Command): void {
  const sarif = program.command('sarif').description("other scanners' SARIF in pipewarden's gate");
  const cmd = sarif
    .command('import')
    .description("import other scanners' SARIF (CodeQL, Semgrep, ZAP, Trivy) into one report and gate")
    .argument('<files...>', 'SARIF 2.1.0 files');
  addSharedOptions(cmd)
    .option('--root <dir>', 'paths in the report are made relative to this folder (default: the current folder)')
    .addHelpText('after', HELP)
    .action(async (files: string[], raw: Record<string, unknown>) => {
      const opts = normalizeShared(raw);
      const root = resolve(typeof raw.root === 'string' ? raw.root : '.');
      const config = resolveConfig(opts, findRepoRoot(root));
      const imported = importSarifFiles(files, root);
      await finishReport(
        {
          findings: imported.findings,
          diagnostics: imported.diagnostics,
          rules: [],
          docsFor: imported.docsFor,
          sourceOf: (file) => sourceInside(root, file),
          root,
          config,
        },
        opts,
      );
    });
}

/** A reported file's text for inline ignores, only when it lies inside `root` (links resolved): a SARIF log cannot make us read elsewhere. */
export function sourceInside(root: string, file: string): string | undefined {
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(resolve(root, file));
    if (!real.startsWith(realRoot + sep)) return undefined;
    return readFileSync(real, 'utf8');
  } catch {
    return undefined;
  }
}
