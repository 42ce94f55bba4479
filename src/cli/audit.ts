import { statSync } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic, Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import type { PipewardenConfig } from '../config/types.js';
import { findRepoRoot } from '../config/load.js';
import { walkTree, resolveInside } from '../sources/walk.js';
import { readTextFile } from '../sources/read.js';
import { isCiPath, MAX_FILE_BYTES, repoPrefixOf, type PendingFile } from '../audit/pipeline.js';
import { auditRepositories } from '../audit/parallel.js';
import { auditRuleMetas, readRuleDocs } from '../audits/registry.js';
import type { OnlineFacts } from '../online/facts.js';
import { addSharedOptions, finishReport, normalizeShared, resolveConfig, UsageError, type SharedOptions } from './common.js';

export interface CollectedFiles {
  /** Files grouped by repository: cross-file analysis (local actions, reusable workflows) stays inside one. */
  groups: PendingFile[][];
  diagnostics: Diagnostic[];
  /** Directory the config is discovered from. */
  root: string;
  /** Display path → absolute path, for code frames. */
  absOf: Map<string, string>;
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/**
 * Finds the CI files under each PATH (a repo root, a folder, or single files). Display paths are
 * relative to the working directory; `uses: ./x` resolves against the repository holding the
 * `.github` folder (for a single file, its git repository root). Nothing is read here.
 */
export function collectAuditFiles(paths: string[], cwd = process.cwd()): CollectedFiles {
  const diagnostics: Diagnostic[] = [];
  const byRepo = new Map<string, PendingFile[]>();
  const absOf = new Map<string, string>();
  let root: string | undefined;
  const seen = new Set<string>();
  const add = (key: string, file: PendingFile): void => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    // Never a code frame from a refused file (a link out of the tree is not read, not even for that).
    if (file.refused === undefined) absOf.set(file.path, file.abs);
    const list = byRepo.get(key);
    if (list) list.push(file);
    else byRepo.set(key, [file]);
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
      const found: Array<{ abs: string; rel: string; link?: true }> = [];
      for (const entry of walkTree(abs, { skipDirs: ['node_modules'], accept: isCiPath, links: true }, (d) =>
        diagnostics.push({ ...d, file: d.file ? toPosix(relative(cwd, resolve(abs, d.file))) : d.file }),
      )) {
        found.push(entry);
      }
      const prefixes = new Set(found.map((f) => repoPrefixOf(f.rel)).filter((x): x is string => x !== undefined));
      for (const f of found) {
        const prefix = repoPrefixOf(f.rel) ?? longestPrefix(prefixes, f.rel);
        const repoPath = prefix === '' ? f.rel : f.rel.slice(prefix.length + 1);
        // A CI file that is a link is audited when it stays in the tree, else reported (not-audited).
        const inside = f.link ? resolveInside(abs, f.abs) : { real: f.abs };
        const where = { ...('real' in inside ? { abs: inside.real } : { abs: f.abs, refused: inside.error }), ...(f.link && { link: f.link }) };
        add(`${abs}\0${prefix}`, { ...where, path: toPosix(relative(cwd, f.abs)) || basename(f.abs), repoPath, explicit: false, repoRoot: resolve(abs, prefix) });
      }
    } else {
      const repoRoot = findRepoRoot(abs);
      root ??= repoRoot;
      const inside = resolveInside(repoRoot, abs);
      add(`${repoRoot}\0`, { abs, ...('error' in inside ? { refused: inside.error } : {}), path: toPosix(relative(cwd, abs)) || basename(abs), repoPath: toPosix(relative(repoRoot, abs)), explicit: true, repoRoot });
    }
  }
  const groups = [...byRepo.values()].map((g) => g.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  return { groups, diagnostics, root: root ?? cwd, absOf };
}

function longestPrefix(prefixes: Set<string>, rel: string): string {
  let best = '';
  for (const p of prefixes) if (p !== '' && rel.startsWith(`${p}/`) && p.length > best.length) best = p;
  return best;
}

export interface AuditOutcome {
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleMeta[];
  sourceOf(file: string): string | undefined;
  docsFor(ruleId: string): string | undefined;
}

export async function runAudit(collected: CollectedFiles, config: PipewardenConfig, online: boolean, facts?: OnlineFacts): Promise<AuditOutcome> {
  const result = await auditRepositories(collected.groups, config, online, facts);
  const cache = new Map<string, string | undefined>();
  // Sources are re-read only for findings that need a code frame, so big audits stay lean.
  const sourceOf = (file: string): string | undefined => {
    if (!cache.has(file)) {
      const abs = collected.absOf.get(file);
      const read = abs ? readTextFile(abs, MAX_FILE_BYTES) : undefined;
      cache.set(file, read && 'text' in read ? read.text : undefined);
    }
    return cache.get(file);
  };
  const rules = auditRuleMetas();
  const docsFor = (id: string): string | undefined => {
    const meta = rules.find((r) => r.id === id);
    return meta ? readRuleDocs(meta) : undefined;
  };
  return { findings: result.findings, diagnostics: [...collected.diagnostics, ...result.diagnostics], rules, sourceOf, docsFor };
}

export function registerAuditCommand(program: Command): void {
  const cmd = program
    .command('audit')
    .description('static audit of CI/CD definitions: GitHub Actions (workflows, composite actions, Dependabot), GitLab CI, Azure Pipelines, CircleCI, Bitbucket Pipelines')
    .argument('[paths...]', 'repository roots, folders or single files', ['.']);
  addSharedOptions(cmd)
    .option('--gh-hostname <host>', 'GitHub Enterprise Server host for --online lookups (API at https://HOST/api/v3)')
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
      // --online: fetch what the online rules need in this thread, once, before any (worker) audit runs.
      let facts: OnlineFacts | undefined;
      const onlineDiagnostics: Diagnostic[] = [];
      if (opts.online) {
        const { prefetchForAudit } = await import('../online/index.js');
        const hostname = typeof raw.ghHostname === 'string' ? raw.ghHostname : undefined;
        let pre;
        try {
          pre = await prefetchForAudit(collected.groups, config, { hostname, maxBytes: MAX_FILE_BYTES });
        } catch (e) {
          throw new UsageError(e instanceof Error ? e.message : String(e));
        }
        facts = pre.facts;
        onlineDiagnostics.push(...pre.diagnostics);
      }
      const outcome = await runAudit(collected, config, opts.online, facts);
      outcome.diagnostics.push(...onlineDiagnostics);
      if (!opts.quiet && collected.groups.length === 0) {
        outcome.diagnostics.push({ level: 'note', message: 'no CI definitions found (GitHub Actions, GitLab CI, Azure Pipelines, CircleCI, Bitbucket Pipelines)' });
      }
      await finishReport(
        {
          findings: outcome.findings,
          diagnostics: outcome.diagnostics,
          rules: outcome.rules,
          docsFor: outcome.docsFor,
          sourceOf: outcome.sourceOf,
          root: process.cwd(),
          config,
        },
        opts,
      );
    });
}
