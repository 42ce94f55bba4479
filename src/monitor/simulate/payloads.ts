/**
 * Builders for webhook payloads, audit-log entries and job-log lines in GitHub's shapes (field
 * names as documented; see docs/monitor.md "Fields we read"). Used by the org generator and the
 * detector tests; the values are ours.
 */

export interface RepoRef {
  org: string;
  name: string;
  visibility?: 'public' | 'private' | 'internal';
  defaultBranch?: string;
  id?: number;
  description?: string;
}

export const fullName = (r: RepoRef): string => `${r.org}/${r.name}`;

let nextId = 1000;
const id = (): number => nextId++;

export function repository(r: RepoRef, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const visibility = r.visibility ?? 'private';
  return {
    id: r.id ?? id(),
    name: r.name,
    full_name: fullName(r),
    private: visibility !== 'public',
    visibility,
    owner: { login: r.org, type: 'Organization' },
    default_branch: r.defaultBranch ?? 'main',
    description: r.description ?? null,
    ...extra,
  };
}

export const user = (login: string): Record<string, unknown> => ({ login, type: /\[bot\]$/.test(login) ? 'Bot' : 'User' });

export interface Envelope {
  event: string;
  delivery: string;
  received_at: string;
  headers: Record<string, string>;
  payload: Record<string, unknown>;
}

export function envelope(event: string, delivery: string, at: number, payload: Record<string, unknown>): Envelope {
  return {
    event,
    delivery,
    received_at: new Date(at).toISOString(),
    headers: { 'X-GitHub-Event': event, 'X-GitHub-Delivery': delivery, 'User-Agent': 'GitHub-Hookshot/pw-sim' },
    payload,
  };
}

/** The hook-delivery API shape (`GET /repos/{owner}/{repo}/hooks/{id}/deliveries/{delivery_id}`). */
export function hookDelivery(event: string, guid: string, at: number, payload: Record<string, unknown>): Record<string, unknown> {
  return {
    id: id(),
    guid,
    delivered_at: new Date(at).toISOString(),
    redelivery: false,
    duration: 0.2,
    status: 'OK',
    status_code: 202,
    event,
    action: typeof payload.action === 'string' ? payload.action : null,
    request: { headers: { 'X-GitHub-Event': event, 'X-GitHub-Delivery': guid }, payload },
    response: { headers: {}, payload: '' },
  };
}

export interface CommitSpec {
  id: string;
  message?: string;
  added?: string[];
  modified?: string[];
  removed?: string[];
  author?: string;
}

export function push(r: RepoRef, o: { ref: string; before: string; after: string; pusher: string; commits: CommitSpec[]; created?: boolean; deleted?: boolean; forced?: boolean; at: number }): Record<string, unknown> {
  const commits = o.commits.map((c) => ({
    id: c.id,
    tree_id: c.id.split('').reverse().join(''),
    distinct: true,
    message: c.message ?? 'update',
    timestamp: new Date(o.at - 60_000).toISOString(),
    author: { name: c.author ?? o.pusher, email: `${c.author ?? o.pusher}@users.noreply.github.com`, username: c.author ?? o.pusher },
    committer: { name: c.author ?? o.pusher, email: `${c.author ?? o.pusher}@users.noreply.github.com`, username: c.author ?? o.pusher },
    added: c.added ?? [],
    removed: c.removed ?? [],
    modified: c.modified ?? [],
  }));
  return {
    ref: o.ref,
    before: o.before,
    after: o.after,
    created: o.created ?? false,
    deleted: o.deleted ?? false,
    forced: o.forced ?? false,
    base_ref: null,
    compare: `https://github.com/${fullName(r)}/compare/${o.before.slice(0, 12)}...${o.after.slice(0, 12)}`,
    commits,
    head_commit: commits[commits.length - 1] ?? null,
    repository: repository(r, { pushed_at: Math.floor(o.at / 1000) }),
    pusher: { name: o.pusher, email: `${o.pusher}@users.noreply.github.com` },
    organization: { login: r.org },
    sender: user(o.pusher),
  };
}

export function pullRequest(
  r: RepoRef,
  o: { action: string; number: number; author: string; head: string; headSha: string; base?: string; merged?: boolean; mergedBy?: string; mergeSha?: string; sender: string; at: number; fork?: string },
): Record<string, unknown> {
  const at = new Date(o.at).toISOString();
  return {
    action: o.action,
    number: o.number,
    pull_request: {
      number: o.number,
      state: o.action === 'closed' ? 'closed' : 'open',
      title: `Change ${o.number}`,
      user: user(o.author),
      created_at: at,
      updated_at: at,
      closed_at: o.action === 'closed' ? at : null,
      merged_at: o.merged ? at : null,
      merged: o.merged ?? false,
      merged_by: o.merged && o.mergedBy ? user(o.mergedBy) : null,
      merge_commit_sha: o.mergeSha ?? null,
      head: { ref: o.head, sha: o.headSha, repo: { full_name: o.fork ?? fullName(r) } },
      base: { ref: o.base ?? r.defaultBranch ?? 'main', sha: o.headSha.split('').reverse().join(''), repo: { full_name: fullName(r) } },
    },
    repository: repository(r),
    organization: { login: r.org },
    sender: user(o.sender),
  };
}

export function review(r: RepoRef, o: { number: number; reviewer: string; state: 'approved' | 'commented' | 'changes_requested'; at: number }): Record<string, unknown> {
  return {
    action: 'submitted',
    review: { id: id(), user: user(o.reviewer), state: o.state, submitted_at: new Date(o.at).toISOString() },
    pull_request: { number: o.number },
    repository: repository(r),
    organization: { login: r.org },
    sender: user(o.reviewer),
  };
}

export function workflowRun(
  r: RepoRef,
  o: { action: 'requested' | 'in_progress' | 'completed'; runId: number; name: string; path: string; headSha: string; branch: string; event: string; actor: string; at: number; conclusion?: string },
): Record<string, unknown> {
  const at = new Date(o.at).toISOString();
  return {
    action: o.action,
    workflow_run: {
      id: o.runId,
      name: o.name,
      path: o.path,
      head_sha: o.headSha,
      head_branch: o.branch,
      event: o.event,
      status: o.action === 'completed' ? 'completed' : o.action === 'in_progress' ? 'in_progress' : 'queued',
      conclusion: o.action === 'completed' ? (o.conclusion ?? 'success') : null,
      run_attempt: 1,
      created_at: at,
      run_started_at: at,
      updated_at: at,
      actor: user(o.actor),
      triggering_actor: user(o.actor),
    },
    workflow: { path: o.path, name: o.name },
    repository: repository(r),
    organization: { login: r.org },
    sender: user(o.actor),
  };
}

export function workflowJob(
  r: RepoRef,
  o: { action: 'queued' | 'in_progress' | 'completed'; runId: number; jobId: number; name: string; workflowName: string; headSha: string; branch: string; startedAt: number; completedAt?: number; runner?: string; labels?: string[]; sender: string; conclusion?: string },
): Record<string, unknown> {
  return {
    action: o.action,
    workflow_job: {
      id: o.jobId,
      run_id: o.runId,
      run_attempt: 1,
      workflow_name: o.workflowName,
      head_branch: o.branch,
      head_sha: o.headSha,
      name: o.name,
      status: o.action,
      conclusion: o.action === 'completed' ? (o.conclusion ?? 'success') : null,
      created_at: new Date(o.startedAt - 5_000).toISOString(),
      started_at: new Date(o.startedAt).toISOString(),
      completed_at: o.completedAt ? new Date(o.completedAt).toISOString() : null,
      labels: o.labels ?? ['ubuntu-latest'],
      runner_name: o.action === 'queued' ? null : (o.runner ?? 'GitHub Actions 12'),
      runner_group_name: o.action === 'queued' ? null : 'GitHub Actions',
      steps: [],
    },
    repository: repository(r),
    organization: { login: r.org },
    sender: user(o.sender),
  };
}

/** Payload for events whose interesting part is the repository, sender and a few fields. */
export function simple(r: RepoRef | undefined, sender: string, fields: Record<string, unknown>, org?: string): Record<string, unknown> {
  return {
    ...fields,
    ...(r && { repository: repository(r) }),
    organization: { login: r?.org ?? org },
    sender: user(sender),
  };
}

export function auditEntry(action: string, o: { at: number; id: string; actor: string; org: string; repo?: string; fields?: Record<string, unknown>; bot?: boolean }): Record<string, unknown> {
  return {
    '@timestamp': o.at,
    _document_id: o.id,
    action,
    actor: o.actor,
    actor_id: 10_000 + (o.actor.length * 97) % 9000,
    actor_is_bot: o.bot ?? /\[bot\]$/.test(o.actor),
    created_at: o.at,
    operation_type: /\.(?:create|add|register)/.test(action) ? 'create' : /destroy|delete|remove/.test(action) ? 'remove' : 'modify',
    org: o.org,
    ...(o.repo && { repo: o.repo }),
    ...o.fields,
  };
}

/** A job log line with the runner's timestamp prefix. */
export function logLine(at: number, text: string): string {
  const iso = new Date(at).toISOString().replace('Z', '0000Z');
  return `${iso} ${text}`;
}

/** A realistic "Set up job" preamble and action downloads. */
export function jobLog(o: { start: number; runner: string; workflowRef: string; downloads: Array<{ action: string; ref: string; sha: string }>; steps: Array<{ name: string; lines: string[] }> }): string {
  let t = o.start;
  const tick = (): number => (t += 137);
  const lines: string[] = [
    logLine(tick(), '##[group]Runner Image Provisioner'),
    logLine(tick(), 'Hosted Compute Agent'),
    logLine(tick(), '##[endgroup]'),
    logLine(tick(), 'Current runner version: \'2.328.0\''),
    logLine(tick(), `Runner name: '${o.runner}'`),
    logLine(tick(), 'Runner group name: \'GitHub Actions\''),
    logLine(tick(), '##[group]GITHUB_TOKEN Permissions'),
    logLine(tick(), 'Contents: read'),
    logLine(tick(), 'Metadata: read'),
    logLine(tick(), '##[endgroup]'),
    logLine(tick(), 'Secret source: Actions'),
    logLine(tick(), 'Prepare workflow directory'),
    logLine(tick(), 'Prepare all required actions'),
    logLine(tick(), 'Getting action download info'),
  ];
  for (const d of o.downloads) lines.push(logLine(tick(), `Download action repository '${d.action}@${d.ref}' (SHA:${d.sha})`));
  lines.push(logLine(tick(), `Uses: ${o.workflowRef}`));
  lines.push(logLine(tick(), 'Complete job name: build'));
  for (const s of o.steps) {
    lines.push(logLine(tick(), `##[group]Run ${s.name}`));
    for (const l of s.lines) lines.push(logLine(tick(), l));
    lines.push(logLine(tick(), '##[endgroup]'));
  }
  lines.push(logLine(tick(), 'Cleaning up orphan processes'));
  return `${lines.join('\n')}\n`;
}
