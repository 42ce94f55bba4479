import type { PostureCheck } from '../../check.js';
import type { GitlabGroupData } from '../../gitlab/model.js';
import { check as cacheSharedWithUnprotected } from './cache-shared-with-unprotected/check.js';
import { check as defaultBranchUnprotected } from './default-branch-unprotected/check.js';
import { check as deployKeyWrite } from './deploy-key-write/check.js';
import { check as deployTokenWrite } from './deploy-token-write/check.js';
import { check as forcePushAllowed } from './force-push-allowed/check.js';
import { check as jobTokenScopeOpen } from './job-token-scope-open/check.js';
import { check as org2faNotRequired } from './org-2fa-not-required/check.js';
import { check as pipelineVariablesOverride } from './pipeline-variables-override/check.js';
import { check as publicPipelines } from './public-pipelines/check.js';
import { check as releaseRefsUnprotected } from './release-refs-unprotected/check.js';
import { check as reviewNotRequired } from './review-not-required/check.js';
import { check as runnerSharedUntrusted } from './runner-shared-untrusted/check.js';
import { check as selfApprovalAllowed } from './self-approval-allowed/check.js';
import { check as staleReviewNotDismissed } from './stale-review-not-dismissed/check.js';
import { check as statusChecksNotRequired } from './status-checks-not-required/check.js';
import { check as variableNotMasked } from './variable-not-masked/check.js';
import { check as variableNotProtected } from './variable-not-protected/check.js';
import { check as webhookInsecure } from './webhook-insecure/check.js';

/** Every GitLab posture check, in id order. */
export const GITLAB_CHECKS: ReadonlyArray<PostureCheck<GitlabGroupData>> = [
  cacheSharedWithUnprotected,
  defaultBranchUnprotected,
  deployKeyWrite,
  deployTokenWrite,
  forcePushAllowed,
  jobTokenScopeOpen,
  org2faNotRequired,
  pipelineVariablesOverride,
  publicPipelines,
  releaseRefsUnprotected,
  reviewNotRequired,
  runnerSharedUntrusted,
  selfApprovalAllowed,
  staleReviewNotDismissed,
  statusChecksNotRequired,
  variableNotMasked,
  variableNotProtected,
  webhookInsecure,
];
