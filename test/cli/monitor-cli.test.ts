/**
 * `pipewarden monitor replay` and `pipewarden ir ...` from the built CLI, on the generated
 * organisation (src/monitor/simulate/org.ts): exact alert list against its planted incidents,
 * idempotent re-replay, SARIF, no secret in any output, diagnostics with positions, exit codes,
 * and the same on a real PostgreSQL server.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Truth } from '../../src/monitor/simulate/org.js';
import { writeGeneratedOrg } from '../../src/monitor/testing.js';
import { envelope, jobLog, push } from '../../src/monitor/simulate/payloads.js';
import { writeZip } from '../../src/monitor/simulate/zip-writer.js';
import { createTempPostgres, type TempDatabase } from '../../src/store/testing.js';
import { cliAsync, type CliResult } from '../helpers.js';
import { sarifSchemaErrors } from '../sarif-schema.js';
import { serviceUrl } from '../services.js';

const SECRET = /\b(?:gh[pousr]_[A-Za-z0-9]{36}|npm_[A-Za-z0-9]{36})\b/;
let dir: string;
let truth: Truth;
let events: number;
const inputs = (): string[] => ['--webhooks', 'webhooks.jsonl', '--audit-log', 'audit-log.json', '--logs', 'logs', '--contents', 'contents', '-c', 'pipewarden.yml'];
const cli = cliAsync;
const run = (args: string[]): Promise<CliResult> => cli(args, { cwd: dir, env: { PIPEWARDEN_DATA_DIR: join(dir, 'data') } });
interface JsonAlert {
  alert: string;
  severity: string;
  repository: string | null;
  title: string;
  evidence: Array<{ source: string; id: string; line?: number }>;
}
const alertsOf = (r: CliResult): JsonAlert[] => (JSON.parse(r.stdout) as { alerts: JsonAlert[] }).alerts;
const expectedList = (): string[] => truth.expected.map((e) => `${e.alert} ${e.repository}`).sort();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-monitor-cli-'));
  const org = writeGeneratedOrg(dir);
  truth = org.truth;
  events = org.stats.webhooks + org.stats.audit + org.stats.logs;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('monitor replay (SQLite in the data folder)', () => {
  let first: CliResult;
  beforeAll(async () => {
    first = await run(['monitor', 'replay', ...inputs(), '-f', 'json']);
  }, 120_000);

  it('reports exactly the planted incidents, exit 1, and says what it stored', async () => {
    expect(first.code).toBe(1);
    const alerts = alertsOf(first);
    expect(alerts.map((a) => `${a.alert} ${a.repository ?? truth.org}`).sort()).toEqual(expectedList());
    const planted = new Set(truth.planted);
    for (const a of alerts) expect(a.evidence.some((e) => planted.has(e.id)), a.title).toBe(true);
    expect(first.stderr).toBe(`replayed ${events} events (${events} new in the store), ${alerts.length} alerts\n`);
    expect(readFileSync(join(dir, 'data', 'monitor.sqlite')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('a second replay into the same store adds nothing and reports the same alerts, as valid SARIF', async () => {
    const again = await run(['monitor', 'replay', ...inputs(), '-f', 'sarif']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`replayed ${events} events (0 new in the store), ${alertsOf(first).length} alerts\n`);
    const sarif = JSON.parse(again.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>; tool: { driver: { rules: Array<{ id: string; help?: { markdown?: string } }> } } }> };
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const results = sarif.runs[0]!.results;
    expect(results.map((r) => r.ruleId).sort()).toEqual(alertsOf(first).map((a) => `monitor/${a.alert}`).sort());
    const leak = results.find((r) => r.ruleId === 'monitor/secret-in-log')!;
    expect(leak.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/^logs\/acme-corp\/.+\.(txt|zip)$/);
    for (const rule of sarif.runs[0]!.tool.driver.rules) expect(rule.help?.markdown, rule.id).toContain(`### ${rule.id.replace('monitor/', '')}`);
  }, 120_000);

  it('prints no full secret in JSON, SARIF or text', async () => {
    expect(first.stdout).not.toMatch(SECRET);
    const text = await run(['monitor', 'replay', '--audit-log', 'audit-log.json', '--logs', 'logs', '-c', 'pipewarden.yml', '--db', 'memory', '--min-severity', 'critical']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('CRITICAL secret-in-log');
    expect(text.stdout).toMatch(/npm_\*{8} \(npm access token\)/);
    expect(text.stdout + text.stderr).not.toMatch(SECRET);
  }, 120_000);

  it('ir exposure reads the store: affected jobs of tj-actions/changed-files and the secrets to rotate', async () => {
    const r = await run(['ir', 'exposure', '--action', 'tj-actions/changed-files', '--from', '2025-03-14', '--to', '2025-03-15', '--contents', 'contents']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { jobs: Array<{ status: string; repository: string; sha: string | null }>; secrets_to_rotate: Array<{ name: string; scope: string; where: string }> };
    const affected = report.jobs.filter((j) => j.status === 'affected');
    expect([...new Set(affected.map((j) => j.repository))].sort()).toEqual(['acme-corp/api', 'acme-corp/docs', 'acme-corp/sdk-js']);
    expect(affected.every((j) => j.sha === '0e58ed8671d6b60d0890c21b07f8835ace038e67')).toBe(true);
    expect(report.jobs.some((j) => j.status === 'not-affected')).toBe(true);
    expect(report.secrets_to_rotate.length).toBeGreaterThan(0);
    expect(r.stdout).not.toMatch(SECRET);
    const md = await run(['ir', 'exposure', '--action', 'tj-actions/changed-files', '--from', '2025-03-14', '--to', '2025-03-15', '-f', 'markdown']);
    expect(md.stdout).toMatch(/^# Exposure: tj-actions\/changed-files\n/);
    expect(md.stdout).toContain('## Secrets to rotate\n\n- [ ] `');
  });

  it('ir timeline merges events and alerts of one repository, as CSV', async () => {
    const r = await run(['ir', 'timeline', '--repo', 'acme-corp/infra', '--from', '2025-03-17', '--to', '2025-03-17', '-f', 'csv']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('time,type,source,kind,severity,repository,actor,summary,evidence');
    expect(rows.some((l) => /,alert,pipewarden,protection-weakened,(critical|high),acme-corp\/infra,/.test(l))).toBe(true);
    const times = rows.slice(1).map((l) => l.slice(0, 24));
    expect([...times].sort()).toEqual(times);
  });
});

describe('ir sweep-logs', () => {
  it('finds the leaked secrets in the logs folder, masked, with file and line; exit 1', async () => {
    const r = await run(['ir', 'sweep-logs', 'logs', '-f', 'json']);
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; location: { file: string; startLine: number } }> }).findings;
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.ruleId).toBe('monitor/secret-in-log');
      expect(f.location.file).toMatch(/^logs\//);
      expect(f.location.startLine).toBeGreaterThan(1);
    }
    expect(r.stdout + r.stderr).not.toMatch(SECRET);
  }, 60_000);
});

describe('bad input', () => {
  it('reports malformed lines, unknown events, out-of-order times and truncated zips with positions; the rest is replayed; exit 1', async () => {
    const at = (iso: string): number => Date.parse(iso);
    const repo = { org: 'acme', name: 'app' };
    const p = (iso: string, sha: string): Record<string, unknown> => push(repo, { ref: 'refs/heads/main', before: '1'.repeat(40), after: sha, pusher: 'dev', commits: [{ id: sha }], at: at(iso) });
    const hooks = [
      JSON.stringify(envelope('push', 'g1', at('2025-03-01T10:00:00Z'), p('2025-03-01T10:00:00Z', '2'.repeat(40)))),
      '{"event": "push", bad',
      JSON.stringify(envelope('made_up_event', 'g3', at('2025-03-01T11:00:00Z'), { action: 'created' })),
      JSON.stringify(envelope('push', 'g4', at('2025-03-01T08:00:00Z'), p('2025-03-01T08:00:00Z', '3'.repeat(40)))),
      JSON.stringify(envelope('push', 'g5', at('2025-03-01T12:00:00Z'), p('2025-03-01T12:00:00Z', '4'.repeat(40)))),
    ];
    const bad = join(dir, 'bad');
    mkdirSync(join(bad, 'logs/acme/app'), { recursive: true });
    writeFileSync(join(bad, 'hooks.jsonl'), `${hooks.join('\n')}\n`);
    const log = jobLog({ start: at('2025-03-01T10:00:00Z'), runner: 'r', workflowRef: 'x', downloads: [], steps: [{ name: 'a', lines: ['ok'] }] });
    const zip = writeZip([{ name: '1_build.txt', data: Buffer.from(log) }, { name: '2_test.txt', data: Buffer.from(log.repeat(3)) }]);
    writeFileSync(join(bad, 'logs/acme/app/9.zip'), zip.subarray(0, Math.floor(zip.length * 0.7)));
    const r = await cli(['monitor', 'replay', '--webhooks', 'hooks.jsonl', '--logs', 'logs', '--db', 'memory'], { cwd: bad });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('No alerts.\n');
    expect(r.stderr.split('\n')).toEqual([
      'hooks.jsonl:2:19: error: malformed JSON: Expected double-quoted property name in JSON; record skipped',
      'hooks.jsonl:3: note: unknown webhook event "made_up_event": stored, not analysed',
      'hooks.jsonl:4: warning: out of order: 2025-03-01T08:00:00.000Z is earlier than the previous record (line 3, 2025-03-01T11:00:00.000Z) in a file sorted oldest first; events are replayed in time order',
      'logs/acme/app/9.zip: error: truncated or corrupt zip (End of central directory record signature not found. Either not a zip file, or file is truncated.); recovered 1 complete entry and 1 partial from the local headers',
      'exit 1: 2 input errors above; what they hid could not be checked (--fail-on never to ignore)',
      'replayed 6 events (6 new in the store), 0 alerts',
      '',
    ]);
    expect(await cli(['monitor', 'replay', '--webhooks', 'hooks.jsonl', '--db', 'memory', '--fail-on', 'never', '-q'], { cwd: bad })).toMatchObject({ code: 0, stderr: 'hooks.jsonl:2:19: error: malformed JSON: Expected double-quoted property name in JSON; record skipped\n' });
  });

  it('exit 2 with one line for usage errors: no input, a bad --db, a missing input file', async () => {
    const none = await cli(['monitor', 'replay', '--db', 'memory']);
    expect(none).toMatchObject({ code: 2 });
    expect(none.stderr).toMatch(/nothing to replay: give --webhooks, --audit-log or --logs/);
    const db = await cli(['monitor', 'replay', '--webhooks', 'x.jsonl', '--db', 'mysql://h/db']);
    expect(db.code).toBe(2);
    expect(db.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await cli(['monitor', 'replay', '--webhooks', join(dir, 'nope.jsonl'), '--db', 'memory']);
    expect(missing).toMatchObject({ code: 2, stderr: `error: ${join(dir, 'nope.jsonl')}: no such file or directory\n` });
  });
});

describe.skipIf(!serviceUrl('postgres'))('monitor replay on PostgreSQL', () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempPostgres(serviceUrl('postgres')!);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('stores and reports the same alerts as SQLite, idempotently, and never prints the password', async () => {
    const a = await run(['monitor', 'replay', ...inputs(), '-f', 'json', '--db', db.url]);
    expect(a.code).toBe(1);
    expect(alertsOf(a).map((x) => `${x.alert} ${x.repository ?? truth.org}`).sort()).toEqual(expectedList());
    expect(a.stderr).toBe(`replayed ${events} events (${events} new in the store), ${alertsOf(a).length} alerts\n`);
    const b = await run(['monitor', 'replay', ...inputs(), '-f', 'json', '--db', db.url]);
    expect(b.stderr).toBe(`replayed ${events} events (0 new in the store), ${alertsOf(a).length} alerts\n`);
    expect(alertsOf(b)).toEqual(alertsOf(a));
    const bad = new URL(db.url);
    bad.password = 'wrong-password-123';
    const denied = await run(['monitor', 'replay', '--webhooks', 'webhooks.jsonl', '--db', bad.toString()]);
    expect(denied.code).toBe(2);
    expect(denied.stderr).not.toContain('wrong-password-123');
  }, 240_000);
});
