import type { Diagnostic, Finding } from '../../core/finding.js';
import { runRules } from '../../core/engine.js';
import type { PipewardenConfig } from '../../config/types.js';
import { relative, resolve, sep } from 'node:path';
import { readTextFile } from '../../sources/read.js';
import { resolveInside } from '../../sources/walk.js';
import type { CiFile, PlatformAuditor, RepoReader } from '../platform.js';
import { OTHER_PLATFORMS } from '../platforms.js';
import { buildGithubModel, classifyGithubPath, sniffGithubKind, type GithubFile } from '../../platforms/github/load.js';
import { syntaxErrorFinding } from '../core/syntax-error/rule.js';
import { expressionSyntaxFindings } from './expression-syntax.js';
import { GITHUB_RULES } from './index.js';
import type { OnlineFacts, OnlineModel } from '../../online/facts.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

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
  findings.push(...expressionSyntaxFindings(model));
  const result = runRules(GITHUB_RULES, model, { config: withSecretsAllow(config), online });
  findings.push(...result.findings);
  return { findings, diagnostics: result.diagnostics };
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
  for (const p of pending) {
    const read = readTextFile(p.abs, MAX_FILE_BYTES);
    if ('skipped' in read) {
      diagnostics.push({ level: 'error', file: p.path, message: `${read.skipped}; not audited` });
      continue;
    }
    const other = OTHER_PLATFORMS.find((pl) => pl.matches(p.repoPath)) ?? (p.explicit && !classifyGithubPath(p.repoPath) ? OTHER_PLATFORMS.find((pl) => pl.sniff(read.text)) : undefined);
    if (other) {
      const list = others.get(other) ?? [];
      list.push({ path: p.path, repoPath: p.repoPath, text: read.text });
      others.set(other, list);
      continue;
    }
    const kind = classifyGithubPath(p.repoPath) ?? (p.explicit ? sniffGithubKind(read.text) : undefined);
    if (!kind) {
      if (p.explicit) diagnostics.push({ level: 'warning', file: p.path, message: 'not a recognised CI file; skipped' });
      continue;
    }
    files.push({ path: p.path, repoPath: p.repoPath, text: read.text, kind });
  }
  const findings: Finding[] = [];
  if (files.length > 0) {
    const result = auditGithub(files, config, online, facts);
    findings.push(...result.findings);
    diagnostics.push(...result.diagnostics);
  }
  const reader = pending[0] ? repoReader(pending[0].repoRoot, cwd) : () => ({ error: 'no repository' });
  for (const [platform, list] of others) {
    try {
      const result = platform.audit(list, reader, config, online);
      findings.push(...result.findings);
      diagnostics.push(...result.diagnostics);
    } catch (e) {
      diagnostics.push({ level: 'error', message: `internal error in the ${platform.platform} audit: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return { findings, diagnostics };
}

/** Is this repository-relative path a CI file of any platform? */
export function isCiPath(repoPath: string): boolean {
  return classifyGithubPath(repoPath) !== undefined || OTHER_PLATFORMS.some((p) => p.matches(repoPath));
}
