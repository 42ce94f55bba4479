import type { Diagnostic, Finding } from '../../core/finding.js';
import { runRules } from '../../core/engine.js';
import type { PipewardenConfig } from '../../config/types.js';
import { readTextFile } from '../../sources/read.js';
import { buildGithubModel, classifyGithubPath, sniffGithubKind, type GithubFile } from '../../platforms/github/load.js';
import { syntaxErrorFinding } from '../core/syntax-error/rule.js';
import { expressionSyntaxFindings } from './expression-syntax.js';
import { GITHUB_RULES } from './index.js';

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
}

export interface AuditResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
}

/** Parses GitHub files into one model and runs every GitHub audit over it. */
export function auditGithub(files: GithubFile[], config: PipewardenConfig, online: boolean): AuditResult {
  const { model, problems } = buildGithubModel(files);
  const findings: Finding[] = problems.map((p) => syntaxErrorFinding(p.message, p.location));
  findings.push(...expressionSyntaxFindings(model));
  const result = runRules(GITHUB_RULES, model, { config, online });
  findings.push(...result.findings);
  return { findings, diagnostics: result.diagnostics };
}

/** Reads one repository's pending files and audits them together (cross-file analysis stays within a repository). */
export function auditRepository(pending: PendingFile[], config: PipewardenConfig, online: boolean): AuditResult {
  const diagnostics: Diagnostic[] = [];
  const files: GithubFile[] = [];
  for (const p of pending) {
    const read = readTextFile(p.abs, MAX_FILE_BYTES);
    if ('skipped' in read) {
      diagnostics.push({ level: 'error', file: p.path, message: `${read.skipped}; not audited` });
      continue;
    }
    const kind = classifyGithubPath(p.repoPath) ?? (p.explicit ? sniffGithubKind(read.text) : undefined);
    if (!kind) {
      if (p.explicit) diagnostics.push({ level: 'warning', file: p.path, message: 'not a recognised CI file (workflow, action.yml or dependabot.yml); skipped' });
      continue;
    }
    files.push({ path: p.path, repoPath: p.repoPath, text: read.text, kind });
  }
  const result = auditGithub(files, config, online);
  return { findings: result.findings, diagnostics: [...diagnostics, ...result.diagnostics] };
}
