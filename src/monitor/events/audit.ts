/**
 * GitHub audit-log entries → events. The export is a JSON array or JSON lines; common fields
 * (`@timestamp` in epoch ms, `_document_id`, `action`, `actor`, `actor_is_bot`, `org`, `repo`,
 * `created_at`) and per-action fields are those listed at
 * https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/audit-log-events-for-your-organization
 * (section "Common fields" and the entry for each action). Every field is optional here.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../core/finding.js';
import type { EventFacts, ProtectionFacts } from '../model.js';
import { keys } from '../keys.js';
import { at, bool, int, isBotLogin, obj, oneLine, repoName, str, strings, time, type Json } from './fields.js';
import { strength } from './webhook.js';
import type { NormalizedRecord } from './webhook.js';

/**
 * Actions that need admin rights on a repository or the org (unusual-actor history): settings,
 * protections, access, credentials, runners, visibility. Reading, pushing, PRs, workflow runs and
 * alerts are not admin actions.
 */
const ADMIN_ACTION = new RegExp(
  '^(?:' +
    [
      'protected_branch\\.',
      'repository_ruleset\\.',
      'repository_branch_protection_evaluation\\.',
      'environment\\.',
      'hook\\.',
      'public_key\\.(?:create|delete|update)',
      'integration_installation\\.',
      'personal_access_token\\.access_granted',
      'org\\.(?!sso_response|oauth_app_access_requested|recovery_code_|self_hosted_runner_o)',
      'business\\.',
      'repo\\.(?:access|destroy|transfer|rename|archived|unarchived|add_member|update_member|remove_member|register_self_hosted_runner|remove_self_hosted_runner|set_|update_actions|create_actions_secret|update_actions_secret|remove_actions_secret|update_default_branch|configure_self_hosted_jit_runner)',
      'team\\.(?:add_repository|update_repository_permission|add_member|promote_maintainer)',
      'repository_secret_scanning(?:_push_protection)?\\.disable',
      'secret_scanning(?:_new_repos)?\\.disable',
      'org_secret_scanning_push_protection_bypass_list\\.',
      'repository_secret_scanning_push_protection_bypass_list\\.',
      'ip_allow_list',
      'oauth_application\\.',
      'integration\\.',
    ].join('|') +
    ')',
);

export function isAdminAuditAction(action: string): boolean {
  return ADMIN_ACTION.test(action);
}

/** Per-action fields kept in facts (secret-free; names from the GitHub page above). */
const KEPT_FIELDS = [
  'name', 'visibility', 'previous_visibility', 'public_repo', 'permission', 'old_permission', 'policy', 'old_policy',
  'new_policy', 'user', 'title', 'read_only', 'fingerprint', 'hook_id', 'events', 'active', 'environment_name',
  'runner_name', 'runner_id', 'runner_group_name', 'runner_labels', 'is_hosted_runner', 'secret_type',
  'secret_type_display_name', 'push_protection_bypass_reason', 'number', 'integration', 'repository_selection',
  'user_programmatic_access_name', 'repositories', 'approvers', 'approvers_was', 'can_admins_bypass',
  'prevent_self_review', 'old_value', 'new_value', 'ruleset_name', 'ruleset_enforcement', 'ruleset_old_enforcement',
  'ruleset_source_type', 'updated_allowed_types', 'updated_patterns', 'updated_access_policy', 'branch', 'before',
  'after', 'reasons', 'new_repo_runners_policy', 'old_repo_runners_policy', 'runner_group_allow_public', 'key',
  'workflow_run_id', 'job_name', 'job_workflow_ref', 'head_sha', 'head_branch', 'event', 'conclusion', 'default_workflow_permissions',
  'workflow_permissions', 'can_approve_pull_request_reviews', 'limit', 'config_url',
];

/** Protection fields of `protected_branch.*` entries and how a value reads as strictness (higher = stricter). */
const PROTECTION_FIELDS: Record<string, { label: string; allowance?: boolean }> = {
  pull_request_reviews_enforcement_level: { label: 'required reviews' },
  required_approving_review_count: { label: 'required approvals' },
  required_status_checks_enforcement_level: { label: 'required status checks' },
  signature_requirement_enforcement_level: { label: 'signed commits' },
  linear_history_requirement_enforcement_level: { label: 'linear history' },
  lock_branch_enforcement_level: { label: 'branch lock' },
  merge_queue_enforcement_level: { label: 'merge queue' },
  admin_enforced: { label: 'enforcement for admins' },
  require_code_owner_review: { label: 'code owner review' },
  require_last_push_approval: { label: 'approval of the last push' },
  allow_force_pushes_enforcement_level: { label: 'force pushes', allowance: true },
  allow_deletions_enforcement_level: { label: 'branch deletion', allowance: true },
};

export function protectionLabel(field: string): string {
  return PROTECTION_FIELDS[field]?.label ?? field;
}

/** The audit entry of a stored raw record. */
export function auditPayload(raw: Buffer): unknown {
  return JSON.parse(raw.toString('utf8'));
}

export function normalizeAudit(record: unknown, raw: Buffer, origin: { file: string; line: number }, report: (d: Diagnostic) => void): NormalizedRecord | undefined {
  const where = { file: origin.file, line: origin.line };
  const e = obj(record);
  const action = str(e, 'action');
  if (!e || !action) {
    report({ level: 'error', ...where, message: 'audit-log entry without "action"; skipped' });
    return undefined;
  }
  const t = time(e['@timestamp']) ?? time(e.created_at) ?? time(e.timestamp);
  if (t === undefined) {
    report({ level: 'error', ...where, message: `audit-log entry ${oneLine(action, 60)} has no time (@timestamp or created_at); skipped` });
    return undefined;
  }
  let id = str(e._document_id);
  if (!id) {
    id = `sha256:${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
    report({ level: 'warning', ...where, message: 'audit-log entry has no _document_id; de-duplicated by content' });
  }
  const repository = repoName(e.repo) ?? repoName(e.repository);
  const org = str(e.org) ?? (repository ? repository.split('/')[0] : undefined);
  const actor = str(e.actor);
  const facts: EventFacts = { origin };
  const visibility = str(e.visibility);
  // For repo.access, `visibility` is the new one (`previous_visibility` the old).
  if (visibility === 'public' || visibility === 'private' || visibility === 'internal') facts.visibility = visibility;
  else if (bool(e.public_repo) !== undefined) facts.visibility = e.public_repo ? 'public' : 'private';
  if (bool(e.actor_is_bot) === true || isBotLogin(actor)) facts.bot = true;
  if (isAdminAuditAction(action)) facts.admin = true;
  const kept: NonNullable<EventFacts['audit']> = {};
  for (const f of KEPT_FIELDS) {
    const v = f === 'config_url' ? (str(e, 'config.url') ?? firstConfigUrl(e.config)) : e[f];
    if (typeof v === 'string') kept[f] = v.slice(0, 300);
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null) kept[f] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) kept[f] = (v as string[]).slice(0, 50);
  }
  if (Object.keys(kept).length) facts.audit = kept;

  const k: string[] = [];
  if (repository) k.push(keys.repo(repository));
  if (facts.admin && org && actor) k.push(keys.admin(org, actor));

  const protection = protectionOf(action, e);
  if (protection) {
    facts.protection = protection;
    const scope = repository ?? org;
    if (scope) k.push(keys.protection(scope));
    if (action === 'protected_branch.policy_override' && repository && str(e.branch)) k.push(keys.branch(repository, str(e.branch)!));
  }
  if (/^(?:org|repo|business)\.(?:set_|update_actions|update_default|update_member_repository|update_repo_self_hosted)/.test(action) && (repository ?? org)) {
    k.push(keys.setting(repository ?? org!, action));
  }
  const secretName = str(e.key);
  if (secretName && /^(?:org|repo|environment)\.(?:create|update|remove)_actions_secret$/.test(action)) k.push(keys.secretDef(secretName));
  if (action.startsWith('environment.') && repository && str(e.environment_name)) k.push(keys.environment(repository, str(e.environment_name)!));
  if (action.startsWith('workflows.')) jobOrRun(action, e, repository, facts, k);
  const runnerName = str(e.runner_name);
  if (runnerName && org) k.push(keys.runner(org, runnerName));
  const host = hostOf(kept.config_url);
  if (action.startsWith('hook.') && host) k.push(keys.hookHost(repository ?? org ?? '', host));

  return {
    payload: e,
    event: {
      dedupKey: `gh:audit:${id}`,
      source: 'audit',
      kind: action,
      time: t,
      ...(org && { org }),
      ...(repository && { repository }),
      ...(actor && { actor }),
      evidenceId: id,
      summary: oneLine(`${action}${repository ? ` on ${repository}` : org ? ` in ${org}` : ''}${actor ? ` by ${actor}` : ''}${describe(action, e)}`),
      keys: k,
      facts,
      raw,
    },
  };
}

function firstConfigUrl(config: unknown): string | undefined {
  if (!Array.isArray(config)) return undefined;
  for (const c of config) {
    const u = str(c, 'url');
    if (u) return u;
  }
  return undefined;
}

export function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

function describe(action: string, e: Json): string {
  if (action === 'repo.access') return `: ${str(e.previous_visibility) ?? '?'} → ${str(e.visibility) ?? '?'}`;
  if (action.startsWith('protected_branch.') && str(e.name)) return ` (${str(e.name)})`;
  if (action.startsWith('repository_ruleset.') && str(e.ruleset_name)) return ` (${str(e.ruleset_name)})`;
  if (action.startsWith('environment.') && str(e.environment_name)) return ` (${str(e.environment_name)})`;
  if (action === 'workflows.prepared_workflow_job' && str(e.job_name)) return ` (job ${str(e.job_name)})`;
  return '';
}

function jobOrRun(action: string, e: Json, repository: string | undefined, facts: EventFacts, k: string[]): void {
  const runId = int(e.workflow_run_id);
  if (runId === undefined || !repository) return;
  k.push(keys.run(repository, runId));
  if (action === 'workflows.prepared_workflow_job') {
    const name = str(e.job_name) ?? '';
    const labels = strings(e.runner_labels);
    facts.job = {
      runId,
      name,
      ...(str(e.runner_name) && { runnerName: str(e.runner_name) }),
      labels,
      selfHosted: bool(e.is_hosted_runner) === false || labels.some((l) => l.toLowerCase() === 'self-hosted'),
      secretsPassed: strings(e.secrets_passed),
      ...(str(e.environment_name) && { environment: str(e.environment_name) }),
      ...(str(e.job_workflow_ref) && { workflowPath: str(e.job_workflow_ref) }),
    };
    if (name) k.push(keys.job(repository, runId, name));
  } else {
    facts.run = {
      runId,
      ...(str(e.name) && { name: str(e.name) }),
      ...(str(e.head_sha) && { headSha: str(e.head_sha) }),
      ...(str(e.head_branch) && { headBranch: str(e.head_branch) }),
      ...(str(e.event) && { event: str(e.event) }),
      ...(str(e.conclusion) && { conclusion: str(e.conclusion) }),
      ...(time(e.started_at) && { startedAt: time(e.started_at) }),
    };
  }
}

function strictness(field: string, value: unknown): number | undefined {
  const s = strength(value);
  if (s === undefined) return undefined;
  // Allowance levels (force pushes allowed for non-admins/everyone) are the opposite of strict.
  return PROTECTION_FIELDS[field]?.allowance ? 2 - s : s;
}

function protectionOf(action: string, e: Json): ProtectionFacts | undefined {
  const name = str(e.name) ?? str(e.branch);
  if (action.startsWith('protected_branch.')) {
    const state: Record<string, number> = {};
    for (const field of Object.keys(PROTECTION_FIELDS)) {
      const v = strictness(field, e[field]);
      if (v !== undefined) state[field] = v;
    }
    const base = { target: 'branch' as const, ...(name && { name }), state };
    if (action === 'protected_branch.destroy') return { ...base, change: 'deleted', weakened: true, relaxed: ['branch protection deleted'] };
    if (action === 'protected_branch.create') return { ...base, change: 'created', weakened: false, relaxed: [] };
    if (action === 'protected_branch.policy_override') {
      const reasons = strings(e.reasons);
      return { ...base, change: 'override', weakened: true, relaxed: [`protection overridden by an admin${reasons.length ? ` (${reasons.join(', ')})` : ''}`] };
    }
    if (action.startsWith('protected_branch.update_') || action === 'protected_branch.dismiss_stale_reviews' || action === 'protected_branch.authorized_users_teams' || action === 'protected_branch.branch_allowances') {
      // Absolute reading; the detector compares with the last known state when there is one.
      const relaxed: string[] = [];
      for (const [field, v] of Object.entries(state)) {
        if (v === 0 && field !== 'required_approving_review_count') relaxed.push(`${protectionLabel(field)} off`);
        if (field === 'required_approving_review_count' && v === 0) relaxed.push('required approvals 0');
      }
      if (action === 'protected_branch.authorized_users_teams' || action === 'protected_branch.branch_allowances') relaxed.push('users or teams allowed to push or bypass changed');
      return { ...base, change: 'edited', weakened: relaxed.length > 0, relaxed };
    }
    return undefined;
  }
  if (action.startsWith('repository_ruleset.')) {
    const rsName = str(e.ruleset_name) ?? str(e.name);
    const enforcement = str(e.ruleset_enforcement);
    const base = { target: 'ruleset' as const, ...(rsName && { name: rsName }) };
    if (action === 'repository_ruleset.destroy') {
      const active = enforcement !== 'disabled';
      return { ...base, change: 'deleted', weakened: active, relaxed: active ? ['ruleset deleted'] : [] };
    }
    if (action === 'repository_ruleset.create') return { ...base, change: 'created', weakened: false, relaxed: [] };
    if (action === 'repository_ruleset.update') {
      const relaxed: string[] = [];
      const old = str(e.ruleset_old_enforcement);
      const rank: Record<string, number> = { disabled: 0, evaluate: 1, active: 2 };
      if (old && enforcement && (rank[enforcement] ?? 2) < (rank[old] ?? 0)) relaxed.push(`enforcement ${old} → ${enforcement}`);
      const deleted = at(e, 'ruleset_rules_deleted');
      if (Array.isArray(deleted) && deleted.length) relaxed.push(`rules removed: ${deleted.map((r) => str(r, 'type') ?? (typeof r === 'string' ? r : '?')).join(', ')}`);
      const bypass = at(e, 'ruleset_bypass_actors_added');
      if (Array.isArray(bypass) && bypass.length) relaxed.push(`bypass actors added: ${bypass.length}`);
      return { ...base, change: 'edited', weakened: relaxed.length > 0, relaxed };
    }
    return undefined;
  }
  if (action === 'repository_branch_protection_evaluation.disable') {
    return { target: 'repository', change: 'disabled', weakened: true, relaxed: ['branch protections disabled for the repository'] };
  }
  return undefined;
}
