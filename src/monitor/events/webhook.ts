/**
 * Webhook deliveries → events. Two record shapes are accepted (one per line):
 *
 * - the envelope the server archives: `{"event","delivery","received_at","headers":{...},"payload":{...}}`;
 * - GitHub's hook-delivery API object: `{"guid","delivered_at","event","action","request":{"headers","payload"}}`
 *   (https://docs.github.com/en/rest/repos/webhooks#get-a-delivery-for-a-repository-webhook).
 *
 * Delivery headers (`X-GitHub-Event`, `X-GitHub-Delivery`) are documented at
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers and payload
 * fields per event on the same page (anchor = event name). Every field is optional here; see
 * docs/monitor.md "Fields we read" for the list and what happens when one is missing.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../core/finding.js';
import type { EventFacts, NewEvent, ProtectionFacts, PushFacts } from '../model.js';
import { keys } from '../keys.js';
import { at, bool, header, int, isBotLogin, obj, oneLine, str, strings, time, type Json } from './fields.js';
import { isWorkflowPath } from './workflow-paths.js';

/** Every webhook event GitHub documents; anything else is stored with a note and not analysed. */
export const KNOWN_WEBHOOK_EVENTS = new Set([
  'branch_protection_configuration', 'branch_protection_rule', 'bypass_request_delegated_bypass', 'bypass_request_push_ruleset',
  'bypass_request_secret_scanning', 'check_run', 'check_suite', 'code_scanning_alert', 'commit_comment', 'create',
  'custom_property', 'custom_property_values', 'delete', 'dependabot_alert', 'deploy_key', 'deployment',
  'deployment_protection_rule', 'deployment_review', 'deployment_status', 'discussion', 'discussion_comment',
  'exemption_request_push_ruleset', 'exemption_request_secret_scanning', 'fork', 'github_app_authorization', 'gollum',
  'installation', 'installation_repositories', 'installation_target', 'issue_comment', 'issue_dependencies', 'issues',
  'label', 'marketplace_purchase', 'member', 'membership', 'merge_group', 'meta', 'milestone', 'org_block',
  'organization', 'package', 'page_build', 'personal_access_token_request', 'ping', 'project', 'project_card',
  'project_column', 'projects_v2', 'projects_v2_item', 'projects_v2_status_update', 'public', 'pull_request',
  'pull_request_review', 'pull_request_review_comment', 'pull_request_review_thread', 'push', 'registry_package',
  'release', 'repository', 'repository_advisory', 'repository_dispatch', 'repository_import', 'repository_ruleset',
  'repository_vulnerability_alert', 'secret_scanning_alert', 'secret_scanning_alert_location', 'secret_scanning_scan',
  'security_advisory', 'security_and_analysis', 'sponsorship', 'star', 'status', 'sub_issues', 'team', 'team_add',
  'watch', 'workflow_dispatch', 'workflow_job', 'workflow_run',
]);

/** Events whose change needs repository or org admin rights (unusual-actor history). */
const ADMIN_EVENTS: Record<string, (action: string | undefined) => boolean> = {
  branch_protection_rule: () => true,
  branch_protection_configuration: () => true,
  repository_ruleset: () => true,
  deploy_key: () => true,
  member: () => true,
  installation: (a) => a !== 'suspend' && a !== 'unsuspend',
  installation_repositories: () => true,
  organization: (a) => a !== 'member_invited',
  repository: (a) => ['deleted', 'publicized', 'privatized', 'transferred', 'archived', 'unarchived', 'renamed'].includes(a ?? ''),
  public: () => true,
  meta: () => true,
  team: (a) => a === 'added_to_repository' || a === 'edited',
};

export interface NormalizedRecord {
  event: NewEvent;
  payload: unknown;
}

interface Envelope {
  name?: string;
  guid?: string;
  receivedAt?: number;
  payload?: Json;
}

/** Reads either record shape. */
export function unwrapDelivery(record: unknown): Envelope {
  const r = obj(record) ?? {};
  const request = obj(r.request);
  const headers = obj(r.headers) ?? obj(request?.headers);
  let payload: unknown = r.payload ?? request?.payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      payload = undefined;
    }
  }
  return {
    name: str(r.event) ?? header(headers, 'X-GitHub-Event'),
    guid: str(r.delivery) ?? str(r.guid) ?? header(headers, 'X-GitHub-Delivery'),
    receivedAt: time(r.received_at) ?? time(r.delivered_at),
    payload: obj(payload),
  };
}

/** The webhook payload of a stored raw record (for detectors running later, e.g. in the server). */
export function webhookPayload(raw: Buffer): unknown {
  return unwrapDelivery(JSON.parse(raw.toString('utf8'))).payload;
}

export function normalizeWebhook(record: unknown, raw: Buffer, origin: { file: string; line: number }, report: (d: Diagnostic) => void): NormalizedRecord | undefined {
  const where = { file: origin.file, line: origin.line };
  const env = unwrapDelivery(record);
  if (!env.name) {
    report({ level: 'error', ...where, message: 'not a webhook delivery: no "event" field or X-GitHub-Event header; skipped' });
    return undefined;
  }
  if (!env.payload) {
    report({ level: 'error', ...where, message: `${oneLine(env.name, 60)} delivery without a JSON payload; skipped` });
    return undefined;
  }
  const p = env.payload;
  const name = env.name;
  const action = str(p.action);
  if (!KNOWN_WEBHOOK_EVENTS.has(name)) {
    report({ level: 'note', ...where, message: `unknown webhook event "${oneLine(name, 60)}": stored, not analysed` });
  }
  let guid = env.guid;
  if (!guid) {
    guid = `sha256:${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
    report({ level: 'warning', ...where, message: 'delivery has no GUID (delivery, guid or X-GitHub-Delivery); de-duplicated by content' });
  }
  const repository = str(p, 'repository.full_name');
  const ownerType = str(p, 'repository.owner.type');
  const org = str(p, 'organization.login') ?? (ownerType === 'Organization' ? str(p, 'repository.owner.login') : undefined) ?? str(p, 'installation.account.login');
  const actor = str(p, 'sender.login');
  const facts: EventFacts = { origin };
  const visibility = visibilityOf(p);
  if (visibility) facts.visibility = visibility;
  const defaultBranch = str(p, 'repository.default_branch');
  if (defaultBranch) facts.defaultBranch = defaultBranch;
  if (isBotLogin(actor) || str(p, 'sender.type') === 'Bot') facts.bot = true;
  const adminCheck = ADMIN_EVENTS[name];
  if (adminCheck?.(action)) facts.admin = true;

  const k: string[] = [];
  if (repository) k.push(keys.repo(repository));
  if (facts.admin && org && actor) k.push(keys.admin(org, actor));

  const specific = KNOWN_WEBHOOK_EVENTS.has(name) ? EXTRACT[name]?.(p, { repository, org, action, facts, keys: k }) : undefined;
  const eventTime = specific?.time ?? env.receivedAt;
  if (eventTime === undefined) {
    report({ level: 'error', ...where, message: `${name} delivery has no time (received_at, delivered_at or a payload timestamp); skipped` });
    return undefined;
  }
  const summary = oneLine(specific?.summary ?? `${name}${action ? ` ${action}` : ''}${repository ? ` in ${repository}` : ''}${actor ? ` by ${actor}` : ''}`);
  return {
    payload: p,
    event: {
      dedupKey: `gh:delivery:${guid}`,
      source: 'webhook',
      kind: name,
      ...(action && { action }),
      time: eventTime,
      ...(env.receivedAt !== undefined && { receivedAt: env.receivedAt }),
      ...(org && { org }),
      ...(repository && { repository }),
      ...(actor && { actor }),
      evidenceId: guid,
      summary,
      keys: k,
      facts,
      raw,
    },
  };
}

function visibilityOf(p: Json): EventFacts['visibility'] {
  const v = str(p, 'repository.visibility');
  if (v === 'public' || v === 'private' || v === 'internal') return v;
  const priv = bool(p, 'repository.private');
  return priv === undefined ? undefined : priv ? 'private' : 'public';
}

interface Ctx {
  repository?: string;
  org?: string;
  action?: string;
  facts: EventFacts;
  keys: string[];
}

type Extractor = (p: Json, c: Ctx) => { time?: number; summary?: string } | undefined;

const by = (p: Json): string => {
  const login = str(p, 'sender.login');
  return login ? ` by ${login}` : '';
};

const EXTRACT: Record<string, Extractor> = {
  push(p, c) {
    const ref = str(p.ref) ?? '';
    const commits = Array.isArray(p.commits) ? p.commits.map(obj).filter((x): x is Json => x !== undefined) : [];
    const workflowChanges: PushFacts['workflowChanges'] = [];
    for (const commit of commits) {
      const id = str(commit.id) ?? '';
      for (const [list, change] of [['added', 'added'], ['modified', 'modified'], ['removed', 'removed']] as const) {
        for (const path of strings(commit[list])) if (isWorkflowPath(path)) workflowChanges.push({ path, change, commit: id });
      }
    }
    const push: PushFacts = {
      ref,
      ...(str(p.before) && { before: str(p.before) }),
      ...(str(p.after) && { after: str(p.after) }),
      created: bool(p.created) ?? false,
      deleted: bool(p.deleted) ?? false,
      forced: bool(p.forced) ?? false,
      ...(str(p, 'pusher.name') && { pusher: str(p, 'pusher.name') }),
      commits: commits.map((x) => str(x.id)).filter((x): x is string => x !== undefined),
      workflowChanges,
      size: commits.length,
    };
    c.facts.push = push;
    if (c.repository) {
      if (ref) c.keys.push(keys.branch(c.repository, ref));
      for (const id of push.commits) c.keys.push(keys.commit(c.repository, id));
      if (push.after && !push.deleted) c.keys.push(keys.commit(c.repository, push.after));
    }
    const branch = ref.replace(/^refs\/(?:heads|tags)\//, '');
    const what = push.deleted ? 'deleted' : push.created ? 'created' : `${commits.length} commit${commits.length === 1 ? '' : 's'}`;
    const wf = workflowChanges.length ? `, workflow files: ${[...new Set(workflowChanges.map((w) => w.path))].join(', ')}` : '';
    return {
      // pushed_at is GitHub's time of the push (epoch seconds); commit timestamps are the author's.
      time: time(p, 'repository.pushed_at'),
      summary: `push to ${branch}${push.forced ? ' (forced)' : ''}${by(p)}: ${what}${wf}`,
    };
  },
  pull_request(p, c) {
    const pr = obj(p.pull_request) ?? {};
    const n = int(pr.number) ?? int(p.number);
    if (n === undefined) return undefined;
    const merged = bool(pr.merged) ?? false;
    c.facts.pr = {
      number: n,
      ...(str(pr, 'user.login') && { author: str(pr, 'user.login') }),
      merged,
      ...(str(pr, 'merged_by.login') && { mergedBy: str(pr, 'merged_by.login') }),
      ...(str(pr.merge_commit_sha) && { mergeCommit: str(pr.merge_commit_sha) }),
      ...(str(pr, 'head.ref') && { headRef: str(pr, 'head.ref') }),
      ...(str(pr, 'head.sha') && { headSha: str(pr, 'head.sha') }),
      ...(str(pr, 'head.repo.full_name') && { headRepo: str(pr, 'head.repo.full_name') }),
      ...(str(pr, 'base.ref') && { baseRef: str(pr, 'base.ref') }),
    };
    if (c.repository) {
      c.keys.push(keys.pr(c.repository, n));
      const headRef = str(pr, 'head.ref');
      if (headRef && (str(pr, 'head.repo.full_name') ?? c.repository).toLowerCase() === c.repository.toLowerCase()) c.keys.push(keys.prHead(c.repository, headRef));
      if (merged) {
        const mc = str(pr.merge_commit_sha);
        if (mc) c.keys.push(keys.commit(c.repository, mc));
        const hs = str(pr, 'head.sha');
        if (hs) c.keys.push(keys.commit(c.repository, hs));
      }
    }
    const t = c.action === 'closed' ? (time(pr.merged_at) ?? time(pr.closed_at)) : c.action === 'opened' ? time(pr.created_at) : time(pr.updated_at);
    return { time: t, summary: `pull request #${n} ${merged && c.action === 'closed' ? 'merged' : (c.action ?? 'updated')}${by(p)}` };
  },
  pull_request_review(p, c) {
    const n = int(p, 'pull_request.number');
    const state = str(p, 'review.state') ?? '';
    if (n !== undefined) {
      c.facts.review = { pr: n, state: state.toLowerCase(), ...(str(p, 'review.user.login') && { reviewer: str(p, 'review.user.login') }) };
      if (c.repository) c.keys.push(keys.pr(c.repository, n));
    }
    return { time: time(p, 'review.submitted_at'), summary: `review ${state.toLowerCase() || c.action} on #${n ?? '?'}${by(p)}` };
  },
  workflow_run(p, c) {
    const run = obj(p.workflow_run) ?? {};
    const id = int(run.id);
    if (id === undefined) return undefined;
    c.facts.run = {
      runId: id,
      ...(str(run.name) && { name: str(run.name) }),
      ...(str(run.path) && { path: str(run.path) }),
      ...(str(run.head_sha) && { headSha: str(run.head_sha) }),
      ...(str(run.head_branch) && { headBranch: str(run.head_branch) }),
      ...(str(run.event) && { event: str(run.event) }),
      ...(str(run.conclusion) && { conclusion: str(run.conclusion) }),
      ...(time(run.run_started_at) && { startedAt: time(run.run_started_at) }),
    };
    if (c.repository) c.keys.push(keys.run(c.repository, id));
    const t = c.action === 'completed' ? time(run.updated_at) : c.action === 'in_progress' ? time(run.run_started_at) : time(run.created_at);
    return { time: t, summary: `workflow run ${str(run.name) ?? id} ${c.action ?? ''} (${str(run.event) ?? 'event?'} on ${str(run.head_branch) ?? '?'})` };
  },
  workflow_job(p, c) {
    const job = obj(p.workflow_job) ?? {};
    const runId = int(job.run_id);
    const name = str(job.name);
    if (runId === undefined || name === undefined) return undefined;
    const labels = strings(job.labels);
    c.facts.job = {
      runId,
      ...(int(job.run_attempt) !== undefined && { runAttempt: int(job.run_attempt) }),
      ...(int(job.id) !== undefined && { jobId: int(job.id) }),
      name,
      ...(str(job.workflow_name) && { workflowName: str(job.workflow_name) }),
      ...(str(job.head_sha) && { headSha: str(job.head_sha) }),
      ...(str(job.head_branch) && { headBranch: str(job.head_branch) }),
      ...(time(job.started_at) && { startedAt: time(job.started_at) }),
      ...(time(job.completed_at) && { completedAt: time(job.completed_at) }),
      ...(str(job.conclusion) && { conclusion: str(job.conclusion) }),
      ...(str(job.status) && { status: str(job.status) }),
      ...(str(job.runner_name) && { runnerName: str(job.runner_name) }),
      labels,
      selfHosted: labels.some((l) => l.toLowerCase() === 'self-hosted'),
    };
    if (c.repository) {
      c.keys.push(keys.run(c.repository, runId), keys.job(c.repository, runId, name));
    }
    const runner = str(job.runner_name);
    if (runner && c.org) c.keys.push(keys.runner(c.org, runner));
    const t = c.action === 'completed' ? time(job.completed_at) : c.action === 'in_progress' ? time(job.started_at) : time(job.created_at);
    return { time: t, summary: `job "${name}" ${c.action ?? ''}${runner ? ` on runner ${runner}` : ''}` };
  },
  release(p, c) {
    return { time: time(p, 'release.published_at') ?? time(p, 'release.created_at'), summary: `release ${str(p, 'release.tag_name') ?? '?'} ${c.action ?? ''}${by(p)}` };
  },
  deployment(p) {
    return { time: time(p, 'deployment.created_at'), summary: `deployment to ${str(p, 'deployment.environment') ?? '?'}${by(p)}` };
  },
  deployment_status(p) {
    return { time: time(p, 'deployment_status.created_at'), summary: `deployment ${str(p, 'deployment_status.state') ?? ''} in ${str(p, 'deployment.environment') ?? '?'}` };
  },
  branch_protection_rule(p, c) {
    const rule = obj(p.rule) ?? {};
    const protection = branchRuleChange(rule, obj(p.changes), c.action);
    c.facts.protection = protection;
    if (c.repository) c.keys.push(keys.protection(c.repository));
    const t = c.action === 'created' ? time(rule.created_at) : c.action === 'edited' ? time(rule.updated_at) : undefined;
    return { time: t, summary: `branch protection ${protection.name ?? '?'} ${c.action ?? ''}${by(p)}${protection.relaxed.length ? `: ${protection.relaxed.join('; ')}` : ''}` };
  },
  branch_protection_configuration(p, c) {
    const change = c.action === 'disabled' ? 'disabled' : 'enabled';
    c.facts.protection = { target: 'repository', change, weakened: change === 'disabled', relaxed: change === 'disabled' ? ['all branch protection rules disabled'] : [] };
    if (c.repository) c.keys.push(keys.protection(c.repository));
    return { summary: `branch protection ${change} for the repository${by(p)}` };
  },
  repository_ruleset(p, c) {
    const rs = obj(p.repository_ruleset) ?? {};
    const protection = rulesetChange(rs, obj(p.changes), c.action);
    c.facts.protection = protection;
    const scope = c.repository ?? c.org;
    if (scope) c.keys.push(keys.protection(scope));
    return { time: c.action === 'deleted' ? undefined : time(rs.updated_at), summary: `ruleset ${protection.name ?? '?'} ${c.action ?? ''}${by(p)}${protection.relaxed.length ? `: ${protection.relaxed.join('; ')}` : ''}` };
  },
  repository(p, c) {
    return { summary: `repository ${c.repository ?? '?'} ${c.action ?? ''}${by(p)}` };
  },
  public(p, c) {
    c.facts.visibility = 'public';
    return { summary: `repository ${c.repository ?? '?'} made public${by(p)}` };
  },
  deploy_key(p, c) {
    const readOnly = bool(p, 'key.read_only');
    c.facts.audit = { title: str(p, 'key.title') ?? null, read_only: readOnly ?? null };
    return { time: c.action === 'created' ? time(p, 'key.created_at') : undefined, summary: `deploy key "${str(p, 'key.title') ?? '?'}" ${c.action ?? ''} (${readOnly === false ? 'write' : readOnly ? 'read-only' : 'access unknown'})${by(p)}` };
  },
  member(p, c) {
    return { summary: `collaborator ${str(p, 'member.login') ?? '?'} ${c.action ?? ''}${by(p)}` };
  },
  membership(p, c) {
    return { summary: `team ${str(p, 'team.name') ?? '?'} member ${str(p, 'member.login') ?? '?'} ${c.action ?? ''}${by(p)}` };
  },
  organization(p, c) {
    const role = str(p, 'membership.role');
    c.facts.audit = { user: str(p, 'membership.user.login') ?? null, role: role ?? null };
    return { summary: `org ${c.action ?? ''} ${str(p, 'membership.user.login') ?? ''}${role ? ` (${role})` : ''}${by(p)}` };
  },
  secret_scanning_alert(p, c) {
    const a = obj(p.alert) ?? {};
    const bypassed = bool(a.push_protection_bypassed) === true;
    c.facts.audit = {
      number: int(a.number) ?? null,
      secret_type: str(a.secret_type_display_name) ?? str(a.secret_type) ?? null,
      push_protection_bypassed: bypassed,
      bypassed_by: str(a, 'push_protection_bypassed_by.login') ?? null,
    };
    const t = c.action === 'created' ? (time(a.push_protection_bypassed_at) ?? time(a.created_at)) : c.action === 'resolved' ? time(a.resolved_at) : undefined;
    return { time: t, summary: `secret scanning alert #${int(a.number) ?? '?'} (${str(a.secret_type_display_name) ?? str(a.secret_type) ?? 'secret'}) ${c.action ?? ''}${bypassed ? ', push protection bypassed' : ''}` };
  },
  installation(p, c) {
    const inst = obj(p.installation) ?? {};
    c.facts.audit = { app: str(inst.app_slug) ?? null, repository_selection: str(inst.repository_selection) ?? null };
    return { time: c.action === 'created' ? time(inst.created_at) : undefined, summary: `app ${str(inst.app_slug) ?? '?'} ${c.action ?? ''}${by(p)}` };
  },
  create(p, c) {
    const ref = str(p.ref) ?? '';
    const type = str(p.ref_type) ?? 'branch';
    c.facts.ref = { name: ref, type };
    if (c.repository && type === 'branch') c.keys.push(keys.branch(c.repository, ref));
    return { summary: `${type} ${ref} created${by(p)}` };
  },
  delete(p, c) {
    const ref = str(p.ref) ?? '';
    const type = str(p.ref_type) ?? 'branch';
    c.facts.ref = { name: ref, type };
    if (c.repository && type === 'branch') c.keys.push(keys.branch(c.repository, ref));
    return { summary: `${type} ${ref} deleted${by(p)}` };
  },
};

/** Enforcement levels in branch protection payloads: `off` < `non_admins` < `everyone`. */
const LEVEL: Record<string, number> = { off: 0, non_admins: 1, everyone: 2 };

/** Rule fields where a lower value is weaker (levels, counts, booleans). */
const STRENGTH_FIELDS: Array<[string, string]> = [
  ['pull_request_reviews_enforcement_level', 'required reviews'],
  ['required_approving_review_count', 'required approvals'],
  ['required_status_checks_enforcement_level', 'required status checks'],
  ['signature_requirement_enforcement_level', 'signed commits'],
  ['linear_history_requirement_enforcement_level', 'linear history'],
  ['lock_branch_enforcement_level', 'branch lock'],
  ['merge_queue_enforcement_level', 'merge queue'],
  ['admin_enforced', 'enforcement for admins'],
  ['require_code_owner_review', 'code owner review'],
  ['dismiss_stale_reviews_on_push', 'dismiss stale reviews'],
  ['require_last_push_approval', 'approval of the last push'],
];
/** Fields where a higher value is weaker (what the rule allows). */
const ALLOWANCE_FIELDS: Array<[string, string]> = [
  ['allow_force_pushes_enforcement_level', 'force pushes'],
  ['allow_deletions_enforcement_level', 'branch deletion'],
];

export function strength(v: unknown): number | undefined {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return LEVEL[v];
  return undefined;
}

function branchRuleChange(rule: Json, changes: Json | undefined, action: string | undefined): ProtectionFacts {
  const name = str(rule.name);
  if (action === 'deleted') return { target: 'branch', ...(name && { name }), change: 'deleted', weakened: true, relaxed: ['protection rule deleted'] };
  if (action === 'created') return { target: 'branch', ...(name && { name }), change: 'created', weakened: false, relaxed: [] };
  const relaxed: string[] = [];
  for (const [field, label] of STRENGTH_FIELDS) {
    const from = strength(at(changes, `${field}.from`));
    const to = strength(rule[field]);
    if (from !== undefined && to !== undefined && to < from) relaxed.push(`${label} ${fmt(at(changes, `${field}.from`))} → ${fmt(rule[field])}`);
  }
  for (const [field, label] of ALLOWANCE_FIELDS) {
    const from = strength(at(changes, `${field}.from`));
    const to = strength(rule[field]);
    if (from !== undefined && to !== undefined && to > from) relaxed.push(`${label} ${fmt(at(changes, `${field}.from`))} → ${fmt(rule[field])}`);
  }
  const checksFrom = strings(at(changes, 'required_status_checks.from'));
  const checksTo = strings(rule.required_status_checks);
  const dropped = checksFrom.filter((x) => !checksTo.includes(x));
  if (dropped.length) relaxed.push(`required checks removed: ${dropped.join(', ')}`);
  // Push restrictions: `authorized_actors_only` limits who may push to `authorized_actor_names`.
  // Turning it off opens the branch to every writer; adding names widens it only if it was already
  // on (turning it on with a first list of names is a tightening).
  const restrictedBefore = bool(at(changes, 'authorized_actors_only.from')) ?? bool(rule.authorized_actors_only);
  const restrictedNow = bool(rule.authorized_actors_only);
  if (restrictedBefore === true && restrictedNow === false) relaxed.push('push restriction removed');
  else if (restrictedBefore !== false && restrictedNow !== false && at(changes, 'authorized_actor_names') !== undefined) {
    const namesFrom = strings(at(changes, 'authorized_actor_names.from'));
    const added = strings(rule.authorized_actor_names).filter((x) => !namesFrom.includes(x));
    if (added.length) relaxed.push(`allowed to push: ${added.join(', ')}`);
  }
  return { target: 'branch', ...(name && { name }), change: 'edited', weakened: relaxed.length > 0, relaxed };
}

function fmt(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '?';
}

/** Ruleset enforcement: `disabled` < `evaluate` (report only) < `active`. */
const ENFORCEMENT: Record<string, number> = { disabled: 0, evaluate: 1, active: 2 };

function rulesetChange(rs: Json, changes: Json | undefined, action: string | undefined): ProtectionFacts {
  const name = str(rs.name);
  if (action === 'deleted') {
    const active = str(rs.enforcement) !== 'disabled';
    return { target: 'ruleset', ...(name && { name }), change: 'deleted', weakened: active, relaxed: active ? ['ruleset deleted'] : [] };
  }
  if (action === 'created') return { target: 'ruleset', ...(name && { name }), change: 'created', weakened: false, relaxed: [] };
  const relaxed: string[] = [];
  const fromEnf = str(changes, 'enforcement.from');
  const toEnf = str(rs.enforcement);
  if (fromEnf && toEnf && (ENFORCEMENT[toEnf] ?? 2) < (ENFORCEMENT[fromEnf] ?? 0)) relaxed.push(`enforcement ${fromEnf} → ${toEnf}`);
  const deletedRules = at(changes, 'rules.deleted');
  if (Array.isArray(deletedRules) && deletedRules.length) {
    relaxed.push(`rules removed: ${deletedRules.map((r) => str(r, 'type') ?? '?').join(', ')}`);
  }
  const bypassAdded = at(changes, 'bypass_actors.added');
  if (Array.isArray(bypassAdded) && bypassAdded.length) relaxed.push(`bypass actors added: ${bypassAdded.length}`);
  return { target: 'ruleset', ...(name && { name }), change: 'edited', weakened: relaxed.length > 0, relaxed };
}
