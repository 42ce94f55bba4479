/**
 * The one place the monitor calls the static audit (the audit pipeline is being refactored:
 * only this file should change when its internals move). workflow-pushed asks: does the pushed
 * workflow dump or send secrets somewhere?
 */
import { createHash } from 'node:crypto';
import { auditGithub, GITHUB_RULES } from '../../platforms/github/platform.js';
import { DEFAULT_CONFIG, type PipewardenConfig } from '../../config/types.js';
import { classifyGithubPath } from '../../platforms/github/load.js';

/** Audits whose findings mean "this workflow exposes secrets" (dumping, exfiltration, obfuscation). */
export const SECRET_EXPOSING_RULES = new Set(['secret-exfiltration', 'overprovisioned-secrets', 'unredacted-secrets', 'obfuscation']);

export interface AuditedWorkflowFinding {
  ruleId: string;
  severity: string;
  message: string;
  path: string;
  line: number;
}

export interface WorkflowAuditResult {
  findings: AuditedWorkflowFinding[];
  /** Findings of SECRET_EXPOSING_RULES. */
  exposesSecrets: AuditedWorkflowFinding[];
}

/**
 * Only the audits that answer the question run: a push is judged in a detector's time budget, and
 * the other fifty-odd audits (pinning, permissions...) have nothing to say about it.
 */
let onlyExposing: PipewardenConfig | undefined;
function exposingOnly(): PipewardenConfig {
  onlyExposing ??= { ...DEFAULT_CONFIG, rules: Object.fromEntries(GITHUB_RULES.filter((r) => !SECRET_EXPOSING_RULES.has(r.meta.id)).map((r) => [r.meta.id, { enabled: false }])) };
  return onlyExposing;
}

/** The same files pushed again (rebases, many branches) are audited once. */
const cache = new Map<string, WorkflowAuditResult>();
const CACHE_MAX = 256;

/** Runs the secret-exposing GitHub audits over pushed workflow files (offline, default options). */
export function auditWorkflowFiles(files: Array<{ path: string; text: string }>): WorkflowAuditResult {
  const key = createHash('sha256').update(JSON.stringify(files.map((f) => [f.path, f.text]))).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const result = runAudit(files);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return result;
}

function runAudit(files: Array<{ path: string; text: string }>): WorkflowAuditResult {
  const github = files
    .map((f) => ({ path: f.path, repoPath: f.path, text: f.text, kind: classifyGithubPath(f.path) }))
    .filter((f): f is { path: string; repoPath: string; text: string; kind: NonNullable<typeof f.kind> } => f.kind !== undefined);
  if (github.length === 0) return { findings: [], exposesSecrets: [] };
  const result = auditGithub(github, exposingOnly(), false);
  const findings = result.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, path: f.location.file, line: f.location.startLine }));
  return { findings, exposesSecrets: findings.filter((f) => SECRET_EXPOSING_RULES.has(f.ruleId)) };
}
