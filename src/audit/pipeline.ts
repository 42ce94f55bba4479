import type { Diagnostic, Finding } from '../core/finding.js';
import { runRules } from '../core/engine.js';
import type { PipewardenConfig } from '../config/types.js';
import { relative, resolve, sep } from 'node:path';
import { readTextFile } from '../sources/read.js';
import { resolveInside } from '../sources/walk.js';
import type { CiFile, PlatformAuditor, RepoReader } from './platform.js';
import { OTHER_PLATFORMS } from './platforms.js';
import { buildGithubModel, classifyGithubPath, sniffGithubKind, type GithubFile } from '../platforms/github/load.js';
import { syntaxErrorFinding } from '../audits/core/syntax-error/rule.js';
import { notAuditedFinding } from '../audits/core/not-audited/rule.js';
import { loadYaml, YAML_LIMITS } from '../yaml/load.js';
import { expressionSyntaxFindings } from '../audits/github/expression-syntax.js';
import { callGraphProblems } from '../platforms/github/call-graph.js';
import { GITHUB_RULES } from '../audits/github/index.js';
import type { OnlineFacts, OnlineModel } from '../online/facts.js';

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

/** Parses GitHub files into one model and runs every GitHub audit over it. `facts`: what `--online` prefetched (src/online). */
export function auditGithub(files: GithubFile[], config: PipewardenConfig, online: boolean, facts?: OnlineFacts): AuditResult {
  const { model, problems } = buildGithubModel(files);
  if (facts) (model as OnlineModel).online = facts;
  const findings: Finding[] = problems.map((p) => syntaxErrorFinding(p.message, p.location));
  for (const p of callGraphProblems(model)) findings.push(syntaxErrorFinding(p.message, p.location));
  findings.push(...expressionSyntaxFindings(model));
  const result = runRules(GITHUB_RULES, model, { config: withSecretsAllow(config), online });
  findings.push(...result.findings);
  return { findings, diagnostics: result.diagnostics };
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

/** hardcoded-credentials reuses the secrets engine, so it honours the same `secrets.allow` list. */
function withSecretsAllow(config: PipewardenConfig): PipewardenConfig {
  const allow = config.secrets.allow;
  if (!allow || allow.length === 0) return config;
  const current = config.rules['hardcoded-credentials'] ?? {};
  return {
    ...config,
    rules: { ...config.rules, 'hardcoded-credentials': { ...current, options: { ...current.options, 'secrets-allow': allow } } },
  };
}

/** Reads one repository's pending files and audits them together (cross-file analysis stays within a repository). */
export function auditRepository(pending: PendingFile[], config: PipewardenConfig, online: boolean, cwd = process.cwd(), facts?: OnlineFacts): AuditResult {
  const diagnostics: Diagnostic[] = [];
  const files: GithubFile[] = [];
  const others = new Map<PlatformAuditor, CiFile[]>();
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
    // A file named on the command line outside a repository still says what it is by its path.
    const githubKind = classifyGithubPath(p.repoPath) ?? (p.explicit ? classifyGithubPath(toPosix(p.abs)) : undefined);
    const other = OTHER_PLATFORMS.find((pl) => pl.matches(p.repoPath)) ?? (githubKind ? undefined : sniffOther(p, read.text));
    if (other) {
      const list = others.get(other) ?? [];
      list.push({ path: p.path, repoPath: p.repoPath, text: read.text });
      others.set(other, list);
      continue;
    }
    const kind = githubKind ?? (p.explicit ? sniffGithubKind(read.text) : undefined);
    if (!kind) {
      if (!p.explicit) continue;
      // A .yml/.yaml file named on purpose that does not parse cannot be audited, which must not
      // pass (other extensions, e.g. every staged file from a pre-commit hook, stay a warning).
      const broken = /\.ya?ml$/i.test(p.path) ? loadYaml(p.path, read.text).problems : [];
      if (broken.length > 0) findings.push(...broken.map((b) => syntaxErrorFinding(b.message, { ...b.location, file: p.path })));
      else diagnostics.push({ level: 'warning', file: p.path, message: 'not a recognised CI file; skipped' });
      continue;
    }
    files.push({ path: p.path, repoPath: p.repoPath, text: read.text, kind });
  }
  // A bug in one platform's audit must not hide the others' findings, nor pass the gate: it is
  // an `internal-error` diagnostic, and the run exits 3 (src/cli/common.ts).
  if (files.length > 0) {
    try {
      injectedFault('github');
      const result = auditGithub(files, config, online, facts);
      findings.push(...result.findings);
      diagnostics.push(...result.diagnostics);
    } catch (e) {
      diagnostics.push(internalError('github', e));
    }
  }
  const reader = pending[0] ? repoReader(pending[0].repoRoot, cwd) : () => ({ error: 'no repository' });
  for (const [platform, list] of others) {
    try {
      injectedFault(platform.platform);
      const result = platform.audit(list, reader, config, online);
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

/**
 * A file whose path does not say its platform: named on the command line, any platform whose
 * content sniff takes it; found by the walk at a candidate path, a platform that recognises it as
 * one of its entry files (never a template, which is audited through its includer).
 */
function sniffOther(p: PendingFile, text: string): PlatformAuditor | undefined {
  if (p.explicit) return OTHER_PLATFORMS.find((pl) => pl.sniff(text));
  return OTHER_PLATFORMS.find((pl) => pl.candidate?.(p.repoPath) === true && pl.sniffEntry?.(text) === true);
}

function isSureCiPath(repoPath: string): boolean {
  return classifyGithubPath(repoPath) !== undefined || OTHER_PLATFORMS.some((p) => p.matches(repoPath));
}

/** Is this repository-relative path a CI file of any platform, or a candidate worth reading to tell? */
export function isCiPath(repoPath: string): boolean {
  return isSureCiPath(repoPath) || OTHER_PLATFORMS.some((p) => p.candidate?.(repoPath) === true);
}
