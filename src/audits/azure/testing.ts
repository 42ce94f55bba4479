import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import { DEFAULT_CONFIG } from '../../config/types.js';
import type { AzureModel } from '../../platforms/azure/model.js';
import { buildAzureModel, isAzureCandidatePath, isAzureEntryPath, sniffAzureEntry, type AzureReader } from '../../platforms/azure/parse.js';

export { summarize, yaml } from '../github/testing.js';

/** A RepoReader over in-memory files (path → text); unknown paths are an error like on disk. */
export function memoryReader(files: Record<string, string>): AzureReader {
  return (repoPath) => {
    const text = files[repoPath];
    return text === undefined ? { error: 'no such file' } : { file: { path: repoPath, repoPath, text } };
  };
}

/**
 * Runs one rule over in-memory files as the CLI would: entry files are those recognised by
 * name (`azure-pipelines.yml`, `.azure-pipelines.yml`) or, at a candidate path (`.azure-pipelines/*.yml`,
 * ...), by content (`sniffAzureEntry`); the others are templates they read.
 */
export function auditFiles(rule: Rule<AzureModel>, files: Record<string, string>, options: Record<string, unknown> = {}): Finding[] {
  const entries = Object.entries(files)
    .filter(([path, text]) => isAzureEntryPath(path) || (isAzureCandidatePath(path) && sniffAzureEntry(text)))
    .map(([path, text]) => ({ path, repoPath: path, text }));
  if (entries.length === 0) throw new Error('no entry file among the fixtures');
  const { model, problems } = buildAzureModel(entries, memoryReader(files));
  if (problems.length > 0) throw new Error(`fixture problems: ${problems.map((p) => `${p.location.file}:${p.location.startLine}: ${p.message}`).join('; ')}`);
  const config = { ...DEFAULT_CONFIG, rules: { [rule.meta.id]: { options } } };
  const { findings, diagnostics } = runRules([rule], model, { config, online: false });
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return findings.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn);
}
