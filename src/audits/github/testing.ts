import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import { DEFAULT_CONFIG } from '../../config/types.js';
import { buildGithubModel, classifyGithubPath, type GithubFile } from '../../platforms/github/load.js';
import type { GithubModel } from '../../platforms/github/model.js';

/**
 * Runs one rule over in-memory files (path → YAML text) exactly as the CLI would, for tests.
 * Paths decide the file kind like on disk (`.github/workflows/x.yml`, `dir/action.yml`).
 */
export function auditFiles(rule: Rule<GithubModel>, files: Record<string, string>, options: Record<string, unknown> = {}): Finding[] {
  const list: GithubFile[] = Object.entries(files).map(([path, text]) => {
    const kind = classifyGithubPath(path);
    if (!kind) throw new Error(`test file ${path} is not a workflow, action or dependabot path`);
    return { path, text, kind };
  });
  const { model, problems } = buildGithubModel(list);
  if (problems.length > 0) throw new Error(`fixture problems: ${problems.map((p) => `${p.location.file}:${p.location.startLine}: ${p.message}`).join('; ')}`);
  const config = { ...DEFAULT_CONFIG, rules: { [rule.meta.id]: { options } } };
  const { findings, diagnostics } = runRules([rule], model, { config, online: true });
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return findings.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn);
}

/**
 * `file:line:col-line:col severity/confidence message` lines: compact, exact assertions in tests.
 * The end of the span is included (exclusive end column, as in SARIF) because the span is what a
 * code frame underlines and what a fix rewrites: a finding that starts right but ends wrong is a
 * bug the start alone would not show.
 */
export function summarize(findings: Finding[]): string[] {
  return findings.map((f) => {
    const l = f.location;
    return `${l.file}:${l.startLine}:${l.startColumn}-${l.endLine}:${l.endColumn} ${f.severity}/${f.confidence} ${f.message}`;
  });
}

/** Strips a common leading indent so fixtures can be written inline in tests. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
