import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import { DEFAULT_CONFIG } from '../../config/types.js';
import type { CiFile, RepoReader } from '../../audit/platform.js';
import { buildBitbucketModel, isBitbucketPath } from '../../platforms/bitbucket/parse.js';
import type { BitbucketModel } from '../../platforms/bitbucket/model.js';

export { summarize, yaml } from '../github/testing.js';

/** A RepoReader over in-memory files (path → text). */
export function memoryReader(files: Record<string, string>): RepoReader {
  return (repoPath) => {
    const text = files[repoPath];
    return text === undefined ? { error: 'no such file' } : { file: { path: repoPath, repoPath, text } };
  };
}

/** Entry files (`bitbucket-pipelines.yml` at any depth) of an in-memory repository. */
export function entryFiles(files: Record<string, string>): CiFile[] {
  return Object.entries(files)
    .filter(([p]) => isBitbucketPath(p))
    .map(([path, text]) => ({ path, repoPath: path, text }));
}

/** Runs one rule over in-memory files as the CLI would; fixture problems fail the test. */
export function auditFiles(rule: Rule<BitbucketModel>, files: Record<string, string>, options: Record<string, unknown> = {}): Finding[] {
  const { model, problems } = buildBitbucketModel(entryFiles(files), memoryReader(files));
  if (problems.length > 0) throw new Error(`fixture problems: ${problems.map((p) => `${p.location.file}:${p.location.startLine}: ${p.message}`).join('; ')}`);
  const config = { ...DEFAULT_CONFIG, rules: { [rule.meta.id]: { options } } };
  const { findings, diagnostics } = runRules([rule], model, { config, online: false });
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return findings.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn);
}
