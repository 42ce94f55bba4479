import { describe, expect, it } from 'vitest';
import { attackerFieldsAt, EXTERNALLY_TRIGGERABLE, isPrivileged, PRIVILEGED_TRIGGERS } from './contexts.js';

/** `pattern strength via` for every match, in table order. */
const at = (path: string, ...triggers: string[]) => attackerFieldsAt(path.split('.'), new Set(triggers)).map((m) => `${m.field.pattern} ${m.field.strength} ${m.via.join(',')}`);

describe('attackerFieldsAt', () => {
  it('matches a field exactly, through indexes, and only under triggers that fill it', () => {
    expect(at('github.event.issue.title', 'issues', 'push')).toEqual(['github.event.issue.title high issues']);
    expect(at('github.event.issue.title', 'issues', 'issue_comment')).toEqual(['github.event.issue.title high issues,issue_comment']);
    expect(at('github.event.commits.*.message', 'push')).toEqual(['github.event.commits.*.message medium push']);
    expect(at('github.event.commits.3.message', 'push')).toEqual(['github.event.commits.*.message medium push']);
    expect(at('github.event.issue.title', 'push', 'schedule')).toEqual([]);
  });

  it('reads only the github context', () => {
    expect(at('env.github.event.issue.title', 'issues')).toEqual([]);
    expect(at('inputs.event.issue.title', 'issues')).toEqual([]);
    expect(at('event.issue.title', 'issues')).toEqual([]);
  });

  it('lists every controlled field under an object passed whole (toJSON), in table order', () => {
    expect(at('github.event.issue', 'issues')).toEqual(['github.event.issue.title high issues', 'github.event.issue.body high issues']);
    expect(at('github.event.head_commit', 'push')).toEqual([
      'github.event.head_commit.message medium push',
      'github.event.head_commit.author.email medium push',
      'github.event.head_commit.author.name medium push',
      'github.event.head_commit.committer.email medium push',
      'github.event.head_commit.committer.name medium push',
    ]);
    expect(at('github.event.review', 'pull_request_review')).toEqual(['github.event.review.body high pull_request_review']);
    expect(at('github.event.review', 'pull_request_review_comment')).toEqual([]);
  });

  it('treats a wildcard pattern as its whole subtree, and a deeper path under a scalar field as that field unless the leaf is a safe scalar', () => {
    expect(at('github.event.client_payload.a.b.c', 'repository_dispatch')).toEqual(['github.event.client_payload.* low repository_dispatch']);
    expect(at('github.event.client_payload.a.id', 'repository_dispatch')).toEqual(['github.event.client_payload.* low repository_dispatch']);
    expect(at('github.event.issue.title.text', 'issues')).toEqual(['github.event.issue.title high issues']);
    for (const leaf of ['sha', 'number', 'id', 'node_id', 'url', 'html_url', 'api_url', 'draft', 'merged', 'state', 'created_at', 'updated_at', 'size', 'login', 'avatar_url', 'type']) {
      expect({ leaf, found: at(`github.event.issue.title.${leaf}`, 'issues') }).toEqual({ leaf, found: [] });
    }
  });

  it('counts every field, at medium strength, when the caller is unknown (workflow_call)', () => {
    expect(at('github.event.issue.title', 'workflow_call')).toEqual(['github.event.issue.title medium workflow_call']);
    expect(at('github.event.issue.title', 'workflow_call', 'issues')).toEqual(['github.event.issue.title high issues']);
    expect(at('github.head_ref', 'workflow_call', 'push')).toEqual(['github.head_ref medium workflow_call']);
    // Writer-controlled fields stay low: an unknown caller does not raise them.
    expect(at('github.event.release.body', 'workflow_call')).toEqual(['github.event.release.body low workflow_call']);
  });
});

describe('trigger sets', () => {
  // Written out here so a trigger dropped from (or added to) the source is a failing difference.
  const PRIVILEGED = ['discussion', 'discussion_comment', 'fork', 'gollum', 'issue_comment', 'issues', 'pull_request_target', 'watch', 'workflow_run'];
  const EXTERNAL = [...PRIVILEGED, 'pull_request', 'pull_request_review', 'pull_request_review_comment'].sort();

  it('privileged triggers run with secrets and a writable token on attacker input', () => {
    expect([...PRIVILEGED_TRIGGERS].sort()).toEqual(PRIVILEGED);
    for (const t of PRIVILEGED) expect({ t, privileged: isPrivileged(new Set(['push', t])) }).toEqual({ t, privileged: true });
    for (const t of ['push', 'pull_request', 'workflow_dispatch', 'schedule', 'workflow_call', 'release']) expect({ t, privileged: isPrivileged(new Set([t])) }).toEqual({ t, privileged: false });
    expect(isPrivileged(new Set())).toBe(false);
  });

  it('externally triggerable: the privileged ones and the pull request family', () => {
    expect([...EXTERNALLY_TRIGGERABLE].sort()).toEqual(EXTERNAL);
  });
});
