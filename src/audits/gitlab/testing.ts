import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import { DEFAULT_CONFIG } from '../../config/types.js';
import type { CiFile, RepoReader } from '../../audit/platform.js';
import { buildGitlabModel } from '../../platforms/gitlab/parse.js';
import type { GitlabModel } from '../../platforms/gitlab/model.js';
import { isGitlabEntry } from '../../platforms/gitlab/platform.js';

export { summarize, yaml } from '../github/testing.js';

/** An in-memory repository: entry files are those named `.gitlab-ci.yml`; the rest are readable through the reader. */
export function memoryRepo(files: Record<string, string>): { entries: CiFile[]; read: RepoReader } {
  const entries = Object.entries(files)
    .filter(([p]) => isGitlabEntry(p))
    .map(([path, text]) => ({ path, repoPath: path, text }));
  const read: RepoReader = (repoPath) => {
    const text = files[repoPath];
    return text === undefined ? { error: 'no such file in the repository' } : { file: { path: repoPath, repoPath, text } };
  };
  return { entries, read };
}

/** Runs one rule over in-memory files exactly as the auditor would; fixture parse problems fail the test. */
export function auditFiles(rule: Rule<GitlabModel>, files: Record<string, string>, options: Record<string, unknown> = {}): Finding[] {
  const { entries, read } = memoryRepo(files);
  const { model, problems } = buildGitlabModel(entries, read);
  if (problems.length > 0) throw new Error(`fixture problems: ${problems.map((p) => `${p.location.file}:${p.location.startLine}: ${p.message}`).join('; ')}`);
  const config = { ...DEFAULT_CONFIG, rules: { [rule.meta.id]: { options } } };
  const { findings, diagnostics } = runRules([rule], model, { config, online: true });
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return findings.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn);
}
