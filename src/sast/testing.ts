/** Test helpers: run the analysis over in-memory files and summarise findings in one line each. */
import type { Finding } from '../core/finding.js';
import { DEFAULT_CONFIG, type PipewardenConfig } from '../config/types.js';
import { runSast } from './run.js';

export async function analyse(files: Record<string, string>, config: PipewardenConfig = DEFAULT_CONFIG): Promise<Finding[]> {
  const r = await runSast(config, { path: '/virtual', files, literalSecrets: false });
  const errors = r.diagnostics.filter((d) => d.level === 'error');
  if (errors.length) throw new Error(errors.map((d) => d.message).join('; '));
  return r.findings.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn || a.ruleId.localeCompare(b.ruleId));
}

/** `file:line:col rule confidence: message`, for exact assertions. */
export function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId} ${f.confidence}: ${f.message}`);
}

/** The code flow of a finding as `line:col message` steps. */
export function flowOf(f: Finding): string[] {
  return (f.codeFlows?.[0] ?? []).map((s) => `${s.file}:${s.startLine}:${s.startColumn} ${s.message}`);
}

/** Findings of one rule, as `line message` (file omitted when there is one). */
export async function ruleHits(rule: string, files: Record<string, string>, config?: PipewardenConfig): Promise<string[]> {
  const all = await analyse(files, config);
  return all.filter((f) => f.ruleId === rule).map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.confidence}`);
}

/** Strips the common indentation of a template literal, so fixtures read naturally in tests. */
export function js(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
