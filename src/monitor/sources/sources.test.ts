import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../core/finding.js';
import { writeZip } from '../simulate/zip-writer.js';
import { checkOrder } from './inputs.js';
import { infoFromPath, jobLogsOfArchive, normJob } from './logs.js';
import { jsonErrorOffset } from './json-error.js';
import { splitRecords } from './records.js';
import { readZip, salvage } from './zip.js';
import type { NormalizedRecord } from '../events/webhook.js';

describe('splitRecords', () => {
  it('splits JSON lines, keeping each line number and exact bytes, and reports a malformed line by number', () => {
    const text = '{"a":1}\n\n{"b":2}\n{"c":\n   \n{"d":4}\r\n';
    const r = splitRecords(Buffer.from(text), 'hooks.jsonl');
    expect(r.form).toBe('jsonl');
    expect(r.records.map((x) => [x.line, x.raw.toString(), x.value])).toEqual([
      [1, '{"a":1}', { a: 1 }],
      [3, '{"b":2}', { b: 2 }],
      [6, '{"d":4}', { d: 4 }],
    ]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ level: 'error', file: 'hooks.jsonl', line: 4, column: 6 });
    expect(r.diagnostics[0]!.message).toMatch(/^malformed JSON: .+; record skipped$/);
  });

  it('splits a JSON array at top-level commas: one bad element is reported at its line, the others survive', () => {
    const text = '[\n  {"x": "a,b", "y": [1, 2]},\n  {"x": oops},\n  {"x": "}]"}\n]\n';
    const r = splitRecords(Buffer.from(text), 'audit.json');
    expect(r.form).toBe('array');
    expect(r.records.map((x) => [x.line, x.value])).toEqual([
      [2, { x: 'a,b', y: [1, 2] }],
      [4, { x: '}]' }],
    ]);
    expect(r.diagnostics.map((d) => [d.line, d.column, d.level])).toEqual([[3, 9, 'error']]);
    const multi = splitRecords(Buffer.from('[\n  {"a": 1,\n   "b": nope}\n]\n'), 'audit.json');
    expect(multi.diagnostics.map((d) => [d.line, d.column])).toEqual([[3, 10]]);
  });

  it('a malformed element spanning lines gives a one-line reason without the payload (found by the monitor-records fuzz target)', () => {
    const r = splitRecords(Buffer.from('[\n[[1,2],\n"",\n}"\\u0000"\n]'), 'audit.json');
    expect(r.diagnostics.map((d) => d.message)).toEqual(["malformed JSON: Unexpected token '}'; record skipped"]);
  });

  it('handles a BOM, an empty file and a non-object line', () => {
    expect(splitRecords(Buffer.from('\ufeff{"a":1}\n'), 'f').records.map((x) => x.value)).toEqual([{ a: 1 }]);
    expect(splitRecords(Buffer.from('  \n'), 'f')).toEqual({ records: [], diagnostics: [], form: 'empty' });
    const r = splitRecords(Buffer.from('{"a":1}\n42\n'), 'f');
    expect(r.records.length + r.diagnostics.length).toBe(2);
  });

  it('reports at most 50 malformed lines, then a count', () => {
    const r = splitRecords(Buffer.from('nope\n'.repeat(60)), 'junk.jsonl');
    expect(r.diagnostics).toHaveLength(51);
    expect(r.diagnostics[50]!.message).toBe('10 more malformed records not listed (60 in all)');
  });
});

describe('zips', () => {
  const entries = [
    { name: '1_build.txt', data: Buffer.from('line one\nline two\n'.repeat(200)) },
    { name: 'build/2_Run tests.txt', data: Buffer.from('ok\n'.repeat(500)) },
    { name: '2_lint.txt', data: Buffer.from('lint output\n'.repeat(300)) },
  ];

  it('reads a complete zip with yauzl', async () => {
    const diags: Diagnostic[] = [];
    const got = await readZip(writeZip(entries), 'run.zip', (d) => diags.push(d));
    expect(got.map((e) => [e.name, e.data.length, e.truncated])).toEqual(entries.map((e) => [e.name, e.data.length, false]));
    expect(diags).toEqual([]);
  });

  it('salvages the complete entries of a truncated zip from the local headers and says so', async () => {
    const zip = writeZip(entries);
    const cut = zip.subarray(0, Math.floor(zip.length * 0.6));
    const diags: Diagnostic[] = [];
    const got = await readZip(cut, 'run.zip', (d) => diags.push(d));
    expect(got[0]).toMatchObject({ name: '1_build.txt', truncated: false });
    expect(got[0]!.data.equals(entries[0]!.data)).toBe(true);
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ level: 'error', file: 'run.zip' });
    expect(diags[0]!.message).toMatch(/^truncated or corrupt zip \(.+\); recovered \d+ complete entr(y|ies)/);
  });

  it('salvage stops at garbage and never reads past the buffer', () => {
    expect(salvage(Buffer.from('not a zip at all'))).toEqual([]);
    const zip = writeZip(entries);
    for (const n of [0, 10, 29, 30, 31, 60, zip.length - 1]) expect(() => salvage(zip.subarray(0, n))).not.toThrow();
  });

  it('never throws or hangs on cut or corrupted zips (yauzl, then salvage): at most the original entries, each within its limit', async () => {
    const zip = writeZip(entries);
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1, noNaN: true }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 6 }), async (cut, flips) => {
        const bytes = Buffer.from(zip.subarray(0, Math.floor(zip.length * cut)));
        for (const [at, v] of flips) if (bytes.length) bytes[at % bytes.length] = v;
        const diags: Diagnostic[] = [];
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'late'>((done) => (timer = setTimeout(() => done('late'), 2000)));
        const got = await Promise.race([readZip(bytes, 'run.zip', (d) => diags.push(d), { maxEntryBytes: 1 << 20, maxTotalBytes: 4 << 20, maxEntries: 100 }), deadline]);
        clearTimeout(timer);
        expect(got).not.toBe('late');
        if (got === 'late') return;
        expect(got.length).toBeLessThanOrEqual(entries.length);
        for (const e of got) expect(e.data.length).toBeLessThanOrEqual(1 << 20);
        for (const d of diags) expect(d.message).not.toContain('\n');
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the per-job logs of a run archive and drops the per-step copies', () => {
    const jobs = jobLogsOfArchive(entries.map((e) => ({ ...e, truncated: false })));
    expect(jobs.map((j) => [j.name, j.jobName])).toEqual([
      ['1_build.txt', 'build'],
      ['2_lint.txt', 'lint'],
    ]);
  });
});

describe('log paths', () => {
  it('reads repository, run and job from the folder layout', () => {
    expect(infoFromPath('acme/api/1234/build.txt')).toEqual({ repository: 'acme/api', runId: 1234, jobName: 'build' });
    expect(infoFromPath('api/1234/build (ubuntu, 20).txt')).toMatchObject({ repository: 'api', runId: 1234, jobName: 'build (ubuntu, 20)' });
    expect(infoFromPath('loose.txt')).toEqual({ jobName: 'loose' });
    expect(normJob('Build (Ubuntu,  20)')).toBe(normJob('build (ubuntu, 20)'));
  });
});

describe('checkOrder', () => {
  const rec = (time: number, line: number): NormalizedRecord => ({ event: { time, facts: { origin: { file: 'f', line } } } as NormalizedRecord['event'], payload: {} });
  const base = Date.parse('2025-03-01T00:00:00Z');

  it('accepts oldest-first and newest-first files, and jitter under a minute', () => {
    for (const times of [[0, 1, 2, 3], [3, 2, 1, 0], [0, 2, 2 - 30 / 3600, 3]]) {
      const diags: Diagnostic[] = [];
      checkOrder(times.map((t, i) => rec(base + t * 3_600_000, i + 1)), 'f', (d) => diags.push(d));
      expect(diags).toEqual([]);
    }
  });

  it('reports each backwards jump with its line against the dominant order', () => {
    const diags: Diagnostic[] = [];
    checkOrder([0, 1, 2, 0.5, 3, 4].map((t, i) => rec(base + t * 3_600_000, i + 1)), 'hooks.jsonl', (d) => diags.push(d));
    expect(diags).toEqual([
      {
        level: 'warning',
        file: 'hooks.jsonl',
        line: 4,
        message: 'out of order: 2025-03-01T00:30:00.000Z is earlier than the previous record (line 3, 2025-03-01T02:00:00.000Z) in a file sorted oldest first; events are replayed in time order',
      },
    ]);
  });
});

describe('jsonErrorOffset', () => {
  it('points at the first character that breaks the document, and agrees with JSON.parse on validity', () => {
    expect(jsonErrorOffset('{"a": 1}')).toBe(-1);
    expect(jsonErrorOffset('{"a": oops}')).toBe(6);
    expect(jsonErrorOffset('{"a":')).toBe(5);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('[1, 2,]')).toBe(6);
    expect(jsonErrorOffset('{"a": "x\\q"}')).toBe(9);
    expect(jsonErrorOffset('{} x')).toBe(3);
    expect(jsonErrorOffset('[[[[' + ']]]]'.repeat(1) + ']')).toBe(8);
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string({ maxLength: 30 }), fc.json().map((j) => j.slice(0, -1))), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const at = jsonErrorOffset(text);
        expect(at === -1).toBe(valid);
        expect(at).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
    expect(jsonErrorOffset('['.repeat(200_000))).toBe(200_000);
  });
});
