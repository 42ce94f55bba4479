/**
 * Replay over the generated organisation: the per-event path the server will run after each
 * durable commit gives the same alerts as replay; replaying twice, or in another order, changes
 * nothing; a failing detector is isolated.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open.js';
import { hydrate, makeContext, runDetectors, type Detector } from './detect.js';
import { DETECTORS } from './detectors/index.js';
import { loadIndicators } from './indicators.js';
import type { Alert } from './model.js';
import { compareAlerts, publicAlert } from './render.js';
import { FolderContents, loadInputs, replay, type ReplayInputs } from './replay.js';
import { prng, type Truth } from './simulate/org.js';
import { writeGeneratedOrg } from './testing.js';

const settings = { admins: ['alice-admin', 'bob-ops'], bots: ['acme-release-bot'], trustedDomains: ['acme-corp.example', 'hooks.slack.com'] };
let dir: string;
let inputs: ReplayInputs;
let truth: Truth;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-replay-'));
  truth = writeGeneratedOrg(dir).truth;
  inputs = { webhooks: [join(dir, 'webhooks.jsonl')], auditLogs: [join(dir, 'audit-log.json')], logs: [join(dir, 'logs')] };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctxFor = async (): Promise<ReturnType<typeof makeContext>> => makeContext(await openStore({ db: 'memory', dataDir: dir }), loadIndicators(), { settings, contents: new FolderContents(join(dir, 'contents')) });
const canonical = (alerts: Alert[]): Alert[] => alerts.map(publicAlert).sort(compareAlerts);

describe('replay of the generated organisation', () => {
  it('finds every planted incident, raises nothing on benign events, and replaying again changes nothing', { timeout: 120_000 }, async () => {
    const ctx = await ctxFor();
    const first = await replay(inputs, ctx);
    expect(first.diagnostics).toEqual([]);
    expect(first.stats.inserted).toBe(first.stats.events);
    const found = first.alerts.map((a) => `${a.alert} ${a.repository ?? truth.org}`).sort();
    expect(found).toEqual(truth.expected.map((e) => `${e.alert} ${e.repository}`).sort());
    const planted = new Set(truth.planted);
    for (const a of first.alerts) expect(a.evidence.some((e) => planted.has(e.id)), `${a.alert}: ${a.title}`).toBe(true);

    const again = await replay(inputs, ctx);
    expect(again.stats.inserted).toBe(0);
    expect(canonical(again.alerts)).toEqual(canonical(first.alerts));
    expect((await ctx.store.listAlerts({})).length).toBe(first.alerts.length);
    await ctx.store.close();
  });

  it('the per-event path of the server (insert, commit, read back, hydrate, detect) gives the same alerts', { timeout: 120_000 }, async () => {
    const a = await ctxFor();
    const expected = canonical((await replay(inputs, a)).alerts);
    await a.store.close();

    const b = await ctxFor();
    const records = await loadInputs(inputs, () => undefined);
    for (const r of records) {
      const [{ id, inserted }] = (await b.store.insertEvents([r.event])) as [{ id: number; inserted: boolean }];
      if (!inserted) continue;
      const [stored] = await b.store.getEvents([id]);
      const raw = await b.store.rawOf(id);
      const result = await runDetectors(hydrate(stored!, raw!), b, DETECTORS);
      expect(result.failures).toEqual([]);
    }
    expect(canonical(await b.store.listAlerts({}))).toEqual(expected);
    await b.store.close();
  });

  it('gives the same alerts whatever the order of the input lines, and warns about the order', { timeout: 120_000 }, async () => {
    const a = await ctxFor();
    const expected = canonical((await replay(inputs, a)).alerts);
    await a.store.close();

    const lines = readFileSync(inputs.webhooks[0]!, 'utf8').trimEnd().split('\n');
    const rnd = prng(99);
    for (let i = lines.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
    const shuffled = join(dir, 'shuffled.jsonl');
    writeFileSync(shuffled, `${lines.join('\n')}\n`);
    const b = await ctxFor();
    const result = await replay({ ...inputs, webhooks: [shuffled] }, b);
    expect(canonical(result.alerts)).toEqual(expected);
    expect(result.diagnostics.length).toBe(21);
    expect(result.diagnostics[0]!.message).toMatch(/^out of order: /);
    expect(result.diagnostics[20]!.message).toMatch(/^\d+ more out-of-order records not listed$/);
    await b.store.close();
  });
});

describe('detector failures', () => {
  it('are reported with the event position; the event is stored and other detectors still run', async () => {
    const broken: Detector = {
      id: 'unusual-actor',
      accepts: () => true,
      detect: () => Promise.reject(new Error('boom')),
    };
    const ctx = await ctxFor();
    const protection = DETECTORS.find((d) => d.id === 'protection-weakened')!;
    const file = join(dir, 'one.json');
    writeFileSync(file, `[\n${JSON.stringify({ action: 'protected_branch.destroy', '@timestamp': Date.parse('2025-03-01T00:00:00Z'), _document_id: 'd1', actor: 'eve', org: 'acme', repo: 'acme/infra', name: 'main' })}\n]\n`);
    const result = await replay({ webhooks: [], auditLogs: [file], logs: [] }, ctx, { detectors: [broken, protection] });
    expect(result.diagnostics).toEqual([{ level: 'error', file, line: 2, message: 'internal error in detector unusual-actor: boom (the event is stored; other detectors ran)' }]);
    expect(result.alerts.map((a) => a.alert)).toEqual(['protection-weakened']);
    expect(result.stats.inserted).toBe(1);
    await ctx.store.close();
  });
});
