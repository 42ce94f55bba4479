import type { Diagnostic, Finding } from '../../core/finding.js';
import { runRules } from '../../core/engine.js';
import type { PipewardenConfig } from '../../config/types.js';
import { buildGithubModel, type GithubFile } from '../../platforms/github/load.js';
import { syntaxErrorFinding } from '../core/syntax-error/rule.js';
import { expressionSyntaxFindings } from './expression-syntax.js';
import { GITHUB_RULES } from './index.js';

/** Parses GitHub files into one model and runs every GitHub audit over it. */
export function auditGithub(files: GithubFile[], config: PipewardenConfig, online: boolean): { findings: Finding[]; diagnostics: Diagnostic[] } {
  const { model, problems } = buildGithubModel(files);
  const findings: Finding[] = problems.map((p) => syntaxErrorFinding(p.message, p.location));
  findings.push(...expressionSyntaxFindings(model));
  const result = runRules(GITHUB_RULES, model, { config, online });
  findings.push(...result.findings);
  return { findings, diagnostics: result.diagnostics };
}
