import type { Fetched } from '../fetched.js';
import type { WorkflowFacts } from '../workflows.js';

/**
 * What the GitHub posture checks see: API responses as documented (field names kept), each
 * wrapped in Fetched so a check can tell "off" from "could not read". Only the fields checks
 * use are typed; the rest of each response is still there in snapshots.
 */

export interface OrgInfo {
  login: string;
  html_url?: string;
  plan?: { name?: string };
  /** Absent (undefined) unless the token belongs to an owner. */
  two_factor_requirement_enabled?: boolean | null;
  default_repository_permission?: 'read' | 'write' | 'admin' | 'none' | null;
  members_can_create_public_repositories?: boolean;
  members_can_create_repositories?: boolean | null;
  web_commit_signoff_required?: boolean;
}

export interface Member {
  login: string;
}

export interface ActionsPermissions {
  enabled_repositories?: 'all' | 'none' | 'selected';
  /** Repository level uses `enabled` instead of enabled_repositories. */
  enabled?: boolean;
  allowed_actions?: 'all' | 'local_only' | 'selected';
  sha_pinning_required?: boolean;
}

export interface SelectedActions {
  github_owned_allowed?: boolean;
  verified_allowed?: boolean;
  patterns_allowed?: string[];
}

export interface WorkflowPermissions {
  default_workflow_permissions?: 'read' | 'write';
  can_approve_pull_request_reviews?: boolean;
}

export interface ForkPrApproval {
  approval_policy?: 'first_time_contributors_new_to_github' | 'first_time_contributors' | 'all_external_contributors';
}

export interface ForkPrPrivate {
  run_workflows_from_fork_pull_requests?: boolean;
  send_write_tokens_to_workflows?: boolean;
  send_secrets_and_variables?: boolean;
  require_approval_for_fork_pr_workflows?: boolean;
}

export interface RunnerGroup {
  id: number;
  name: string;
  visibility?: 'all' | 'selected' | 'private';
  allows_public_repositories?: boolean;
  default?: boolean;
  restricted_to_workflows?: boolean;
}

export interface Runner {
  id: number;
  name: string;
  status?: string;
  ephemeral?: boolean;
  labels?: Array<{ name: string; type?: string }>;
  runner_group_id?: number;
}

export interface Secret {
  name: string;
  created_at?: string;
  updated_at?: string;
  /** Organisation secrets: `all`, `private` or `selected` repositories. */
  visibility?: 'all' | 'private' | 'selected';
}

/**
 * A fine-grained personal access token granted access to the organisation's resources
 * (`GET /orgs/{org}/personal-access-tokens`; only a GitHub App installation may list them).
 */
export interface FineGrainedPat {
  id: number;
  owner?: { login?: string };
  token_name?: string;
  repository_selection?: 'none' | 'all' | 'subset';
  /** Permission name → `read` | `write` | `admin`, per resource kind. */
  permissions?: { organization?: Record<string, string>; repository?: Record<string, string>; other?: Record<string, string> };
  access_granted_at?: string;
  token_expired?: boolean;
  /** null: the token never expires. */
  token_expires_at?: string | null;
  token_last_used_at?: string | null;
}

/**
 * A credential authorised for the organisation's SAML single sign-on
 * (`GET /orgs/{org}/credential-authorizations`, GitHub Enterprise Cloud): classic personal access
 * tokens and SSH keys. The only API view of which classic tokens reach the organisation.
 */
export interface CredentialAuthorization {
  login: string;
  credential_id: number;
  credential_type: string;
  token_last_eight?: string | null;
  credential_authorized_at?: string;
  credential_accessed_at?: string | null;
  authorized_credential_title?: string | null;
  authorized_credential_note?: string | null;
  /** null: the token never expires. */
  authorized_credential_expires_at?: string | null;
  scopes?: string[];
}

export interface Hook {
  id: number;
  name?: string;
  active?: boolean;
  events?: string[];
  config?: { url?: string; insecure_ssl?: string | number; secret?: string; content_type?: string };
}

export interface DeployKey {
  id: number;
  title?: string;
  read_only?: boolean;
  created_at?: string;
  last_used?: string | null;
  added_by?: string | null;
}

export interface Collaborator {
  login: string;
  permissions?: { admin?: boolean; maintain?: boolean; push?: boolean; triage?: boolean; pull?: boolean };
  role_name?: string;
}

export interface BranchProtection {
  required_status_checks?: { strict?: boolean; contexts?: string[]; checks?: Array<{ context: string }> } | null;
  enforce_admins?: { enabled: boolean } | null;
  required_pull_request_reviews?: {
    required_approving_review_count?: number;
    dismiss_stale_reviews?: boolean;
    require_code_owner_reviews?: boolean;
    require_last_push_approval?: boolean;
    bypass_pull_request_allowances?: { users?: Array<{ login: string }>; teams?: Array<{ slug: string }>; apps?: Array<{ slug: string }> };
  } | null;
  allow_force_pushes?: { enabled: boolean } | null;
  allow_deletions?: { enabled: boolean } | null;
  restrictions?: unknown;
}

/** One active rule from `GET /repos/{o}/{r}/rules/branches/{branch}` (rulesets merged). */
export interface ActiveRule {
  type: string;
  ruleset_id?: number;
  ruleset_source_type?: 'Repository' | 'Organization' | 'Enterprise';
  ruleset_source?: string;
  parameters?: {
    required_approving_review_count?: number;
    dismiss_stale_reviews_on_push?: boolean;
    require_code_owner_review?: boolean;
    require_last_push_approval?: boolean;
    required_status_checks?: Array<{ context: string }>;
  };
}

export interface Ruleset {
  id: number;
  name: string;
  target?: 'branch' | 'tag' | 'push' | 'repository';
  enforcement?: 'disabled' | 'active' | 'evaluate';
  source_type?: 'Repository' | 'Organization' | 'Enterprise';
  bypass_actors?: Array<{ actor_id?: number | null; actor_type: string; bypass_mode?: 'always' | 'pull_request' | 'exempt' }>;
  conditions?: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
  rules?: Array<{ type: string }>;
}

export interface Environment {
  name: string;
  html_url?: string;
  protection_rules?: Array<{ type: 'required_reviewers' | 'wait_timer' | 'branch_policy' | string; prevent_self_review?: boolean; reviewers?: unknown[]; wait_timer?: number }>;
  deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  can_admins_bypass?: boolean;
}

export interface RepoInfo {
  name: string;
  full_name: string;
  html_url?: string;
  private: boolean;
  visibility?: 'public' | 'private' | 'internal';
  archived?: boolean;
  fork?: boolean;
  disabled?: boolean;
  default_branch: string;
  pushed_at?: string;
  permissions?: { admin?: boolean; maintain?: boolean; push?: boolean; pull?: boolean };
  security_and_analysis?: {
    secret_scanning?: { status: 'enabled' | 'disabled' };
    secret_scanning_push_protection?: { status: 'enabled' | 'disabled' };
    dependabot_security_updates?: { status: 'enabled' | 'disabled' };
    advanced_security?: { status: 'enabled' | 'disabled' };
  } | null;
}

export interface ProtectedRef {
  name: string;
  /** Classic branch protection; null when the branch has none. */
  protection: Fetched<BranchProtection | null>;
  /** Active ruleset rules for this branch; [] when none. */
  rules: Fetched<ActiveRule[]>;
}

export interface GithubRepoData {
  info: RepoInfo;
  /** Web URL of the repository: the location of its findings. */
  url: string;
  defaultBranch: ProtectedRef;
  /** Branches that look like release lines (release/*, releases/*, stable, vN...). */
  releaseBranches: Fetched<ProtectedRef[]>;
  rulesets: Fetched<Ruleset[]>;
  /** Whether the repository has any tag (tag protection only matters then). */
  hasTags: Fetched<boolean>;
  /** CODEOWNERS as GitHub reads it: first of .github/, root, docs/; null when none. */
  codeowners: Fetched<{ path: string; text: string } | null>;
  workflows: Fetched<WorkflowFacts[]>;
  environments: Fetched<Environment[]>;
  environmentSecrets: Record<string, Fetched<Secret[]>>;
  secrets: Fetched<Secret[]>;
  deployKeys: Fetched<DeployKey[]>;
  hooks: Fetched<Hook[]>;
  outsideCollaborators: Fetched<Collaborator[]>;
  /** Dependabot alerts: true enabled, false disabled. */
  vulnerabilityAlerts: Fetched<boolean>;
  actionsPermissions: Fetched<ActionsPermissions>;
  workflowPermissions: Fetched<WorkflowPermissions>;
  forkPrApproval: Fetched<ForkPrApproval>;
  forkPrPrivate: Fetched<ForkPrPrivate | null>;
}

export interface GithubOrgData {
  platform: 'github';
  org: string;
  /** Web URL of the organisation (https://github.com/acme). */
  url: string;
  webUrl: string;
  info: Fetched<OrgInfo>;
  owners: Fetched<Member[]>;
  /** Last contribution date per owner (login → ISO date or null when none in the window). */
  ownerActivity: Fetched<Record<string, string | null>>;
  /** Whether a SAML identity provider is configured (GitHub Enterprise Cloud). */
  samlConfigured: Fetched<boolean>;
  actionsPermissions: Fetched<ActionsPermissions>;
  selectedActions: Fetched<SelectedActions | null>;
  workflowPermissions: Fetched<WorkflowPermissions>;
  forkPrApproval: Fetched<ForkPrApproval>;
  forkPrPrivate: Fetched<ForkPrPrivate | null>;
  runnerGroups: Fetched<RunnerGroup[]>;
  runners: Fetched<Runner[]>;
  secrets: Fetched<Secret[]>;
  hooks: Fetched<Hook[]>;
  /** Fine-grained tokens with access to the organisation (GitHub App token needed to read). */
  fineGrainedPats: Fetched<FineGrainedPat[]>;
  /** Classic tokens and SSH keys authorised for SAML SSO (Enterprise Cloud with SAML only). */
  credentialAuthorizations: Fetched<CredentialAuthorization[]>;
  repos: GithubRepoData[];
  /** When the data was read (snapshot time for replays): ages are measured from here. */
  asOf: string;
}
