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
