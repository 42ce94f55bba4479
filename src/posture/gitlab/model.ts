import type { Fetched } from '../fetched.js';

/** GitLab REST v4 responses the posture checks read (documented field names kept). */

export interface GroupInfo {
  id: number;
  full_path: string;
  web_url?: string;
  visibility?: 'private' | 'internal' | 'public';
  require_two_factor_authentication?: boolean;
  two_factor_grace_period?: number;
}

export interface ProjectInfo {
  id: number;
  path_with_namespace: string;
  web_url?: string;
  visibility?: 'private' | 'internal' | 'public';
  default_branch?: string | null;
  archived?: boolean;
  public_jobs?: boolean;
  only_allow_merge_if_pipeline_succeeds?: boolean;
  restrict_user_defined_variables?: boolean;
  ci_pipeline_variables_minimum_override_role?: 'no_one_allowed' | 'owner' | 'maintainer' | 'developer';
  ci_separated_caches?: boolean;
  jobs_enabled?: boolean;
  builds_access_level?: 'disabled' | 'private' | 'enabled';
  permissions?: { project_access?: { access_level: number } | null; group_access?: { access_level: number } | null };
}

export interface AccessLevel {
  access_level: number | null;
  access_level_description?: string;
  user_id?: number | null;
  group_id?: number | null;
  deploy_key_id?: number | null;
}

export interface ProtectedBranch {
  name: string;
  push_access_levels?: AccessLevel[];
  merge_access_levels?: AccessLevel[];
  allow_force_push?: boolean;
  code_owner_approval_required?: boolean;
}

export interface Branch {
  name: string;
  protected?: boolean;
  default?: boolean;
  developers_can_push?: boolean;
}

export interface Approvals {
  reset_approvals_on_push?: boolean;
  merge_requests_author_approval?: boolean;
  merge_requests_disable_committers_approval?: boolean;
  disable_overriding_approvers_per_merge_request?: boolean;
}

export interface ApprovalRule {
  id: number;
  name: string;
  rule_type?: string;
  approvals_required: number;
  applies_to_all_protected_branches?: boolean;
  protected_branches?: Array<{ name: string }>;
}

export interface Variable {
  key: string;
  protected?: boolean;
  masked?: boolean;
  hidden?: boolean;
  variable_type?: 'env_var' | 'file';
  environment_scope?: string;
}

export interface DeployToken {
  id: number;
  name: string;
  scopes?: string[];
  expires_at?: string | null;
  revoked?: boolean;
  expired?: boolean;
}

export interface DeployKey {
  id: number;
  title?: string;
  can_push?: boolean;
  expires_at?: string | null;
}

export interface ProjectHook {
  id: number;
  url?: string;
  enable_ssl_verification?: boolean;
}

export interface RunnerDetail {
  id: number;
  description?: string;
  runner_type?: 'instance_type' | 'group_type' | 'project_type';
  is_shared?: boolean;
  locked?: boolean;
  projects?: Array<{ id: number; path_with_namespace: string }>;
}

export interface GitlabProjectData {
  info: ProjectInfo;
  url: string;
  branches: Fetched<Branch[]>;
  protectedBranches: Fetched<ProtectedBranch[]>;
  protectedTags: Fetched<Array<{ name: string }>>;
  hasTags: Fetched<boolean>;
  approvals: Fetched<Approvals>;
  approvalRules: Fetched<ApprovalRule[]>;
  variables: Fetched<Variable[]>;
  deployTokens: Fetched<DeployToken[]>;
  deployKeys: Fetched<DeployKey[]>;
  hooks: Fetched<ProjectHook[]>;
  jobTokenScope: Fetched<{ inbound_enabled?: boolean; outbound_enabled?: boolean }>;
  /** Project runners (project_type) with their details. */
  runners: Fetched<RunnerDetail[]>;
}

export interface GitlabGroupData {
  platform: 'gitlab';
  group: string;
  url: string;
  webUrl: string;
  info: Fetched<GroupInfo>;
  variables: Fetched<Variable[]>;
  projects: GitlabProjectData[];
  asOf: string;
}
