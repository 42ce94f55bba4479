import type { Finding } from '../../core/finding.js';
import { runRules } from '../../core/engine.js';
import type { PipewardenConfig } from '../../config/types.js';
import { rootAboveFolder, type CiFile, type Platform, type PlatformAuditResult } from '../../audit/platform.js';
import { buildGithubModel, classifyGithubPath, sniffGithubKind, type GithubFile, type GithubFileKind } from './load.js';
import { callGraphProblems } from './call-graph.js';
import type { OnlineFacts, OnlineModel } from '../../online/facts.js';
import { syntaxErrorFinding } from '../../audits/core/syntax-error/rule.js';
import { expressionSyntaxFindings } from '../../audits/github/expression-syntax.js';
import type { Rule } from '../../core/rule.js';
import type { GithubModel } from './model.js';
import { rule as templateInjection } from '../../audits/github/template-injection/rule.js';
import { rule as workflowSchema } from '../../audits/github/workflow-schema/rule.js';
import { rule as unpinnedUses } from '../../audits/github/unpinned-uses/rule.js';
import { rule as unpinnedImages } from '../../audits/github/unpinned-images/rule.js';
import { rule as knownVulnerableActions } from '../../audits/github/known-vulnerable-actions/rule.js';
import { rule as dependabotExecution } from '../../audits/github/dependabot-execution/rule.js';
import { rule as excessivePermissions } from '../../audits/github/excessive-permissions/rule.js';
import { rule as secretsInherit } from '../../audits/github/secrets-inherit/rule.js';
import { rule as overprovisionedSecrets } from '../../audits/github/overprovisioned-secrets/rule.js';
import { rule as unredactedSecrets } from '../../audits/github/unredacted-secrets/rule.js';
import { rule as hardcodedCredentials } from '../../audits/github/hardcoded-credentials/rule.js';
import { rule as selfHostedRunner } from '../../audits/github/self-hosted-runner/rule.js';
import { rule as dangerousTriggers } from '../../audits/github/dangerous-triggers/rule.js';
import { rule as untrustedCheckoutExec } from '../../audits/github/untrusted-checkout-exec/rule.js';
import { rule as artifactPoisoning } from '../../audits/github/artifact-poisoning/rule.js';
import { rule as artipacked } from '../../audits/github/artipacked/rule.js';
import { rule as cachePoisoning } from '../../audits/github/cache-poisoning/rule.js';
import { rule as githubEnv } from '../../audits/github/github-env/rule.js';
import { rule as insecureCommands } from '../../audits/github/insecure-commands/rule.js';
import { rule as botConditions } from '../../audits/github/bot-conditions/rule.js';
import { rule as unsoundContains } from '../../audits/github/unsound-contains/rule.js';
import { rule as unsoundCondition } from '../../audits/github/unsound-condition/rule.js';
import { rule as unverifiedScriptExec } from '../../audits/github/unverified-script-exec/rule.js';
import { rule as typosquatUses } from '../../audits/github/typosquat-uses/rule.js';
import { rule as impostorCommit } from '../../audits/github/impostor-commit/rule.js';
import { rule as refConfusion } from '../../audits/github/ref-confusion/rule.js';
import { rule as staleActionRefs } from '../../audits/github/stale-action-refs/rule.js';
import { rule as refVersionMismatch } from '../../audits/github/ref-version-mismatch/rule.js';
import { rule as transitiveActions } from '../../audits/github/transitive-actions/rule.js';
import { rule as archivedUses } from '../../audits/github/archived-uses/rule.js';
import { rule as forbiddenUses } from '../../audits/github/forbidden-uses/rule.js';
import { rule as missingSast } from '../../audits/github/missing-sast/rule.js';
import { rule as useTrustedPublishing } from '../../audits/github/use-trusted-publishing/rule.js';
import { rule as dependabotCooldown } from '../../audits/github/dependabot-cooldown/rule.js';
import { rule as obfuscation } from '../../audits/github/obfuscation/rule.js';
import { rule as debugEnabled } from '../../audits/github/debug-enabled/rule.js';
import { rule as secretExfiltration } from '../../audits/github/secret-exfiltration/rule.js';
import { rule as unprotectedDeployment } from '../../audits/github/unprotected-deployment/rule.js';
import { rule as prRunsOnSelfHosted } from '../../audits/github/pr-runs-on-self-hosted/rule.js';

/** Every GitHub Actions audit, in documentation order. */
export const GITHUB_RULES: readonly Rule<GithubModel>[] = [
  templateInjection,
  dangerousTriggers,
  untrustedCheckoutExec,
  artifactPoisoning,
  artipacked,
  cachePoisoning,
  unpinnedUses,
  unpinnedImages,
  knownVulnerableActions,
  impostorCommit,
  refConfusion,
  staleActionRefs,
  refVersionMismatch,
  transitiveActions,
  typosquatUses,
  archivedUses,
  forbiddenUses,
  missingSast,
  dependabotExecution,
  dependabotCooldown,
  excessivePermissions,
  secretsInherit,
  overprovisionedSecrets,
  unredactedSecrets,
  hardcodedCredentials,
  selfHostedRunner,
  prRunsOnSelfHosted,
  githubEnv,
  insecureCommands,
  botConditions,
  unsoundContains,
  unsoundCondition,
  unverifiedScriptExec,
  useTrustedPublishing,
  obfuscation,
  debugEnabled,
  secretExfiltration,
  unprotectedDeployment,
  workflowSchema,
];

/** hardcoded-credentials reuses the secrets engine, so it honours the same `secrets.allow` list. */
function withSecretsAllow(config: PipewardenConfig): PipewardenConfig {
  const allow = config.secrets.allow;
  if (!allow || allow.length === 0) return config;
  const current = config.rules['hardcoded-credentials'] ?? {};
  return {
    ...config,
    rules: { ...config.rules, 'hardcoded-credentials': { ...current, options: { ...current.options, 'secrets-allow': allow } } },
  };
}

/**
 * Load → model → rules for GitHub files: parses them into one model (local actions and reusable
 * workflows are resolved across the files of the repository), reports load problems, call-graph
 * problems and expression syntax errors, and runs every GitHub audit. `facts`: what `--online`
 * prefetched (src/online), attached to the model for the online rules.
 */
export function auditGithub(files: GithubFile[], config: PipewardenConfig, online: boolean, facts?: OnlineFacts): PlatformAuditResult {
  const { model, problems } = buildGithubModel(files);
  if (facts) (model as OnlineModel).online = facts;
  const findings: Finding[] = problems.map((p) => syntaxErrorFinding(p.message, p.location));
  for (const p of callGraphProblems(model)) findings.push(syntaxErrorFinding(p.message, p.location));
  findings.push(...expressionSyntaxFindings(model));
  const result = runRules(GITHUB_RULES, model, { config: withSecretsAllow(config), online });
  findings.push(...result.findings);
  return { findings, diagnostics: result.diagnostics };
}

const KINDS: ReadonlySet<string> = new Set<GithubFileKind>(['workflow', 'action', 'dependabot']);

function githubKindOf(f: CiFile): GithubFileKind {
  if (f.kind === undefined || !KINDS.has(f.kind)) throw new Error(`${f.path}: no GitHub file kind`);
  return f.kind as GithubFileKind;
}

/**
 * GitHub Actions as a platform of the audit pipeline (src/audit/platform.ts). Its files come in
 * three kinds, which its classification names; a workflow, action or Dependabot file named on the
 * command line outside a repository is still recognised by its full path.
 */
export const auditor: Platform = {
  platform: 'github',
  matches: classifyGithubPath,
  matchesNamed: classifyGithubPath,
  sniff: sniffGithubKind,
  // A `.github` folder sits at the top of its repository (the last one in the path, for nested repositories).
  repoRoot: (path) => rootAboveFolder(path, '.github'),
  rules: () => GITHUB_RULES.map((r) => r.meta),
  // Local actions and reusable workflows are files of the same repository that the walk already
  // found, so GitHub reads nothing through `read`.
  audit: (files, _read, config, online, facts) => auditGithub(files.map((f) => ({ path: f.path, repoPath: f.repoPath, text: f.text, kind: githubKindOf(f) })), config, online, facts),
};
