import type { Finding } from '../../core/finding.js';
import { runRules } from '../../core/engine.js';
import type { PipewardenConfig } from '../../config/types.js';
import type { CiFile, Platform, PlatformAuditResult } from '../../audit/platform.js';
import { buildGithubModel, classifyGithubPath, sniffGithubKind, type GithubFile, type GithubFileKind } from '../../platforms/github/load.js';
import { callGraphProblems } from '../../platforms/github/call-graph.js';
import type { OnlineFacts, OnlineModel } from '../../online/facts.js';
import { syntaxErrorFinding } from '../core/syntax-error/rule.js';
import { expressionSyntaxFindings } from './expression-syntax.js';
import type { Rule } from '../../core/rule.js';
import type { GithubModel } from '../../platforms/github/model.js';
import { rule as templateInjection } from './template-injection/rule.js';
import { rule as workflowSchema } from './workflow-schema/rule.js';
import { rule as unpinnedUses } from './unpinned-uses/rule.js';
import { rule as unpinnedImages } from './unpinned-images/rule.js';
import { rule as knownVulnerableActions } from './known-vulnerable-actions/rule.js';
import { rule as dependabotExecution } from './dependabot-execution/rule.js';
import { rule as excessivePermissions } from './excessive-permissions/rule.js';
import { rule as secretsInherit } from './secrets-inherit/rule.js';
import { rule as overprovisionedSecrets } from './overprovisioned-secrets/rule.js';
import { rule as unredactedSecrets } from './unredacted-secrets/rule.js';
import { rule as hardcodedCredentials } from './hardcoded-credentials/rule.js';
import { rule as selfHostedRunner } from './self-hosted-runner/rule.js';
import { rule as dangerousTriggers } from './dangerous-triggers/rule.js';
import { rule as untrustedCheckoutExec } from './untrusted-checkout-exec/rule.js';
import { rule as artifactPoisoning } from './artifact-poisoning/rule.js';
import { rule as artipacked } from './artipacked/rule.js';
import { rule as cachePoisoning } from './cache-poisoning/rule.js';
import { rule as githubEnv } from './github-env/rule.js';
import { rule as insecureCommands } from './insecure-commands/rule.js';
import { rule as botConditions } from './bot-conditions/rule.js';
import { rule as unsoundContains } from './unsound-contains/rule.js';
import { rule as unsoundCondition } from './unsound-condition/rule.js';
import { rule as unverifiedScriptExec } from './unverified-script-exec/rule.js';
import { rule as typosquatUses } from './typosquat-uses/rule.js';
import { rule as impostorCommit } from './impostor-commit/rule.js';
import { rule as refConfusion } from './ref-confusion/rule.js';
import { rule as staleActionRefs } from './stale-action-refs/rule.js';
import { rule as refVersionMismatch } from './ref-version-mismatch/rule.js';
import { rule as transitiveActions } from './transitive-actions/rule.js';
import { rule as archivedUses } from './archived-uses/rule.js';
import { rule as forbiddenUses } from './forbidden-uses/rule.js';
import { rule as missingSast } from './missing-sast/rule.js';
import { rule as useTrustedPublishing } from './use-trusted-publishing/rule.js';
import { rule as dependabotCooldown } from './dependabot-cooldown/rule.js';
import { rule as obfuscation } from './obfuscation/rule.js';
import { rule as debugEnabled } from './debug-enabled/rule.js';
import { rule as secretExfiltration } from './secret-exfiltration/rule.js';
import { rule as unprotectedDeployment } from './unprotected-deployment/rule.js';
import { rule as prRunsOnSelfHosted } from './pr-runs-on-self-hosted/rule.js';

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
  rules: () => GITHUB_RULES.map((r) => r.meta),
  // Local actions and reusable workflows are files of the same repository that the walk already
  // found, so GitHub reads nothing through `read`.
  audit: (files, _read, config, online, facts) => auditGithub(files.map((f) => ({ path: f.path, repoPath: f.repoPath, text: f.text, kind: githubKindOf(f) })), config, online, facts),
};
