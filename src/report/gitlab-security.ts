import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../core/finding.js';
import { DOCS_BASE_URL } from '../core/rule.js';
import { toPosixPath } from './paths.js';
import type { ReportContext } from './types.js';

/**
 * GitLab security reports (`artifacts:reports:sast` and `artifacts:reports:secret_detection`),
 * schema version 15.2.1 of gitlab-org/security-products/security-report-schemas, so findings
 * show in merge request widgets and the vulnerability report. The two reports split one run's
 * findings: leaked credentials found by the secrets scanner go to secret detection, everything
 * else (pipeline definitions, code, dependencies) to SAST.
 */
export const GITLAB_SECURITY_SCHEMA_VERSION = '15.2.1';

const SEVERITY: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

const TOOL = {
  id: 'pipewarden',
  name: 'pipewarden',
  url: 'https://github.com/pipewarden/pipewarden',
  vendor: { name: 'pipewarden' },
};

/** A commit id GitLab accepts when the finding was not read from history (a file of the work tree). */
const NO_COMMIT = '0000000';

export type GitlabSecurityKind = 'sast' | 'secret_detection';

export function isSecretFinding(f: Finding): boolean {
  return f.ruleId.startsWith('secrets/');
}

export function renderGitlabSecurity(findings: readonly Finding[], kind: GitlabSecurityKind, ctx: ReportContext): string {
  const titles = new Map(ctx.rules.map((r) => [r.id, r.title]));
  const chosen = findings.filter((f) => isSecretFinding(f) === (kind === 'secret_detection'));
  const file = kind === 'sast' ? 'sast-report-format.json' : 'secret-detection-report-format.json';
  const errors = ctx.diagnostics.filter((d) => d.level === 'error');
  const report = {
    version: GITLAB_SECURITY_SCHEMA_VERSION,
    schema: `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${GITLAB_SECURITY_SCHEMA_VERSION}/dist/${file}`,
    scan: {
      analyzer: { ...TOOL, version: ctx.toolVersion },
      scanner: { ...TOOL, version: ctx.toolVersion },
      type: kind,
      start_time: gitlabTime(ctx.time?.start),
      end_time: gitlabTime(ctx.time?.end),
      status: 'success',
      ...(errors.length > 0 && {
        messages: errors.map((d) => ({ level: 'warn', value: `${d.file ? `${toPosixPath(d.file)}: ` : ''}${d.message}` })),
      }),
    },
    vulnerabilities: chosen.map((f) => vulnerability(f, kind, titles.get(f.ruleId))),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

function vulnerability(f: Finding, kind: GitlabSecurityKind, title: string | undefined): Record<string, unknown> {
  const file = toPosixPath(f.location.file);
  const location: Record<string, unknown> = { file, start_line: f.location.startLine, end_line: f.location.endLine };
  if (kind === 'secret_detection') {
    const p = f.properties ?? {};
    location.commit = {
      sha: typeof p.commit === 'string' && p.commit ? p.commit : NO_COMMIT,
      ...(typeof p.author === 'string' && { author: p.author }),
      ...(typeof p.date === 'string' && { date: p.date }),
    };
  }
  const related = f.related.map((r) => `- ${toPosixPath(r.file)}:${r.startLine}: ${r.message}`);
  return {
    id: stableId(f),
    name: (title ?? f.ruleId).slice(0, 255),
    description: [f.message, ...(related.length > 0 ? ['', ...related] : [])].join('\n'),
    severity: SEVERITY[f.severity],
    solution: f.fix ? `${f.fix.description} (pipewarden fix${f.fix.safety === 'unsafe' ? ' --unsafe' : ''})` : `See \`pipewarden rules ${f.ruleId}\`.`,
    identifiers: [
      { type: 'pipewarden_rule_id', name: `pipewarden ${f.ruleId}`, value: f.ruleId, url: `${DOCS_BASE_URL}/${encodeURIComponent(f.ruleId)}.md` },
      ...f.cwe.map((c) => {
        const n = c.replace(/^CWE-/i, '');
        return { type: 'cwe', name: `CWE-${n}`, value: n, url: `https://cwe.mitre.org/data/definitions/${encodeURIComponent(n)}.html` };
      }),
      ...f.owasp.map((o) => ({ type: 'owasp_cicd', name: `OWASP ${o}`, value: o })),
    ],
    location,
  };
}

/** UUID-shaped and stable across runs: GitLab tracks the vulnerability by it within a report. */
function stableId(f: Finding): string {
  const h = createHash('sha256').update(`${f.fingerprint}\0${f.location.file}\0${f.location.startLine}\0${f.location.startColumn}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** yyyy-mm-ddThh:mm:ss in UTC, the schema's pattern (no fraction, no zone). */
function gitlabTime(d: Date | undefined): string {
  return (d ?? new Date()).toISOString().slice(0, 19);
}
