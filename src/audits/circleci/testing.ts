import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import { DEFAULT_CONFIG } from '../../config/types.js';
import type { CiFile, RepoReader } from '../../audit/platform.js';
import { buildCircleModel, isEntryPath } from '../../platforms/circleci/parse.js';
import type { CircleModel } from '../../platforms/circleci/model.js';

export { summarize, yaml } from '../github/testing.js';

/** An in-memory repository: entry files are those at `.circleci/config.yml`; others are readable. */
export function memoryRepo(files: Record<string, string>): { entries: CiFile[]; read: RepoReader } {
  const all: CiFile[] = Object.entries(files).map(([path, text]) => ({ path, repoPath: path, text }));
  return {
    entries: all.filter((f) => isEntryPath(f.repoPath)),
    read: (repoPath) => {
      const f = all.find((x) => x.repoPath === repoPath);
      return f ? { file: f } : { error: 'no such file' };
    },
  };
}

/** Runs one rule over in-memory files exactly as the auditor would, for tests. */
export function auditFiles(rule: Rule<CircleModel>, files: Record<string, string>, options: Record<string, unknown> = {}): Finding[] {
  const { entries, read } = memoryRepo(files);
  const { model, problems } = buildCircleModel(entries, read);
  if (problems.length > 0) throw new Error(`fixture problems: ${problems.map((p) => `${p.location.file}:${p.location.startLine}: ${p.message}`).join('; ')}`);
  const config = { ...DEFAULT_CONFIG, rules: { [rule.meta.id]: { options } } };
  const { findings, diagnostics } = runRules([rule], model, { config, online: false });
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return findings.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn);
}
