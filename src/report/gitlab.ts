import type { Finding, Severity } from '../core/finding.js';
import { toPosixPath } from './paths.js';

/** GitLab's Code Quality scale has no "high"; shift down one step so critical stays distinct. */
const GITLAB_SEVERITY: Record<Severity, string> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

/** GitLab Code Quality report (a JSON array, the subset of Code Climate's format GitLab reads). */
export function renderGitlab(findings: readonly Finding[]): string {
  const issues: CodeQualityIssue[] = findings.map((f) => ({
    description: f.message,
    check_name: f.ruleId,
    fingerprint: f.fingerprint,
    severity: GITLAB_SEVERITY[f.severity],
    // Code Quality needs a line; a whole-resource location (line 0, e.g. a repository URL) points at line 1.
    location: { path: toPosixPath(f.location.file), lines: { begin: Math.max(1, f.location.startLine), end: Math.max(1, f.location.endLine) } },
  }));
  return JSON.stringify(issues, null, 2) + '\n';
}
