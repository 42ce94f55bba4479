/**
 * What an attacker controls, per trigger. Paths are lower-case, dotted, `*` for any index.
 * A field is only attacker-controlled when one of the workflow's triggers can populate it:
 * `github.event.issue.title` under `on: push` is empty, not dangerous.
 */

const PR = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'];
const ISSUE = ['issues', 'issue_comment'];
const COMMENT = ['issue_comment', 'pull_request_review_comment', 'commit_comment', 'discussion_comment'];
const DISCUSSION = ['discussion', 'discussion_comment'];
const PUSH = ['push'];
const RUN = ['workflow_run'];

export interface ControlledField {
  pattern: string;
  triggers: string[];
  /**
   * high: anyone who can open an issue/PR/fork sets it; medium: needs some repository role or a
   * merged commit; low: only people with write access set it (writer-controlled: a release's tag
   * and notes, a repository_dispatch payload), so it matters only as defence in depth.
   */
  strength: 'high' | 'medium' | 'low';
}

const F = (pattern: string, triggers: string[], strength: ControlledField['strength'] = 'high'): ControlledField => ({ pattern, triggers, strength });

export const ATTACKER_CONTROLLED: ControlledField[] = [
  F('github.event.issue.title', ISSUE),
  F('github.event.issue.body', ISSUE),
  F('github.event.pull_request.title', PR),
  F('github.event.pull_request.body', PR),
  F('github.event.pull_request.head.ref', PR),
  F('github.event.pull_request.head.label', PR),
  F('github.event.pull_request.head.repo.default_branch', PR),
  F('github.event.pull_request.head.repo.description', PR),
  F('github.event.pull_request.head.repo.homepage', PR),
  F('github.event.pull_request.labels.*.name', PR, 'medium'),
  F('github.event.pull_request.labels.*.description', PR, 'medium'),
  F('github.event.label.name', [...PR, ...ISSUE], 'medium'),
  F('github.head_ref', PR),
  F('github.event.comment.body', COMMENT),
  F('github.event.review.body', ['pull_request_review']),
  F('github.event.pages.*.page_name', ['gollum']),
  F('github.event.pages.*.title', ['gollum']),
  F('github.event.commits.*.message', PUSH, 'medium'),
  F('github.event.commits.*.author.email', PUSH, 'medium'),
  F('github.event.commits.*.author.name', PUSH, 'medium'),
  F('github.event.commits.*.committer.email', PUSH, 'medium'),
  F('github.event.commits.*.committer.name', PUSH, 'medium'),
  F('github.event.head_commit.message', [...PUSH, 'merge_group'], 'medium'),
  F('github.event.head_commit.author.email', PUSH, 'medium'),
  F('github.event.head_commit.author.name', PUSH, 'medium'),
  F('github.event.head_commit.committer.email', PUSH, 'medium'),
  F('github.event.head_commit.committer.name', PUSH, 'medium'),
  F('github.event.merge_group.head_commit.message', ['merge_group'], 'medium'),
  F('github.event.workflow_run.head_branch', RUN),
  F('github.event.workflow_run.display_title', RUN),
  F('github.event.workflow_run.head_commit.message', RUN),
  F('github.event.workflow_run.head_commit.author.email', RUN),
  F('github.event.workflow_run.head_commit.author.name', RUN),
  F('github.event.workflow_run.head_commit.committer.email', RUN),
  F('github.event.workflow_run.head_commit.committer.name', RUN),
  F('github.event.workflow_run.head_repository.description', RUN),
  F('github.event.workflow_run.pull_requests.*.head.ref', RUN),
  F('github.event.discussion.title', DISCUSSION),
  F('github.event.discussion.body', DISCUSSION),
  F('github.event.release.name', ['release'], 'low'),
  F('github.event.release.body', ['release'], 'low'),
  F('github.event.release.tag_name', ['release'], 'low'),
  F('github.event.check_suite.head_branch', ['check_suite'], 'medium'),
  F('github.event.check_run.check_suite.head_branch', ['check_run'], 'medium'),
  F('github.event.client_payload.*', ['repository_dispatch'], 'low'),
];

/** Triggers that run with the base repository's secrets and a writable token on attacker input. */
export const PRIVILEGED_TRIGGERS = new Set([
  'pull_request_target',
  'workflow_run',
  'issue_comment',
  'issues',
  'discussion',
  'discussion_comment',
  'gollum',
  'fork',
  'watch',
]);

/** Triggers an outsider (no repository role) can cause. */
export const EXTERNALLY_TRIGGERABLE = new Set([
  ...PRIVILEGED_TRIGGERS,
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
]);

function matches(pattern: string[], path: string[]): 'exact' | 'prefix' | 'parent' | undefined {
  const n = Math.min(pattern.length, path.length);
  for (let i = 0; i < n; i++) {
    if (pattern[i] !== '*' && path[i] !== '*' && pattern[i] !== path[i]) return undefined;
  }
  if (pattern.length === path.length) return 'exact';
  // path is deeper than the pattern (`client_payload.x.y`): the pattern's subtree.
  if (path.length > pattern.length) return pattern[pattern.length - 1] === '*' ? 'exact' : 'prefix';
  return 'parent'; // path is an ancestor object (`github.event.pull_request`), e.g. passed to toJSON
}

/**
 * Leaves of attacker objects that are safe scalars even under a controlled parent: GitHub
 * generates or validates them (logins are letters, digits and hyphens; SHAs, ids and URLs are
 * GitHub's), so they cannot carry shell syntax.
 */
const SAFE_LEAVES = new Set(['sha', 'number', 'id', 'node_id', 'url', 'html_url', 'api_url', 'draft', 'merged', 'state', 'created_at', 'updated_at', 'size', 'login', 'avatar_url', 'type']);

export interface AttackerMatch {
  field: ControlledField;
  /** Triggers of this workflow that populate the field. */
  via: string[];
}

/**
 * Attacker-controlled fields the value at `path` can contain, given the workflow's triggers.
 * `workflow_call` means the caller's event is unknown: every field counts, at medium strength.
 */
export function attackerFieldsAt(path: string[], triggers: ReadonlySet<string>): AttackerMatch[] {
  if (path[0] !== 'github') return [];
  const last = path[path.length - 1]!;
  const out: AttackerMatch[] = [];
  const unknownCaller = triggers.has('workflow_call');
  for (const field of ATTACKER_CONTROLLED) {
    const m = matches(field.pattern.split('.'), path);
    if (!m) continue;
    if (m === 'prefix' && SAFE_LEAVES.has(last)) continue;
    const via = field.triggers.filter((t) => triggers.has(t));
    if (via.length === 0 && !unknownCaller) continue;
    // Unknown caller: the field counts at medium at most (writer-controlled ones stay low).
    const strength = via.length === 0 && field.strength === 'high' ? 'medium' : field.strength;
    out.push({ field: strength === field.strength ? field : { ...field, strength }, via: via.length ? via : ['workflow_call'] });
    if (m !== 'parent') break;
  }
  return out;
}

export function isPrivileged(triggers: ReadonlySet<string>): boolean {
  for (const t of triggers) if (PRIVILEGED_TRIGGERS.has(t)) return true;
  return false;
}
