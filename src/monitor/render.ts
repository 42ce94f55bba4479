/**
 * Alerts for people and machines: the JSON shape (the interface of `monitor replay --format json`
 * and of the server's API), a text listing, and Findings so the SARIF, GitHub and GitLab
 * renderers of src/report serve alerts too. Nothing here prints a secret: alert text is built
 * from masked values by the detectors, and every string is sanitised for the terminal here.
 */
import { readFileSync } from 'node:fs';
import { fingerprintOf } from '../core/fingerprint.js';
import { severityRank, type Confidence, type Diagnostic, type Finding, type Severity } from '../core/finding.js';
import { JSON_FORMAT_VERSION } from '../report/json.js';
import type { RuleMeta } from '../core/rule.js';
import { ALERT_IDS, type Alert, type AlertId, type StoredAlert } from './model.js';

/** The public shape, without store internals. */
export function publicAlert(a: StoredAlert | Alert): Alert {
  return {
    alert: a.alert,
    severity: a.severity,
    confidence: a.confidence,
    title: a.title,
    repository: a.repository,
    actor: a.actor,
    time: a.time,
    evidence: a.evidence,
    summary: a.summary,
    response: a.response,
    ...(a.details && { details: a.details }),
  };
}

/** Deterministic order: event time, then severity (worst first), then alert id and title. */
export function compareAlerts(a: Alert, b: Alert): number {
  return (a.time < b.time ? -1 : a.time > b.time ? 1 : 0) || severityRank(b.severity) - severityRank(a.severity) || (a.alert < b.alert ? -1 : a.alert > b.alert ? 1 : 0) || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0);
}

/** The JSON report: the shape of `pipewarden audit -f json` with `alerts` in place of findings. */
export function alertsJson(alerts: Alert[], diagnostics: Diagnostic[], toolVersion: string): string {
  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const a of alerts) bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
  const report = {
    version: JSON_FORMAT_VERSION,
    tool: { name: 'pipewarden', version: toolVersion },
    alerts: alerts.map(publicAlert),
    diagnostics: diagnostics.map((d) => ({ level: d.level, ...(d.file !== undefined && { file: d.file }), ...(d.line !== undefined && { line: d.line }), ...(d.column !== undefined && { column: d.column }), message: d.message })),
    summary: { total: alerts.length, bySeverity },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const SEVERITY_COLOUR: Record<string, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[2m' };

export function alertsText(alerts: Alert[], opts: { color: boolean }): string {
  if (alerts.length === 0) return 'No alerts.\n';
  const out: string[] = [];
  for (const a of alerts) {
    const sev = opts.color ? `${SEVERITY_COLOUR[a.severity] ?? ''}${a.severity.toUpperCase()}\x1b[0m` : a.severity.toUpperCase();
    out.push(`${sev} ${a.alert}  ${a.time}  ${clean(a.repository ?? '-')}${a.actor ? `  by ${clean(a.actor)}` : ''}`);
    out.push(`  ${clean(a.title)}`);
    out.push(`  ${clean(a.summary)}`);
    out.push(`  evidence: ${a.evidence.map((e) => `${e.source} ${clean(e.id)}${e.line ? `:${e.line}` : ''}`).join(', ') || '-'}`);
    out.push('  response:');
    a.response.forEach((r, i) => out.push(`    ${i + 1}. ${clean(r)}`));
    out.push('');
  }
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  out.push(`${alerts.length} alert${alerts.length === 1 ? '' : 's'}: ${['critical', 'high', 'medium', 'low', 'info'].filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ')}`);
  return `${out.join('\n')}\n`;
}

const OWASP: Record<string, string[]> = {
  'workflow-pushed': ['CICD-SEC-4', 'CICD-SEC-1'],
  'protection-weakened': ['CICD-SEC-1'],
  'environment-protection-removed': ['CICD-SEC-1'],
  'runner-registered': ['CICD-SEC-7'],
  'actions-policy-weakened': ['CICD-SEC-5', 'CICD-SEC-7'],
  'credential-added': ['CICD-SEC-2', 'CICD-SEC-6'],
  'repo-exposure': ['CICD-SEC-6'],
  'secret-in-log': ['CICD-SEC-6', 'CICD-SEC-10'],
  'compromised-action-used': ['CICD-SEC-3', 'CICD-SEC-8'],
  'unusual-actor': ['CICD-SEC-2', 'CICD-SEC-10'],
  'push-protection-bypass': ['CICD-SEC-6'],
};
const CWE: Record<string, string[]> = {
  'workflow-pushed': ['CWE-284'],
  'protection-weakened': ['CWE-284'],
  'environment-protection-removed': ['CWE-284'],
  'runner-registered': ['CWE-250'],
  'actions-policy-weakened': ['CWE-732'],
  'credential-added': ['CWE-287'],
  'repo-exposure': ['CWE-200'],
  'secret-in-log': ['CWE-532'],
  'compromised-action-used': ['CWE-506'],
  'unusual-actor': ['CWE-284'],
  'push-protection-bypass': ['CWE-798'],
};

/** Typical severity and confidence of each alert (each alert states its own; see docs/monitor.md). */
const META: Record<AlertId, { title: string; severity: Severity; confidence: Confidence }> = {
  'workflow-pushed': { title: 'Workflow added or changed outside a reviewed pull request', severity: 'high', confidence: 'high' },
  'protection-weakened': { title: 'Branch protection or ruleset weakened, or a direct push right after', severity: 'high', confidence: 'high' },
  'environment-protection-removed': { title: 'Deployment environment protection removed', severity: 'medium', confidence: 'high' },
  'runner-registered': { title: 'Self-hosted runner registered or first used where it is risky', severity: 'high', confidence: 'medium' },
  'actions-policy-weakened': { title: 'GitHub Actions settings made more permissive', severity: 'high', confidence: 'high' },
  'credential-added': { title: 'Write deploy key, unknown webhook destination, token grant or app installed', severity: 'high', confidence: 'medium' },
  'repo-exposure': { title: 'Repository made public, or a public exfiltration dump created', severity: 'high', confidence: 'high' },
  'secret-in-log': { title: 'Secret readable in a job log', severity: 'high', confidence: 'high' },
  'compromised-action-used': { title: 'Job ran a known-compromised action', severity: 'critical', confidence: 'high' },
  'unusual-actor': { title: 'First admin action by an account without admin history', severity: 'medium', confidence: 'medium' },
  'push-protection-bypass': { title: 'Secret pushed past secret scanning push protection', severity: 'high', confidence: 'high' },
};

export const ALERT_DOCS = new URL('../../docs/monitor.md', import.meta.url);

/** The section `### <id>` of docs/monitor.md (SARIF help, `pipewarden rules monitor/<id>`). */
export function alertDocs(ruleId: string): string | undefined {
  let doc: string;
  try {
    doc = readFileSync(ALERT_DOCS, 'utf8');
  } catch {
    return undefined;
  }
  const id = ruleId.replace(/^monitor\//, '');
  const start = doc.indexOf(`\n### ${id}\n`);
  if (start === -1) return undefined;
  const end = nextHeading(doc, start + 5);
  return `${doc.slice(start + 1, end).trim()}\n`;
}

function nextHeading(doc: string, from: number): number | undefined {
  const re = /\n#{2,3} /g;
  re.lastIndex = from;
  const m = re.exec(doc);
  return m ? m.index : undefined;
}

export function alertRuleMetas(): RuleMeta[] {
  return ALERT_IDS.map((id) => ({
    id: `monitor/${id}`,
    title: META[id].title,
    platform: 'monitor',
    severity: META[id].severity,
    confidence: META[id].confidence,
    owasp: OWASP[id] ?? [],
    cwe: CWE[id] ?? [],
    fixable: false,
    online: false,
    docs: ALERT_DOCS,
  }));
}

/**
 * An alert as a Finding, located at its first piece of evidence: the input file and line of the
 * delivery or audit entry, or the log and line.
 */
export function alertToFinding(a: StoredAlert | Alert, locate: (a: Alert) => { file: string; line: number }): Finding {
  const loc = locate(a);
  const evidence = a.evidence.map((e) => `${e.source}:${e.id}${e.line ? `:${e.line}` : ''}`).join(' ');
  return {
    ruleId: `monitor/${a.alert}`,
    severity: a.severity,
    confidence: a.confidence,
    message: `${a.title}. ${a.summary}`,
    location: { file: loc.file, startLine: loc.line, startColumn: 1, endLine: loc.line, endColumn: 1 },
    related: [],
    owasp: OWASP[a.alert] ?? [],
    cwe: CWE[a.alert] ?? [],
    fingerprint: fingerprintOf(`monitor/${a.alert}`, a.repository ?? '', `${a.title}\0${evidence}`),
    properties: {
      time: a.time,
      ...(a.repository && { repository: a.repository }),
      ...(a.actor && { actor: a.actor }),
      evidence,
      response: a.response.join(' | '),
    },
  };
}
