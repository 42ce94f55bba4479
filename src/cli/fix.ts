import { closeSync, fsyncSync, lstatSync, openSync, readFileSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic } from '../core/finding.js';
import { readTextFile } from '../sources/read.js';
import { classifyGithubPath, sniffGithubKind } from '../platforms/github/load.js';
import { MAX_FILE_BYTES } from '../audit/pipeline.js';
import { fixFiles, type AppliedFix, type FixFile } from '../fix/engine.js';
import { unifiedDiff } from '../fix/diff.js';
import { chainResolvers, pinsFileResolver, PinsFileError, readPinsFile, type PinResolver } from '../fix/pins.js';
import { collectAuditFiles } from './audit.js';
import { auditRuleMetas } from '../audits/registry.js';
import { maskedPair, maskReportTexts } from '../report/mask.js';
import { normalizeShared, printDiagnostics, resolveConfig, sanitize, UsageError, writeStdout } from './common.js';

interface FixCliOptions {
  dryRun: boolean;
  unsafe: boolean;
  pins?: string;
  online: boolean;
  config?: string;
  quiet: boolean;
}

export function registerFixCommand(program: Command): void {
  program
    .command('fix')
    .description('apply the fixes audits offer (safe ones by default; --unsafe for the rest), keeping comments and formatting')
    .argument('[paths...]', 'repository roots, folders or single files', ['.'])
    .option('-n, --dry-run', 'print a unified diff of the changes and write nothing', false)
    .option('--unsafe', 'also apply fixes that can change behaviour (least-privilege permissions, quoting changes...)', false)
    .option('--pins <file>', 'lock file (JSON or YAML) mapping owner/repo@ref to a commit SHA, for pinning actions offline')
    .option('--online', 'look up the commit SHAs of action refs with the GitHub API (after --pins)', false)
    .option('-c, --config <file>', 'config file (default: discovered at the repo root)')
    .option('-q, --quiet', 'no summary or notes on stderr', false)
    .addHelpText(
      'after',
      `
Examples:
  $ pipewarden fix --dry-run                       show what would change
  $ pipewarden fix                                 apply the safe fixes
  $ pipewarden fix --unsafe .github/workflows/ci.yml
  $ pipewarden fix --pins pins.yml                 pin actions to the SHAs listed in pins.yml

Exit codes: 0 every applicable fix was applied (or would be, with --dry-run), 1 some could not be
(overlapping fixes, unwritable files), 2 usage or config error, 3 internal error.
Findings without a fix do not change the exit code: run \`pipewarden audit\` to gate on them.`,
    )
    .action(async (paths: string[], raw: Record<string, unknown>) => {
      await runFix(paths, raw as unknown as FixCliOptions);
    });
}

async function runFix(paths: string[], opts: FixCliOptions): Promise<void> {
  const collected = collectAuditFiles(paths);
  const config = resolveConfig({ ...normalizeShared({ config: opts.config }), config: opts.config }, collected.root);
  const diagnostics: Diagnostic[] = [...collected.diagnostics];
  let resolver: PinResolver | undefined;
  if (opts.pins) {
    try {
      resolver = pinsFileResolver(readPinsFile(opts.pins));
    } catch (e) {
      throw new UsageError(e instanceof PinsFileError ? e.message : String(e));
    }
  }
  if (opts.online) {
    // The pins file answers first; the GitHub API (PIPEWARDEN_GITHUB_API_URL / token from the environment or gh) fills the rest.
    const [{ createClient }, { onlinePinResolver }] = await Promise.all([import('../online/index.js'), import('../online/pins.js')]);
    const setup = await createClient();
    diagnostics.push(...setup.diagnostics);
    let warned = false;
    const online = onlinePinResolver(setup.client, (message) => {
      if (!warned) diagnostics.push({ level: 'warning', message: `--online: ${message}` });
      warned = true;
    });
    resolver = resolver ? chainResolvers(resolver, online) : online;
  }

  let diff = '';
  const secretRules = new Set(auditRuleMetas().filter((r) => r.locationIsSecret === true).map((r) => r.id));
  const applied: AppliedFix[] = [];
  const changedFiles = new Set<string>();
  let remaining = 0;
  let pending = 0;
  let unsafeAvailable = 0;
  let failed = 0;
  for (const group of collected.groups) {
    const files: FixFile[] = [];
    const originals = new Map<string, { abs: string; text: string }>();
    for (const p of group) {
      // Never write through a link, even one that stays in the tree (the audit still reads it).
      if (p.link) {
        diagnostics.push({ level: 'note', file: p.path, message: 'symbolic link not followed' });
        continue;
      }
      if (p.refused !== undefined) {
        diagnostics.push({ level: 'error', file: p.path, message: `${p.refused}; not fixed` });
        continue;
      }
      const read = readTextFile(p.abs, MAX_FILE_BYTES);
      if ('skipped' in read) {
        diagnostics.push({ level: 'error', file: p.path, message: `${read.skipped}; not fixed` });
        continue;
      }
      const kind = classifyGithubPath(p.repoPath) ?? (p.explicit ? sniffGithubKind(read.text) : undefined);
      if (!kind) continue; // other platforms offer no fixes yet
      files.push({ path: p.path, repoPath: p.repoPath, text: read.text, kind });
      originals.set(p.path, { abs: p.abs, text: read.text });
    }
    if (files.length === 0) continue;
    const result = await fixFiles(files, { config, unsafe: opts.unsafe, online: opts.online, resolver });
    diagnostics.push(...result.diagnostics);
    applied.push(...result.applied);
    remaining += result.remaining.length;
    pending += result.pending.length;
    unsafeAvailable += result.unsafeAvailable.length;
    for (const f of files) {
      const after = result.texts.get(f.path)!;
      if (after === f.text) continue;
      changedFiles.add(f.path);
      if (opts.dryRun) {
        // The diff quotes the file: star out every secret in it, in context lines too.
        const secretLocations = result.remaining.filter((r) => r.location.file === f.path && (secretRules.has(r.ruleId) || r.ruleId.startsWith('secrets/'))).map((r) => r.location);
        const masked = maskedPair(f.text, after, f.path, secretLocations);
        diff += masked ? unifiedDiff(f.path, masked.before, masked.after) : `--- a/${f.path}\n+++ b/${f.path}\n(diff not shown: the file could not be checked for secrets in time)\n`;
        continue;
      }
      const orig = originals.get(f.path)!;
      const error = writeAtomically(orig.abs, orig.text, after);
      if (error) {
        failed++;
        diagnostics.push({ level: 'error', file: f.path, message: `${error}; not written` });
      }
    }
  }
  if (!opts.quiet) {
    for (const a of applied) diagnostics.push({ level: 'note', file: a.file, line: a.line, message: `${opts.dryRun ? 'would fix' : 'fixed'} ${a.ruleIds.join(', ')}: ${a.description}${a.safety === 'unsafe' ? ' (unsafe)' : ''}` });
  }
  // Notes quote fix descriptions and files: mask secrets in them too.
  const shown = maskReportTexts([], diagnostics).diagnostics;
  printDiagnostics(opts.quiet ? shown.filter((d) => d.level === 'error') : shown);
  if (!opts.quiet) {
    const verb = opts.dryRun ? 'would be applied' : 'applied';
    let summary = `${applied.length} ${applied.length === 1 ? 'fix' : 'fixes'} ${verb} in ${changedFiles.size} ${changedFiles.size === 1 ? 'file' : 'files'}, ${remaining} remaining ${remaining === 1 ? 'finding' : 'findings'}`;
    if (unsafeAvailable > 0) summary += ` (${unsafeAvailable} with an unsafe fix: review, then rerun with --unsafe)`;
    process.stderr.write(`${sanitize(summary)}\n`);
  }
  if (diff) await writeStdout(diff);
  process.exitCode = pending > 0 || failed > 0 ? 1 : 0;
}

/**
 * Replaces a file's content without following symlinks: the path (and every directory on it)
 * must be what it claims, the content must still be what was read (no lost concurrent edit),
 * and the new content goes to a temp file in the same directory that is renamed over it.
 */
export function writeAtomically(abs: string, expected: string, text: string): string | undefined {
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    return 'file disappeared';
  }
  if (st.isSymbolicLink()) return 'is a symbolic link (pipewarden never writes through links)';
  if (!st.isFile()) return 'not a regular file';
  try {
    if (realpathSync(abs) !== resolve(abs)) return 'a directory on its path is a symbolic link (pipewarden never writes through links)';
    if (readFileSync(abs, 'utf8') !== expected) return 'changed while pipewarden was fixing it';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const tmp = join(dirname(abs), `.${basename(abs)}.pipewarden-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', st.mode & 0o7777);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, abs);
    return undefined;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    return e instanceof Error ? e.message : String(e);
  }
}
