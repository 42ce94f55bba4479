import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrl } from '../../test/services.js';
import { auditEntry, push, simple } from '../monitor/simulate/payloads.js';
import { signGithub } from './signature.js';
import { ADMIN, AUDIT_TOKEN, GITLAB_TOKEN, postGithub, settled, startStack, storeSpot, type StoreSpot, type TestStack } from './testing.js';

const sha = (c: string): string => c.repeat(40);
const repo = { org: 'acme', name: 'api', visibility: 'private' as const };
const NOW = Date.now();

/** A direct push that changes a workflow on the default branch: workflow-pushed, high. */
const directPush = (after: string) =>
  push(repo, { ref: 'refs/heads/main', before: sha('a'), after, pusher: 'mallory', commits: [{ id: after, modified: ['.github/workflows/ci.yml'] }], at: NOW });

const gitlabPush = {
  object_kind: 'push',
  event_name: 'push',
  before: sha('1'),
  after: sha('2'),
  ref: 'refs/heads/main',
  user_username: 'eve',
  project: { path_with_namespace: 'acme-group/service', default_branch: 'main', visibility_level: 0 },
  commits: [{ id: sha('2'), timestamp: '2025-03-01T10:00:00Z', added: [], modified: ['.gitlab-ci.yml'], removed: [] }],
  total_commits_count: 1,
};

async function gitlab(url: string, body: unknown, o: { token?: string; uuid?: string; event?: string } = {}): Promise<Response> {
  return fetch(`${url}/hooks/gitlab`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gitlab-event': o.event ?? 'Push Hook', 'x-gitlab-token': o.token ?? GITLAB_TOKEN, 'x-gitlab-event-uuid': o.uuid ?? randomUUID() },
    body: JSON.stringify(body),
  });
}

const pg = serviceUrl('postgres');

describe.each([['sqlite'], ...(pg ? [['postgres']] : [])] as Array<['sqlite' | 'postgres']>)('serve intake on %s', (kind) => {
  let spot: StoreSpot;
  let s: TestStack;
  beforeAll(async () => {
    spot = await storeSpot(kind, pg);
    s = await startStack(spot.db, { settings: { maxBodyBytes: 64 * 1024 } });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    await spot?.cleanup();
  });

  const eventCount = async (): Promise<number> => (await s.store.listEvents({})).length;

  it('refuses unsigned, badly signed, oversized and non-JSON deliveries, and stores nothing', async () => {
    const body = JSON.stringify(directPush(sha('b')));
    const cases: Array<[Promise<Response>, number]> = [
      [postGithub(s.server.url, 'push', body, { signature: null }), 401],
      [postGithub(s.server.url, 'push', body, { secret: 'another-secret' }), 401],
      [postGithub(s.server.url, 'push', body, { signature: `sha256=${'0'.repeat(64)}` }), 401],
      [postGithub(s.server.url, 'push', body, { signature: 'sha1=abc' }), 401],
      [postGithub(s.server.url, 'push', 'not json at all'), 400],
      [postGithub(s.server.url, 'push', '[1,2,3]'), 400],
      [postGithub(s.server.url, '', body), 400],
      [postGithub(s.server.url, 'push', JSON.stringify({ pad: 'x'.repeat(70 * 1024) })), 413],
      [gitlab(s.server.url, gitlabPush, { token: 'wrong' }), 401],
      [fetch(`${s.server.url}/ingest/github-audit`, { method: 'POST', headers: { authorization: 'Bearer nope-nope-nope' }, body: '{}' }), 401],
      [fetch(`${s.server.url}/ingest/github-audit`, { method: 'POST', headers: { authorization: `Bearer ${AUDIT_TOKEN}`, 'content-encoding': 'gzip' }, body: 'not gzip' }), 400],
    ];
    const statuses = await Promise.all(cases.map(async ([r]) => (await r).status));
    expect(statuses).toEqual(cases.map(([, st]) => st));
    expect(await eventCount()).toBe(0);
  });

  it('stores a signed delivery before answering 202, detects after, and acknowledges a redelivery without a second alert', async () => {
    const delivery = randomUUID();
    const res = await postGithub(s.server.url, 'push', directPush(sha('c')), { delivery });
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { stored: boolean; event: number };
    expect(answer.stored).toBe(true);
    // Committed when answered, whatever the detectors are doing.
    expect((await s.store.getEvents([answer.event]))[0]!.evidenceId).toBe(delivery);
    await settled(s);
    const alerts = await s.store.listAlerts({});
    expect(alerts.map((a) => [a.alert, a.severity, a.repository, a.evidence.map((e) => e.id)])).toEqual([['workflow-pushed', 'high', 'acme/api', [delivery]]]);

    const again = await postGithub(s.server.url, 'push', directPush(sha('c')), { delivery });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true, event: answer.event });
    await settled(s);
    expect(await s.store.listAlerts({})).toHaveLength(1);
    expect(await eventCount()).toBe(1);
  });

  it('keeps the payload bytes as received in the archived envelope, which monitor replay reads back', async () => {
    const body = `{"zen": "Keep it logically awesome.",  "hook_id": 1, "repository": {"full_name": "acme/api"}}`;
    const res = await postGithub(s.server.url, 'ping', body);
    expect(res.status).toBe(202);
    const { event } = (await res.json()) as { event: number };
    const raw = (await s.store.rawOf(event))!.toString('utf8');
    expect(raw.endsWith(`"payload":${body}}`)).toBe(true);
    const env = JSON.parse(raw) as { event: string; headers: Record<string, string> };
    expect(env.event).toBe('ping');
    expect(env.headers['x-hub-signature-256']).toBe(signGithub('test-webhook-secret-3f9a', body));
  });

  it('accepts form-encoded deliveries and the previous secret while it is rotated, and stores unknown events without alerting', async () => {
    const payload = JSON.stringify(simple(repo, 'alice', { action: 'created' }));
    const form = `payload=${encodeURIComponent(payload)}`;
    const res = await postGithub(s.server.url, 'star', form, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(202);
    const unknown = await postGithub(s.server.url, 'brand_new_event', { hello: 'world' });
    expect(unknown.status).toBe(202);
    await settled(s);
    expect((await s.store.listEvents({ kinds: ['star', 'brand_new_event'] })).map((e) => e.kind)).toEqual(['star', 'brand_new_event']);
    expect(await s.store.listAlerts({})).toHaveLength(1);
  });

  it('maps GitLab pushes onto workflow-pushed and de-duplicates by X-Gitlab-Event-UUID', async () => {
    const uuid = randomUUID();
    const res = await gitlab(s.server.url, gitlabPush, { uuid });
    expect(res.status).toBe(202);
    expect((await gitlab(s.server.url, gitlabPush, { uuid })).status).toBe(200);
    await settled(s);
    const alerts = await s.store.listAlerts({ repository: 'acme-group/service' });
    expect(alerts.map((a) => [a.alert, a.severity, a.actor, a.evidence.map((e) => e.id)])).toEqual([['workflow-pushed', 'high', 'eve', [uuid]]]);
  });

  it('takes audit-log stream batches (gzip, JSON lines, HEC wrappers), reports bad lines, and de-duplicates by _document_id', async () => {
    const a = auditEntry('repo.access', { at: NOW, id: `doc-${randomUUID()}`, actor: 'alice', org: 'acme', repo: 'acme/ledger', fields: { previous_visibility: 'private', visibility: 'public' } });
    const b = auditEntry('org.update_member', { at: NOW + 1, id: `doc-${randomUUID()}`, actor: 'alice', org: 'acme' });
    const lines = `${JSON.stringify(a)}\n{"broken": \n${JSON.stringify({ event: b, sourcetype: 'github:enterprise:audit' })}\n`;
    const post = (body: Buffer) => fetch(`${s.server.url}/ingest/github-audit`, { method: 'POST', headers: { authorization: `Bearer ${AUDIT_TOKEN}`, 'content-encoding': 'gzip', 'content-type': 'application/json' }, body: new Uint8Array(body) });
    const res = await post(gzipSync(lines));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { stored: number; duplicates: number; diagnostics: Array<{ line: number }> };
    expect([body.stored, body.duplicates, body.diagnostics.map((d) => d.line)]).toEqual([2, 0, [2]]);
    const again = (await (await post(gzipSync(lines))).json()) as { stored: number; duplicates: number };
    expect([again.stored, again.duplicates]).toEqual([0, 2]);
    await settled(s);
    expect((await s.store.listAlerts({ repository: 'acme/ledger' })).map((x) => [x.alert, x.evidence[0]!.id])).toEqual([['repo-exposure', a._document_id]]);
  });

  it('answers /healthz without a token and /metrics only with one', async () => {
    expect(await (await fetch(`${s.server.url}/healthz`)).json()).toEqual({ status: 'ok', store: kind });
    expect((await fetch(`${s.server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${s.server.url}/metrics`, { headers: { authorization: 'Bearer not-a-real-token-at-all' } })).status).toBe(401);
    const res = await fetch(`${s.server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const text = await res.text();
    expect(text).toContain('pipewarden_deliveries_received_total{endpoint="/hooks/github"} 4');
    expect(text).toContain('pipewarden_deliveries_duplicate_total{endpoint="/hooks/github"} 1');
    expect(text).toContain('pipewarden_deliveries_rejected_total{endpoint="/hooks/github",reason="bad-signature"} 3');
    expect(text).toContain('pipewarden_queue_depth 0');
    expect(text).toMatch(/pipewarden_detector_latency_seconds_count \d+/);
  });
});
