import type { PostureCheck } from '../../check.js';
import type { GithubOrgData } from '../../github/model.js';
import { check as actionsAllowedAll } from './actions-allowed-all/check.js';
import { check as actionsCanApprovePrs } from './actions-can-approve-prs/check.js';
import { check as branchDeletionAllowed } from './branch-deletion-allowed/check.js';
import { check as classicPatAccess } from './classic-pat-access/check.js';
import { check as codeOwnerReviewOff } from './code-owner-review-off/check.js';
import { check as codeownersMissing } from './codeowners-missing/check.js';
import { check as defaultBranchUnprotected } from './default-branch-unprotected/check.js';
import { check as defaultTokenWrite } from './default-token-write/check.js';
import { check as dependabotAlertsOff } from './dependabot-alerts-off/check.js';
import { check as deployKeyWrite } from './deploy-key-write/check.js';
import { check as environmentNoBranchPolicy } from './environment-no-branch-policy/check.js';
import { check as environmentNoReviewers } from './environment-no-reviewers/check.js';
import { check as environmentSelfReview } from './environment-self-review/check.js';
import { check as fineGrainedPatUnbounded } from './fine-grained-pat-unbounded/check.js';
import { check as forcePushAllowed } from './force-push-allowed/check.js';
import { check as forkPrApprovalWeak } from './fork-pr-approval-weak/check.js';
import { check as forkPrRunsWithoutApproval } from './fork-pr-runs-without-approval/check.js';
import { check as forkPrSecretsPrivate } from './fork-pr-secrets-private/check.js';
import { check as inactiveAdmin } from './inactive-admin/check.js';
import { check as lastPushApprovalOff } from './last-push-approval-off/check.js';
import { check as membersCanCreatePublicRepos } from './members-can-create-public-repos/check.js';
import { check as org2faNotRequired } from './org-2fa-not-required/check.js';
import { check as orgBasePermission } from './org-base-permission/check.js';
import { check as orgSecretAllRepos } from './org-secret-all-repos/check.js';
import { check as orgSsoNotEnforced } from './org-sso-not-enforced/check.js';
import { check as orgTooManyOwners } from './org-too-many-owners/check.js';
import { check as outsideCollaboratorWrite } from './outside-collaborator-write/check.js';
import { check as protectionBypass } from './protection-bypass/check.js';
import { check as pushProtectionOff } from './push-protection-off/check.js';
import { check as releaseRefsUnprotected } from './release-refs-unprotected/check.js';
import { check as repoSecretSingleEnvironment } from './repo-secret-single-environment/check.js';
import { check as reviewNotRequired } from './review-not-required/check.js';
import { check as runnerGroupPublicRepos } from './runner-group-public-repos/check.js';
import { check as runnerNotEphemeral } from './runner-not-ephemeral/check.js';
import { check as secretScanningOff } from './secret-scanning-off/check.js';
import { check as secretStale } from './secret-stale/check.js';
import { check as staleReviewNotDismissed } from './stale-review-not-dismissed/check.js';
import { check as statusChecksNotRequired } from './status-checks-not-required/check.js';
import { check as webhookInsecure } from './webhook-insecure/check.js';
import { check as workflowsNotCodeOwned } from './workflows-not-code-owned/check.js';

/** Every GitHub posture check, in id order. */
export const GITHUB_CHECKS: ReadonlyArray<PostureCheck<GithubOrgData>> = [
  actionsAllowedAll,
  actionsCanApprovePrs,
  branchDeletionAllowed,
  classicPatAccess,
  codeOwnerReviewOff,
  codeownersMissing,
  defaultBranchUnprotected,
  defaultTokenWrite,
  dependabotAlertsOff,
  deployKeyWrite,
  environmentNoBranchPolicy,
  environmentNoReviewers,
  environmentSelfReview,
  fineGrainedPatUnbounded,
  forcePushAllowed,
  forkPrApprovalWeak,
  forkPrRunsWithoutApproval,
  forkPrSecretsPrivate,
  inactiveAdmin,
  lastPushApprovalOff,
  membersCanCreatePublicRepos,
  org2faNotRequired,
  orgBasePermission,
  orgSecretAllRepos,
  orgSsoNotEnforced,
  orgTooManyOwners,
  outsideCollaboratorWrite,
  protectionBypass,
  pushProtectionOff,
  releaseRefsUnprotected,
  repoSecretSingleEnvironment,
  reviewNotRequired,
  runnerGroupPublicRepos,
  runnerNotEphemeral,
  secretScanningOff,
  secretStale,
  staleReviewNotDismissed,
  statusChecksNotRequired,
  webhookInsecure,
  workflowsNotCodeOwned,
];
