import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../core/finding.js';
import { auditEntry, envelope, hookDelivery, jobLog, push } from '../simulate/payloads.js';
import { normalizeAudit } from './audit.js';
import { parseJobLog } from './job-log.js';
import { normalizeWebhook } from './webhook.js';

const AT = Date.parse('2025-03-14T16:00:00Z');
const repo = { org: 'acme', name: 'api', visibility: 'private' as const };
const origin = { file: 'in.jsonl', line: 7 };

function collect(): { diags: Diagnostic[]; report: (d: Diagnostic) => void } {
  const diags: Diagnostic[] = [];
  return { diags, report: (d) => diags.push(d) };
}

describe('normalizeWebhook', () => {
  const payload = push(repo, { ref: 'refs/heads/main', before: '1'.repeat(40), after: '2'.repeat(40), pusher: 'carol', commits: [{ id: '2'.repeat(40), modified: ['.github/workflows/ci.yml'] }], at: AT });

  it('reads the stored-delivery shape and the hook-deliveries API shape to the same event', () => {
    const { diags, report } = collect();
    const a = normalizeWebhook(envelope('push', 'g-1', AT + 500, payload), Buffer.from('a'), origin, report)!;
    const b = normalizeWebhook(hookDelivery('push', 'g-1', AT + 500, payload), Buffer.from('b'), origin, report)!;
    expect(diags).toEqual([]);
    for (const e of [a.event, b.event]) {
      expect(e).toMatchObject({ dedupKey: 'gh:delivery:g-1', source: 'webhook', kind: 'push', org: 'acme', repository: 'acme/api', actor: 'carol', evidenceId: 'g-1' });
      expect(e.facts.visibility).toBe('private');
    }
    expect(a.event.time).toBe(b.event.time);
    expect(a.event.keys).toEqual(b.event.keys);
  });

  it('accepts a payload given as a JSON string and headers in any case', () => {
    const { diags, report } = collect();
    const r = normalizeWebhook({ headers: { 'x-github-event': 'push', 'x-github-delivery': 'g-2' }, received_at: new Date(AT).toISOString(), payload: JSON.stringify(payload) }, Buffer.from('x'), origin, report);
    expect(r?.event.dedupKey).toBe('gh:delivery:g-2');
    expect(diags).toEqual([]);
  });

  it('says what is wrong, with file and line, and keeps what it can', () => {
    const { diags, report } = collect();
    expect(normalizeWebhook({ payload }, Buffer.from('x'), origin, report)).toBeUndefined();
    expect(normalizeWebhook({ event: 'push' }, Buffer.from('x'), origin, report)).toBeUndefined();
    const unknown = normalizeWebhook({ event: 'sponsorship_tier_tea', delivery: 'g-3', received_at: new Date(AT).toISOString(), payload: { action: 'x' } }, Buffer.from('x'), origin, report);
    const noGuid = normalizeWebhook({ event: 'push', received_at: new Date(AT).toISOString(), payload }, Buffer.from('same bytes'), origin, report);
    expect(unknown?.event.kind).toBe('sponsorship_tier_tea');
    expect(noGuid?.event.dedupKey).toMatch(/^gh:delivery:sha256:[0-9a-f]{32}$/);
    expect(diags).toEqual([
      { level: 'error', file: 'in.jsonl', line: 7, message: 'not a webhook delivery: no "event" field or X-GitHub-Event header; skipped' },
      { level: 'error', file: 'in.jsonl', line: 7, message: 'push delivery without a JSON payload; skipped' },
      { level: 'note', file: 'in.jsonl', line: 7, message: 'unknown webhook event "sponsorship_tier_tea": stored, not analysed' },
      { level: 'warning', file: 'in.jsonl', line: 7, message: 'delivery has no GUID (delivery, guid or X-GitHub-Delivery); de-duplicated by content' },
    ]);
  });

  it('tolerates missing optional fields (no repository, no sender)', () => {
    const { diags, report } = collect();
    const r = normalizeWebhook({ event: 'ping', delivery: 'g-4', received_at: new Date(AT).toISOString(), payload: { zen: 'Keep it logically awesome.' } }, Buffer.from('x'), origin, report);
    expect(r?.event).toMatchObject({ kind: 'ping', time: AT });
    expect(r?.event.repository).toBeUndefined();
    expect(r?.event.actor).toBeUndefined();
    expect(diags).toEqual([]);
  });
});

describe('branch protection changes (webhook)', () => {
  const edited = (rule: Record<string, unknown>, changes: Record<string, unknown>): string[] => {
    const payload = { action: 'edited', rule: { name: 'main', updated_at: '2025-03-14T16:00:00Z', ...rule }, changes, repository: { full_name: 'acme/api', owner: { login: 'acme', type: 'Organization' } }, sender: { login: 'eve' } };
    const r = normalizeWebhook({ event: 'branch_protection_rule', delivery: 'g', payload }, Buffer.from('x'), origin, () => undefined);
    return r?.event.facts.protection?.relaxed ?? [];
  };

  it('reads relaxations from changes.*.from against the new rule, and ignores tightenings', () => {
    expect(edited({ required_approving_review_count: 1, admin_enforced: false }, { required_approving_review_count: { from: 2 }, admin_enforced: { from: true } })).toEqual(['required approvals 2 → 1', 'enforcement for admins true → false']);
    expect(edited({ required_approving_review_count: 3 }, { required_approving_review_count: { from: 2 } })).toEqual([]);
    expect(edited({ allow_force_pushes_enforcement_level: 'everyone' }, { allow_force_pushes_enforcement_level: { from: 'off' } })).toEqual(['force pushes off → everyone']);
  });

  it('push restrictions: turning them on with a first list is a tightening; widening or removing them is not', () => {
    expect(edited({ authorized_actors_only: true, authorized_actor_names: ['release-bot'] }, { authorized_actors_only: { from: false }, authorized_actor_names: { from: [] } })).toEqual([]);
    expect(edited({ authorized_actors_only: true, authorized_actor_names: ['release-bot', 'eve'] }, { authorized_actor_names: { from: ['release-bot'] } })).toEqual(['allowed to push: eve']);
    expect(edited({ authorized_actors_only: false, authorized_actor_names: [] }, { authorized_actors_only: { from: true } })).toEqual(['push restriction removed']);
  });
});

describe('normalizeAudit', () => {
  it('keeps the fields the detectors use, marks admin actions and keys the history', () => {
    const { diags, report } = collect();
    const entry = auditEntry('protected_branch.destroy', { at: AT, id: 'doc-1', actor: 'eve', org: 'acme', repo: 'acme/infra', fields: { name: 'main', public_repo: false } });
    const r = normalizeAudit(entry, Buffer.from(JSON.stringify(entry)), origin, report)!;
    expect(diags).toEqual([]);
    expect(r.event).toMatchObject({ dedupKey: 'gh:audit:doc-1', source: 'audit', kind: 'protected_branch.destroy', time: AT, org: 'acme', repository: 'acme/infra', actor: 'eve', evidenceId: 'doc-1' });
    expect(r.event.facts.admin).toBe(true);
    expect(r.event.facts.visibility).toBe('private');
    expect(r.event.keys).toContain('admin:acme:eve');
  });

  it('reads created_at when @timestamp is missing, hashes content without _document_id, and skips entries without action or time', () => {
    const { diags, report } = collect();
    const noId = normalizeAudit({ action: 'repo.create', created_at: AT, actor: 'a', repo: 'acme/x' }, Buffer.from('1'), origin, report);
    expect(noId?.event.time).toBe(AT);
    expect(noId?.event.dedupKey).toMatch(/^gh:audit:sha256:/);
    expect(normalizeAudit({ actor: 'a' }, Buffer.from('2'), origin, report)).toBeUndefined();
    expect(normalizeAudit({ action: 'repo.create' }, Buffer.from('3'), origin, report)).toBeUndefined();
    expect(diags.map((d) => d.message)).toEqual([
      'audit-log entry has no _document_id; de-duplicated by content',
      'audit-log entry without "action"; skipped',
      'audit-log entry repo.create has no time (@timestamp or created_at); skipped',
    ]);
  });
});

describe('parseJobLog', () => {
  it('reads downloads with their line and resolved SHA, the runner, the workflow and the time span', () => {
    const text = jobLog({
      start: AT,
      runner: 'build-box-3',
      workflowRef: 'acme/api/.github/workflows/ci.yml@refs/heads/main',
      downloads: [
        { action: 'actions/checkout', ref: 'v4', sha: 'A'.repeat(40) },
        { action: 'tj-actions/changed-files', ref: 'v45', sha: '0e58ed8671d6b60d0890c21b07f8835ace038e67' },
      ],
      steps: [{ name: 'test', lines: ['ok'] }],
    });
    const p = parseJobLog(text);
    expect(p.downloads).toEqual([
      { action: 'actions/checkout', ref: 'v4', sha: 'a'.repeat(40), line: 15 },
      { action: 'tj-actions/changed-files', ref: 'v45', sha: '0e58ed8671d6b60d0890c21b07f8835ace038e67', line: 16 },
    ]);
    expect(p.runnerName).toBe('build-box-3');
    expect(p.workflowRef).toBe('acme/api/.github/workflows/ci.yml@refs/heads/main');
    expect(p.firstTime).toBe(AT + 137);
    expect(p.lineCount).toBe(text.split('\n').length);
  });

  it('reads a log without timestamps or known lines, CRLF included', () => {
    const p = parseJobLog('hello\r\nworld\r\n');
    expect(p).toMatchObject({ downloads: [], lineCount: 3 });
    expect(p.firstTime).toBeUndefined();
  });
});
