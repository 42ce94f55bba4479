import fc from 'fast-check';
import type { Diagnostic } from '../../../src/core/finding.js';
import { normalizeAudit } from '../../../src/monitor/events/audit.js';
import { parseJobLog } from '../../../src/monitor/events/job-log.js';
import { normalizeWebhook } from '../../../src/monitor/events/webhook.js';
import { findSecretDumps } from '../../../src/monitor/detectors/secret-in-log/dumps.js';
import { writeZip } from '../../../src/monitor/simulate/zip-writer.js';
import { splitRecords } from '../../../src/monitor/sources/records.js';
import { salvage } from '../../../src/monitor/sources/zip.js';
import { check, defineTarget, lines, repeated, tokenText } from '../harness.js';

function lineCount(text: string): number {
  return text.split('\n').length;
}

function checkDiagnostics(diags: Diagnostic[], maxLine: number): void {
  for (const d of diags) {
    check(d.message.length > 0 && !d.message.includes('\n'), `diagnostic not one line: ${JSON.stringify(d.message)}`);
    if (d.line !== undefined) check(d.line >= 1 && d.line <= maxLine, `diagnostic line ${d.line} outside 1-${maxLine}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Record files (webhook JSON lines, audit-log JSON arrays)

const RECORD_TOKENS = ['{', '}', '[', ']', '"', '\\"', ':', ',', '\n', '\r\n', ' ', '"a"', '"action"', '1', '-1e3', 'true', 'null', '{"a":1}', '[1,2]', '"x,y"', '"}]"', '\\', '\ufeff', '\u0000', '"\\u0000"'];

const recordFiles = defineTarget<string>({
  name: 'monitor-records',
  about: 'src/monitor/sources/records.ts: JSON lines and arrays split with line numbers; every record is its own bytes re-parsed; diagnostics inside the file',
  arbitrary: fc.oneof(
    { weight: 4, arbitrary: tokenText(RECORD_TOKENS, 80) },
    { weight: 2, arbitrary: lines(fc.oneof(fc.json({ maxDepth: 3 }), tokenText(RECORD_TOKENS, 10)), 20) },
    { weight: 1, arbitrary: fc.array(fc.oneof(fc.json({ maxDepth: 3 }), tokenText(RECORD_TOKENS, 6)), { maxLength: 12 }).map((xs) => `[\n${xs.join(',\n')}\n]`) },
    { weight: 1, arbitrary: repeated(fc.constantFrom('[', '{"a":', '"', ',', '\n', '[{}', '\\'), 20000) },
  ),
  run(text) {
    const buf = Buffer.from(text);
    const r = splitRecords(buf, 'f.json');
    const max = lineCount(buf.toString('utf8'));
    let last = 0;
    for (const rec of r.records) {
      check(rec.line >= 1 && rec.line <= max, `record line ${rec.line} outside 1-${max}`);
      check(rec.line >= last, 'records out of file order');
      last = rec.line;
      check(JSON.stringify(JSON.parse(rec.raw.toString('utf8'))) === JSON.stringify(rec.value), 'raw bytes do not parse to the value');
    }
    checkDiagnostics(r.diagnostics, max);
  },
});

// ---------------------------------------------------------------------------------------------
// Webhook deliveries and audit entries: any JSON shape

const EVENTS = ['push', 'branch_protection_rule', 'repository_ruleset', 'workflow_run', 'workflow_job', 'deploy_key', 'member', 'repository', 'organization', 'secret_scanning_alert', 'ping', 'x'];
const AUDIT_ACTIONS = ['protected_branch.destroy', 'protected_branch.update', 'repo.access', 'org.update_actions_settings', 'hook.create', 'public_key.create', 'workflows.prepared_workflow_job', 'environment.remove_protection_rule', 'repository_ruleset.update', 'x.y'];
const KEYS = ['action', 'repository', 'full_name', 'owner', 'login', 'type', 'sender', 'organization', 'ref', 'commits', 'after', 'before', 'rule', 'changes', 'from', 'key', 'read_only', 'workflow_run', 'workflow_job', 'head_sha', 'created_at', 'updated_at', 'visibility', 'private', 'config', 'url', 'name', '@timestamp', 'actor', 'repo', 'org', '_document_id', 'secrets_passed', 'workflow_run_id', 'job_name', 'runner_labels', 'state', 'enforcement', 'rules', 'bypass_actors'];
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -1, 1e21, 1741939200000, '', 'x', '2025-03-14T17:00:00Z', 'not a date', 'acme/api', 'https://h.example/x', 'refs/heads/main', 'a'.repeat(40)),
    fc.string({ maxLength: 20 }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 6 }),
  ),
})).v;

const webhooks = defineTarget<{ event: string; record: unknown; shape: number }>({
  name: 'monitor-webhook',
  about: 'src/monitor/events/webhook.ts: any delivery record is an event or a diagnostic, never an exception; events have a finite time and one-line summary',
  arbitrary: fc.record({ event: fc.constantFrom(...EVENTS), record: anyValue, shape: fc.integer({ min: 0, max: 3 }) }),
  run({ event, record, shape }) {
    const wrapped = shape === 0 ? record : shape === 1 ? { event, delivery: 'g', received_at: '2025-03-14T17:00:00Z', payload: record } : shape === 2 ? { request: { headers: { 'X-GitHub-Event': event, 'X-GitHub-Delivery': 'g' }, payload: record }, delivered_at: 'x' } : { event, payload: JSON.stringify(record) };
    const diags: Diagnostic[] = [];
    const out = normalizeWebhook(wrapped, Buffer.from(JSON.stringify(wrapped) ?? 'null'), { file: 'f', line: 3 }, (d) => diags.push(d));
    checkDiagnostics(diags, 3);
    if (out) {
      check(Number.isFinite(out.event.time), 'event time not finite');
      check(out.event.dedupKey.startsWith('gh:delivery:'), `dedup key ${out.event.dedupKey}`);
      check(!out.event.summary.includes('\n') && out.event.summary.length <= 200, 'summary not one short line');
      check(out.event.keys.every((k) => typeof k === 'string' && k.length > 0), 'empty history key');
    }
  },
});

const audit = defineTarget<{ action: string; record: unknown }>({
  name: 'monitor-audit',
  about: 'src/monitor/events/audit.ts: any audit entry is an event or a diagnostic, never an exception',
  arbitrary: fc.record({ action: fc.constantFrom(...AUDIT_ACTIONS), record: anyValue }),
  run({ action, record }) {
    const entry = record !== null && typeof record === 'object' && !Array.isArray(record) ? { action, '@timestamp': 1741939200000, ...record } : record;
    const diags: Diagnostic[] = [];
    const out = normalizeAudit(entry, Buffer.from(JSON.stringify(entry) ?? 'null'), { file: 'f', line: 2 }, (d) => diags.push(d));
    checkDiagnostics(diags, 2);
    if (out) {
      check(Number.isFinite(out.event.time), 'event time not finite');
      check(!out.event.summary.includes('\n') && out.event.summary.length <= 200, 'summary not one short line');
    }
  },
});

// ---------------------------------------------------------------------------------------------
// Job logs

const LOG_TOKENS = [
  '2025-03-14T17:00:00.0000000Z ', '2025-13-99T99:99:99Z ', "Download action repository 'tj-actions/changed-files@v45' (SHA:0e58ed8671d6b60d0890c21b07f8835ace038e67)", "Download action repository 'a/b@",
  "Runner name: 'box'", 'Uses: acme/api/.github/workflows/ci.yml@refs/heads/main', 'Job defined at: x', '##[group]Run x', '##[endgroup]', '\n', '\r\n', '\u001b[36;1m', '***', 'x'.repeat(500),
];

const jobLogs = defineTarget<string>({
  name: 'monitor-job-log',
  about: 'src/monitor/events/job-log.ts: downloads, runner and times read from any text; lines inside the log',
  arbitrary: fc.oneof({ weight: 4, arbitrary: tokenText(LOG_TOKENS, 60) }, { weight: 1, arbitrary: repeated(fc.constantFrom('\n', "Download action repository '", 'a'), 20000) }),
  run(text) {
    const p = parseJobLog(text);
    check(p.lineCount === lineCount(text), `lineCount ${p.lineCount}, text has ${lineCount(text)}`);
    for (const d of p.downloads) {
      check(d.line >= 1 && d.line <= p.lineCount, `download line ${d.line} outside the log`);
      check(/^[0-9a-f]{40}$/.test(d.sha ?? ''), 'download without a full lower-case SHA');
    }
    if (p.firstTime !== undefined) check(Number.isFinite(p.firstTime) && Number.isFinite(p.lastTime), 'times not finite');
  },
});

// ---------------------------------------------------------------------------------------------
// Secret dumps (runner memory records, secrets context), base64 nested

const DUMP_TOKENS = ['{', '}', '"', ':', ',', '"NPM_TOKEN"', '"github_token"', '{"value":"', '","isSecret":true}', '"***"', 'abc123XYZ', '\\"', '\n', 'A', '=', '/', '+'];
const dumpText = tokenText(DUMP_TOKENS, 40);
const secretDumps = defineTarget<{ text: string; layers: number }>({
  name: 'monitor-secret-dumps',
  about: 'src/monitor/detectors/secret-in-log/dumps.ts: any text (base64-wrapped up to 4 times) is scanned without exception; values are never masks; lines inside the text',
  arbitrary: fc.record({ text: fc.oneof(dumpText, lines(dumpText, 10), repeated(fc.constantFrom('{"a":{"value":"', 'QUJD', '{', '"'), 5000)), layers: fc.integer({ min: 0, max: 4 }) }),
  run({ text, layers }) {
    let t = text;
    for (let i = 0; i < layers; i++) t = Buffer.from(t).toString('base64');
    const found = findSecretDumps(t);
    const max = lineCount(t);
    for (const d of found) {
      check(d.line >= 1 && d.line <= max, `line ${d.line} outside 1-${max}`);
      check(d.value !== '' && !/^\*+$/.test(d.value), `a mask reported as a secret: ${JSON.stringify(d.value)}`);
    }
  },
});

// ---------------------------------------------------------------------------------------------
// Truncated and corrupted zips

const zips = defineTarget<{ cut: number; flips: Array<[number, number]>; names: string[] }>({
  name: 'monitor-zip-salvage',
  about: 'src/monitor/sources/zip.ts salvage: a cut or corrupted run-log zip yields entries that are prefixes of the originals, never an exception',
  arbitrary: fc.record({
    cut: fc.double({ min: 0, max: 1, noNaN: true }),
    flips: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }),
    names: fc.array(fc.stringMatching(/^[a-z0-9_ ]{1,12}\.txt$/), { minLength: 1, maxLength: 4 }),
  }),
  run({ cut, flips, names }) {
    const entries = names.map((name, i) => ({ name, data: Buffer.from(`line ${i}\n`.repeat(50 + i * 30)) }));
    const zip = writeZip(entries);
    const bytes = Buffer.from(zip.subarray(0, Math.floor(zip.length * cut)));
    for (const [at, v] of flips) if (bytes.length) bytes[at % bytes.length] = v;
    const got = salvage(bytes, { maxEntryBytes: 1 << 20, maxTotalBytes: 4 << 20, maxEntries: 100 });
    check(got.length <= entries.length + 1, `${got.length} entries from a zip of ${entries.length}`);
    if (flips.length === 0) {
      for (const e of got) {
        // Names may repeat in a zip: the entry must be a prefix of one of that name.
        const originals = entries.filter((x) => x.name === e.name);
        check(originals.length > 0, `entry ${e.name} is not in the zip`);
        const prefixOf = originals.filter((o) => o.data.subarray(0, e.data.length).equals(e.data));
        check(prefixOf.length > 0, `${e.name} is not a prefix of the original`);
        if (!e.truncated) check(prefixOf.some((o) => e.data.length === o.data.length), `${e.name} complete but shorter`);
      }
    }
  },
});

export default [recordFiles, webhooks, audit, jobLogs, secretDumps, zips];
