import type { Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { runRules } from '../core/engine.js';
import { DEFAULT_CONFIG } from '../config/types.js';
import { buildGithubModel, classifyGithubPath, type GithubFile } from '../platforms/github/load.js';
import type { GithubModel } from '../platforms/github/model.js';
import { emptyFacts, type OnlineFacts, type OnlineModel, type RepoFacts } from './facts.js';

/** Like audits/github/testing.auditFiles, with prefetched facts on the model (tests of online rules). */
export function auditWithFacts(rule: Rule<GithubModel>, files: Record<string, string>, facts: OnlineFacts | undefined, options: Record<string, unknown> = {}): Finding[] {
  const list: GithubFile[] = Object.entries(files).map(([path, text]) => ({ path, text, kind: classifyGithubPath(path)! }));
  const { model, problems } = buildGithubModel(list);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  if (facts) (model as OnlineModel).online = facts;
  const config = { ...DEFAULT_CONFIG, rules: { [rule.meta.id]: { options } } };
  const { findings, diagnostics } = runRules([rule], model, { config, online: true });
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return findings.sort((a, b) => a.location.startLine - b.location.startLine || a.message.localeCompare(b.message));
}

/** Facts with the given repositories (missing fields default to empty). */
export function factsWith(repos: Record<string, Partial<RepoFacts>>, extra: Partial<OnlineFacts> = {}): OnlineFacts {
  const facts = emptyFacts();
  for (const [k, v] of Object.entries(repos)) facts.repos[k] = { refs: {}, commits: {}, ...v };
  return { ...facts, ...extra };
}
