/**
 * The platform-neutral audit pipeline (docs/architecture.md):
 *
 *   discover → classify → load → model → rules → findings → policy → render
 *
 * - discover: src/cli/audit.ts `collectAuditFiles` walks the PATHs (gitignore-aware, never leaving
 *   the tree), keeps the paths `isCiPath` accepts and groups them by repository (`PendingFile[][]`).
 * - classify: `classifyFile` asks each `Platform` (src/audit/platform.ts) whether a file is its own.
 * - load, model, rules, findings: each platform's `audit` over its files of one repository;
 *   `auditRepository` runs every platform present there, `auditRepositories` (parallel.ts) spreads
 *   repositories over worker threads and merges.
 * - policy, render: src/cli/common.ts `finishReport` (ignores, baseline, thresholds, gate) and src/report.
 *
 * Nothing here knows a platform by name: every CI platform is one entry of `PLATFORMS`.
 */
import type { Diagnostic, Finding } from '../core/finding.js';
import type { PipewardenConfig } from '../config/types.js';
import { relative, resolve, sep } from 'node:path';
import { readTextFile } from '../sources/read.js';
import { resolveInside } from '../sources/walk.js';
import type { Classification, CiFile, Platform, RepoReader } from './platform.js';
import { CLASSIFY_ORDER, PLATFORMS } from './platforms.js';
import { syntaxErrorFinding } from '../audits/core/syntax-error/rule.js';
import { notAuditedFinding } from '../audits/core/not-audited/rule.js';
import { loadYaml, YAML_LIMITS } from '../yaml/load.js';
import type { OnlineFacts } from '../online/facts.js';

/**
 * The one size limit for CI files (entry files, includes, templates, local actions): the YAML
 * loader's. A larger file is a `not-audited` finding. Documented in README.md and docs/audit.md.
 */
export const MAX_FILE_BYTES = YAML_LIMITS.maxBytes;

/** A CI file found on disk, not read yet. */
export interface PendingFile {
  abs: string;
  /** Display path (relative to the working directory). */
  path: string;
  /** Path relative to its repository (what `uses: ./x` resolves against). */
  repoPath: string;
  /** Named on the command line: sniff its kind if the name does not tell. */
  explicit: boolean;
  /** Absolute path of the repository root (for reading includes and templates). */
  repoRoot: string;
  /** Found but refused before reading (a link out of the tree): why. Reported as `not-audited`. */
  refused?: string;
  /** Found as a symbolic link (`abs` is then its target inside the tree): audited, never written. */
  link?: true;
}

export interface AuditResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** Reads files of one repository for includes/templates, never leaving it. */
function repoReader(repoRoot: string, cwd: string): RepoReader {
  return (repoPath) => {
    const abs = resolve(repoRoot, repoPath);
    const inside = resolveInside(repoRoot, abs);
    if ('error' in inside) return { error: inside.error };
    const read = readTextFile(inside.real, MAX_FILE_BYTES);
    if ('skipped' in read) return { error: read.skipped };
    return { file: { path: relative(cwd, abs).split(sep).join('/'), repoPath: repoPath.replace(/^\.\//, ''), text: read.text } };
  };
}

/** A platform's claim on a file, with the kind its classification named (if any). */
export interface Claim {
  platform: Platform;
  kind?: string;
}

function claim(platform: Platform, c: Classification): Claim | undefined {
  if (c === undefined || c === false || c === '') return undefined;
  return typeof c === 'string' ? { platform, kind: c } : { platform };
}

function firstClaim(ask: (p: Platform) => Classification | undefined): Claim | undefined {
  for (const p of CLASSIFY_ORDER) {
    const c = claim(p, ask(p));
    if (c) return c;
  }
  return undefined;
}

/**
 * Classify: which platform a file belongs to, by its path first (its repository path, then for a
 * file named on the command line its full path: one outside a repository still says what it is by
 * its path), and only when no path says, by its content: named files by any platform's `sniff`,
 * files found by the walk at a candidate path by a platform that recognises an entry file of its
 * own (never a template, which is audited through its includer).
 */
export function classifyFile(p: PendingFile, text: string): Claim | undefined {
  const byPath = firstClaim((pl) => pl.matches(p.repoPath)) ?? (p.explicit ? firstClaim((pl) => pl.matchesNamed?.(toPosix(p.abs))) : undefined);
  if (byPath) return byPath;
  if (p.explicit) return firstClaim((pl) => pl.sniff(text));
  return firstClaim((pl) => pl.candidate?.(p.repoPath) === true && pl.sniffEntry?.(text) === true);
}

/** Reads one repository's pending files and audits them together (cross-file analysis stays within a repository). */
export function auditRepository(pending: PendingFile[], config: PipewardenConfig, online: boolean, cwd = process.cwd(), facts?: OnlineFacts): AuditResult {
  const diagnostics: Diagnostic[] = [];
  const byPlatform = new Map<Platform, CiFile[]>();
  // Fail closed: a CI file that cannot be read is a finding (high by default), not a silent skip.
  const findings: Finding[] = [];
  for (const p of pending) {
    // A walk candidate (a YAML file in a `pipelines` folder) is not known to be CI before it is read:
    // one that cannot be read is a warning, not a `not-audited` finding.
    const maybe = !p.explicit && !isSureCiPath(p.repoPath);
    const read = p.refused !== undefined ? { skipped: p.refused } : readTextFile(p.abs, MAX_FILE_BYTES);
    if ('skipped' in read) {
      if (maybe) diagnostics.push({ level: 'warning', file: p.path, message: `possible CI file not read: ${read.skipped}` });
      else findings.push(notAuditedFinding(p.path, read.skipped));
      continue;
    }
    const owner = classifyFile(p, read.text);
    if (!owner) {
      if (!p.explicit) continue;
      // A .yml/.yaml file named on purpose that does not parse cannot be audited, which must not
      // pass (other extensions, e.g. every staged file from a pre-commit hook, stay a warning).
      const broken = /\.ya?ml$/i.test(p.path) ? loadYaml(p.path, read.text).problems : [];
      if (broken.length > 0) findings.push(...broken.map((b) => syntaxErrorFinding(b.message, { ...b.location, file: p.path })));
      else diagnostics.push({ level: 'warning', file: p.path, message: 'not a recognised CI file; skipped' });
      continue;
    }
    const list = byPlatform.get(owner.platform) ?? [];
    list.push({ path: p.path, repoPath: p.repoPath, text: read.text, ...(owner.kind !== undefined ? { kind: owner.kind } : {}) });
    byPlatform.set(owner.platform, list);
  }
  // A bug in one platform's audit must not hide the others' findings, nor pass the gate: it is
  // an `internal-error` diagnostic, and the run exits 3 (src/cli/common.ts).
  const reader = pending[0] ? repoReader(pending[0].repoRoot, cwd) : () => ({ error: 'no repository' });
  // Platforms run in registry order (not in the order their files were met), so the order of
  // their diagnostics does not depend on the walk.
  for (const platform of PLATFORMS) {
    const files = byPlatform.get(platform);
    if (!files) continue;
    try {
      injectedFault(platform.platform);
      const result = platform.audit(files, reader, config, online, facts);
      findings.push(...result.findings);
      diagnostics.push(...result.diagnostics);
    } catch (e) {
      diagnostics.push(internalError(platform.platform, e));
    }
  }
  return { findings, diagnostics };
}

/**
 * Tests only: PIPEWARDEN_TEST_FAULT=audit:<platform> makes that platform's audit throw, so the
 * end-to-end tests can check that a bug fails the run (exit 3) without hiding other findings.
 */
function injectedFault(platform: string): void {
  if (process.env.PIPEWARDEN_TEST_FAULT === `audit:${platform}`) throw new Error('injected fault (PIPEWARDEN_TEST_FAULT)');
}

function internalError(platform: string, e: unknown): Diagnostic {
  return { level: 'error', code: 'internal-error', message: `internal error in the ${platform} audit: ${e instanceof Error ? e.message : String(e)}; please report this as a bug` };
}

function isSureCiPath(repoPath: string): boolean {
  return PLATFORMS.some((p) => claim(p, p.matches(repoPath)) !== undefined);
}

/** Is this repository-relative path a CI file of any platform, or a candidate worth reading to tell? */
export function isCiPath(repoPath: string): boolean {
  return isSureCiPath(repoPath) || PLATFORMS.some((p) => p.candidate?.(repoPath) === true);
}

/**
 * The repository a path found by the walk belongs to, as a prefix of that path ('' is the scanned
 * folder itself), when some platform's `repoRoot` places it: `a/b/.github/workflows/x.yml`,
 * `a/b/.circleci/config.yml` and `a/b/.gitlab-ci.yml` belong to `a/b`. When several platforms
 * place the same path (`.github/azure-pipelines.yml`), the outermost root wins: a CI folder such as
 * `.github` sits at the top of its repository. `undefined`: the path says nothing (an included
 * template, an action), and discovery puts it in the deepest repository above it.
 */
export function repoPrefixOf(path: string): string | undefined {
  let root: string | undefined;
  for (const p of PLATFORMS) {
    const r = p.repoRoot?.(path);
    if (r !== undefined && (root === undefined || r.length < root.length)) root = r;
  }
  return root;
}
