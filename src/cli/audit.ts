import { statSync } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic, Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import type { PipewardenConfig } from '../config/types.js';
import { findRepoRoot } from '../config/load.js';
import { unknownRuleDiagnostics } from '../config/rule-ids.js';
import { walkTree, resolveInside } from '../sources/walk.js';
import { readTextFile } from '../sources/read.js';
import { classifyGithubPath, sniffGithubKind, type GithubFile } from '../platforms/github/load.js';
import { auditGithub } from '../audits/github/run.js';
import { auditRuleMetas, readRuleDocs } from '../audits/registry.js';
import { addSharedOptions, finishReport, normalizeShared, resolveConfig, UsageError, type SharedOptions } from './common.js';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface CollectedFiles {
  github: GithubFile[];
  diagnostics: Diagnostic[];
  /** Directory the config is discovered from. */
  root: string;
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/**
 * Finds the CI files under each PATH (a repo root, a folder, or single files). Display paths are
 * relative to the working directory; `uses: ./x` resolves against the scanned folder (or, for a
 * single file, its repository root).
 */
export function collectAuditFiles(paths: string[], cwd = process.cwd()): CollectedFiles {
  const github: GithubFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  let root: string | undefined;
  const add = (abs: string, repoRoot: string, explicit: boolean): void => {
    const display = toPosix(relative(cwd, abs)) || basename(abs);
    if (seen.has(abs)) return;
    seen.add(abs);
    const repoPath = toPosix(relative(repoRoot, abs));
    const read = readTextFile(abs, MAX_FILE_BYTES);
    if ('skipped' in read) {
      diagnostics.push({ level: 'error', file: display, message: `${read.skipped}; not audited` });
      return;
    }
    const kind = classifyGithubPath(repoPath) ?? (explicit ? sniffGithubKind(read.text) : undefined);
    if (!kind) {
      if (explicit) diagnostics.push({ level: 'warning', file: display, message: 'not a recognised CI file (workflow, action.yml or dependabot.yml); skipped' });
      return;
    }
    github.push({ path: display, repoPath, text: read.text, kind });
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      root ??= abs;
      for (const entry of walkTree(abs, { skipDirs: ['node_modules'], accept: (rel) => classifyGithubPath(rel) !== undefined }, (d) =>
        diagnostics.push({ ...d, file: d.file ? toPosix(relative(cwd, resolve(abs, d.file))) : d.file }),
      )) {
        add(entry.abs, abs, false);
      }
    } else {
      const repoRoot = findRepoRoot(abs);
      root ??= repoRoot;
      const inside = resolveInside(repoRoot, abs);
      if ('error' in inside) {
        diagnostics.push({ level: 'error', file: p, message: inside.error });
        continue;
      }
      add(abs, repoRoot, true);
    }
  }
  github.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { github, diagnostics, root: root ?? cwd };
}

export interface AuditOutcome {
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleMeta[];
  sources: Map<string, string>;
}

export function runAudit(collected: CollectedFiles, config: PipewardenConfig, online: boolean): AuditOutcome {
  const result = auditGithub(collected.github, config, online);
  const sources = new Map(collected.github.map((f) => [f.path, f.text]));
  return { findings: result.findings, diagnostics: [...collected.diagnostics, ...result.diagnostics], rules: auditRuleMetas(), sources };
}

export function registerAuditCommand(program: Command): void {
  const cmd = program
    .command('audit')
    .description('static audit of CI/CD definitions (GitHub Actions workflows, composite actions, Dependabot)')
    .argument('[paths...]', 'repository roots, folders or single files', ['.']);
  addSharedOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  $ pipewarden audit                          audit the repository in the current directory
  $ pipewarden audit .github/workflows/ci.yml one workflow (pre-commit)
  $ pipewarden audit --format sarif -o pipewarden.sarif
  $ pipewarden audit --fail-on medium --min-confidence medium
  $ pipewarden audit --write-baseline .pipewarden-baseline.json   accept today's findings
  $ pipewarden audit --baseline .pipewarden-baseline.json         report only new ones

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or config error, 3 internal error.`,
    )
    .action(async (paths: string[], raw: Record<string, unknown>) => {
      const opts: SharedOptions = normalizeShared(raw);
      const collected = collectAuditFiles(paths);
      const config = resolveConfig(opts, collected.root);
      const outcome = runAudit(collected, config, opts.online);
      outcome.diagnostics.push(...warnUnknownRules(config, opts));
      if (!opts.quiet && collected.github.length === 0) {
        outcome.diagnostics.push({ level: 'note', message: 'no GitHub Actions workflows, actions or dependabot.yml found' });
      }
      await finishReport(
        {
          findings: outcome.findings,
          diagnostics: outcome.diagnostics,
          rules: outcome.rules,
          docsFor: (id) => {
            const meta = outcome.rules.find((r) => r.id === id);
            return meta ? readRuleDocs(meta) : undefined;
          },
          sourceOf: (file) => outcome.sources.get(file),
          root: process.cwd(),
          config,
        },
        opts,
      );
    });
}

/** Typos in rule ids are silent no-ops otherwise; say so, with the config position. */
function warnUnknownRules(config: PipewardenConfig, opts: SharedOptions): Diagnostic[] {
  if (opts.quiet) return [];
  return unknownRuleDiagnostics(config, auditRuleMetas().map((r) => r.id)).filter((d) => !d.message.includes("`secrets/"));
}
