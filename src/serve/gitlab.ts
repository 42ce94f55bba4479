/**
 * GitLab webhook deliveries → the monitoring engine's events, so the same detectors apply where
 * GitLab tells enough. Payload fields are documented at
 * https://docs.gitlab.com/user/project/integrations/webhook_events/ (one section per event);
 * `X-Gitlab-Event` and `X-Gitlab-Event-UUID` at https://docs.gitlab.com/user/project/integrations/webhooks/.
 *
 * Mapping (GitLab object_kind → event kind the detectors know):
 * - push → push (commits' added/modified files; `.gitlab-ci.yml` and `.gitlab/ci/*.yml` count as
 *   workflow files, so workflow-pushed covers CI changes pushed outside a merge request);
 * - tag_push → push of a tag (stored; workflow-pushed only looks at branches);
 * - merge_request → pull_request (merged by `user`), approvals → pull_request_review `approved`,
 *   so a merge request with an approval is "reviewed" exactly as a GitHub pull request;
 * - build (job) → workflow_job (shared runner or not: runner-registered), pipeline → workflow_run;
 * - deployment → deployment; member events → member (admin-level history).
 * GitLab's member events do not say who made the change, so they feed timelines, not unusual-actor.
 */
import { createHash } from 'node:crypto';
import { keys } from '../monitor/keys.js';
import type { EventFacts, NewEvent, PushFacts } from '../monitor/model.js';
import type { NormalizedRecord } from '../monitor/events/webhook.js';
import { at, int, obj, oneLine, str, strings, time as parseTime, type Json } from '../monitor/events/fields.js';

/** GitLab CI definitions: the root file and the conventional folder of included files. */
export function isGitlabCiPath(path: string): boolean {
  return /^\.gitlab-ci\.ya?ml$/i.test(path) || /^\.gitlab\/ci\/.+\.ya?ml$/i.test(path);
}

/** "2013-12-03 17:23:34 UTC" (group hooks) or ISO 8601. */
function glTime(v: unknown, path?: string): number | undefined {
  const x = path === undefined ? v : at(v, path);
  if (typeof x === 'string') return parseTime(x.replace(/ UTC$/, 'Z').replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2'));
  return parseTime(x);
}

function visibility(level: unknown): EventFacts['visibility'] {
  const v = typeof level === 'number' ? level : typeof level === 'string' ? level : undefined;
  if (v === 20 || v === 'public') return 'public';
  if (v === 10 || v === 'internal') return 'internal';
  if (v === 0 || v === 'private') return 'private';
  return undefined;
}

export interface GitlabDelivery {
  /** `X-Gitlab-Event` (`Push Hook`...). */
  eventHeader: string;
  uuid?: string;
  receivedAt: number;
  body: Json;
  /** The archived envelope (raw bytes of the stored event). */
  raw: Buffer;
}

export function normalizeGitlab(d: GitlabDelivery): NormalizedRecord & { warning?: string } {
  const p = d.body;
  const objectKind = str(p.object_kind) ?? str(p.event_name) ?? str(p.event_type) ?? d.eventHeader;
  const project = obj(p.project);
  const repository = str(project?.path_with_namespace) ?? str(p.project_path_with_namespace) ?? str(p.group_path);
  const org = repository?.split('/')[0];
  const facts: EventFacts = { origin: { file: 'POST /hooks/gitlab' } };
  const vis = visibility(project?.visibility_level ?? project?.visibility ?? at(p, 'repository.visibility_level'));
  if (vis) facts.visibility = vis;
  const defaultBranch = str(project?.default_branch);
  if (defaultBranch) facts.defaultBranch = defaultBranch;
  const k: string[] = [];
  if (repository) k.push(keys.repo(repository));
  let kind = `gitlab:${objectKind}`;
  let action: string | undefined;
  let actor = str(p.user_username) ?? str(p, 'user.username');
  let time: number | undefined;
  let summary = `GitLab ${objectKind}${repository ? ` in ${repository}` : ''}${actor ? ` by ${actor}` : ''}`;

  if (objectKind === 'push' || objectKind === 'tag_push') {
    kind = 'push';
    const ref = str(p.ref) ?? '';
    const commits = Array.isArray(p.commits) ? p.commits.map(obj).filter((x): x is Json => x !== undefined) : [];
    const workflowChanges: PushFacts['workflowChanges'] = [];
    for (const c of commits) {
      for (const change of ['added', 'modified', 'removed'] as const) {
        for (const path of strings(c[change])) if (isGitlabCiPath(path)) workflowChanges.push({ path, change, commit: str(c.id) ?? '' });
      }
    }
    const zero = /^0+$/;
    const before = str(p.before);
    const after = str(p.after);
    const push: PushFacts = {
      ref,
      ...(before && { before }),
      ...(after && { after }),
      created: before !== undefined && zero.test(before),
      deleted: after !== undefined && zero.test(after),
      forced: false,
      ...(actor && { pusher: actor }),
      commits: commits.map((c) => str(c.id)).filter((x): x is string => x !== undefined),
      workflowChanges,
      size: int(p.total_commits_count) ?? commits.length,
    };
    facts.push = push;
    if (repository) {
      if (ref) k.push(keys.branch(repository, ref));
      for (const id of push.commits) k.push(keys.commit(repository, id));
      if (after && !push.deleted) k.push(keys.commit(repository, after));
    }
    // A push names no time of its own; the newest commit's time is the author's, not GitLab's.
    const wf = workflowChanges.length ? `, CI files: ${[...new Set(workflowChanges.map((w) => w.path))].join(', ')}` : '';
    summary = `push to ${ref.replace(/^refs\/(?:heads|tags)\//, '')}${actor ? ` by ${actor}` : ''}: ${push.deleted ? 'deleted' : push.created ? 'created' : `${push.size} commit${push.size === 1 ? '' : 's'}`}${wf}`;
  } else if (objectKind === 'merge_request') {
    const a = obj(p.object_attributes) ?? {};
    const n = int(a.iid);
    const glAction = str(a.action);
    time = glTime(a.updated_at);
    if (n !== undefined && repository) {
      k.push(keys.pr(repository, n));
      if (glAction === 'approved' || glAction === 'approval') {
        kind = 'pull_request_review';
        action = 'submitted';
        facts.review = { pr: n, state: 'approved', ...(actor && { reviewer: actor }) };
      } else {
        kind = 'pull_request';
        const merged = glAction === 'merge' || str(a.state) === 'merged';
        action = merged ? 'closed' : glAction === 'open' ? 'opened' : glAction === 'close' ? 'closed' : 'synchronize';
        const mergeCommit = str(a.merge_commit_sha);
        const headSha = str(a, 'last_commit.id');
        facts.pr = {
          number: n,
          merged,
          ...(merged && actor && { mergedBy: actor }),
          ...(mergeCommit && { mergeCommit }),
          ...(str(a.source_branch) && { headRef: str(a.source_branch) }),
          ...(headSha && { headSha }),
          ...(str(a.target_branch) && { baseRef: str(a.target_branch) }),
        };
        const source = str(a.source_branch);
        if (source && (int(a.source_project_id) ?? int(a.target_project_id)) === int(a.target_project_id)) k.push(keys.prHead(repository, source));
        if (merged) {
          if (mergeCommit) k.push(keys.commit(repository, mergeCommit));
          if (headSha) k.push(keys.commit(repository, headSha));
        }
      }
    }
    summary = `merge request !${n ?? '?'} ${glAction ?? 'updated'}${actor ? ` by ${actor}` : ''}`;
  } else if (objectKind === 'build') {
    kind = 'workflow_job';
    const runner = obj(p.runner);
    const runId = int(p.pipeline_id) ?? int(at(p, 'pipeline.id'));
    const jobId = int(p.build_id);
    const name = str(p.build_name) ?? 'job';
    const started = glTime(p.build_started_at);
    time = glTime(p.build_finished_at) ?? started ?? glTime(p.build_created_at);
    const status = str(p.build_status);
    action = status === 'running' ? 'in_progress' : status === 'success' || status === 'failed' || status === 'canceled' ? 'completed' : 'queued';
    if (runId !== undefined) {
      facts.job = {
        runId,
        ...(jobId !== undefined && { jobId }),
        name,
        ...(str(p.sha) && { headSha: str(p.sha) }),
        ...(str(p.ref) && { headBranch: str(p.ref) }),
        ...(started !== undefined && { startedAt: started }),
        ...(status && { status }),
        ...(runner && str(runner.description) && { runnerName: str(runner.description) }),
        ...(runner && { labels: strings(runner.tags), selfHosted: runner.is_shared !== true }),
      };
      if (repository) {
        k.push(keys.run(repository, runId), keys.job(repository, runId, name));
      }
      if (org && facts.job.runnerName) k.push(keys.runner(org, facts.job.runnerName));
    }
    summary = `job ${oneLine(name, 80)} ${status ?? ''} in pipeline ${runId ?? '?'}${runner && str(runner.description) ? ` on ${oneLine(str(runner.description)!, 60)}` : ''}`;
  } else if (objectKind === 'pipeline') {
    kind = 'workflow_run';
    const a = obj(p.object_attributes) ?? {};
    const runId = int(a.id);
    time = glTime(a.finished_at) ?? glTime(a.created_at);
    action = str(a.status) === 'running' ? 'in_progress' : str(a.finished_at) ? 'completed' : 'requested';
    if (runId !== undefined) {
      facts.run = {
        runId,
        ...(str(a.sha) && { headSha: str(a.sha) }),
        ...(str(a.ref) && { headBranch: str(a.ref) }),
        ...(str(a.source) && { event: str(a.source) }),
        ...(str(a.status) && { conclusion: str(a.status) }),
        ...(glTime(a.created_at) !== undefined && { startedAt: glTime(a.created_at) }),
      };
      if (repository) k.push(keys.run(repository, runId));
    }
    summary = `pipeline ${runId ?? '?'} ${str(a.status) ?? ''} on ${str(a.ref) ?? '?'}`;
  } else if (objectKind === 'deployment') {
    kind = 'deployment';
    action = str(p.status);
    time = glTime(p.status_changed_at);
    summary = `deployment to ${str(p.environment) ?? '?'} ${action ?? ''}${actor ? ` by ${actor}` : ''}`;
  } else if (/^user_(?:add_to|remove_from|update_for)_(?:group|team)$/.test(objectKind) || objectKind === 'member') {
    kind = 'member';
    action = objectKind.startsWith('user_add') ? 'added' : objectKind.startsWith('user_remove') ? 'removed' : 'edited';
    // The payload names the member, not who changed the membership.
    actor = undefined;
    time = glTime(p.updated_at) ?? glTime(p.created_at);
    summary = `member ${str(p.user_username) ?? '?'} ${action} (${str(p.group_access) ?? str(p.access_level) ?? str(p.project_access) ?? 'access'}) in ${str(p.group_path) ?? repository ?? '?'}`;
  }

  let warning: string | undefined;
  let uuid = d.uuid;
  if (!uuid) {
    uuid = `sha256:${createHash('sha256').update(d.raw).digest('hex').slice(0, 32)}`;
    warning = 'GitLab delivery without X-Gitlab-Event-UUID: de-duplicated by content';
  }
  const event: NewEvent = {
    dedupKey: `gl:delivery:${uuid}`,
    source: 'webhook',
    kind,
    ...(action && { action }),
    time: time ?? d.receivedAt,
    receivedAt: d.receivedAt,
    ...(org && { org }),
    ...(repository && { repository }),
    ...(actor && { actor }),
    evidenceId: uuid,
    summary: oneLine(summary),
    keys: k,
    facts,
    raw: d.raw,
  };
  return { event, payload: p, ...(warning && { warning }) };
}
