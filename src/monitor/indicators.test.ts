import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndicatorError, judgeActionUse, loadIndicators, parseIndicators } from './indicators.js';

const set = loadIndicators();
const t = (iso: string): number => Date.parse(iso);
const TJ_BAD = '0e58ed8671d6b60d0890c21b07f8835ace038e67';

describe('shipped indicators', () => {
  it('parse, and every entry cites at least one https source', () => {
    expect(set.actions.length).toBeGreaterThanOrEqual(4);
    for (const a of [...set.actions, ...set.repositories, ...set.workflows, ...set.runners]) {
      expect(a.sources.length, a.id).toBeGreaterThan(0);
      for (const s of a.sources) expect(s, a.id).toMatch(/^https:\/\//);
    }
    expect(set.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('carry the published facts of the March 2025 compromises', () => {
    const tj = set.actions.find((a) => a.id === 'tj-actions-changed-files-2025-03')!;
    expect(tj).toMatchObject({ actions: ['tj-actions/changed-files'], cve: 'CVE-2025-30066', compromisedShas: [TJ_BAD], shaListComplete: true });
    const rd = set.actions.find((a) => a.id === 'reviewdog-action-setup-2025-03')!;
    expect(rd).toMatchObject({ cve: 'CVE-2025-30154', compromisedShas: ['f0d342d24037bb11d26b9bd8496e0808ba32e9ec'], refs: ['v1'] });
    expect(new Date(rd.window.start).toISOString()).toBe('2025-03-11T18:42:00.000Z');
  });
});

describe('judgeActionUse', () => {
  const judge = (action: string, ref: string, sha: string | undefined, iso: string): string | undefined => judgeActionUse(set, { action, ref, ...(sha && { sha }), time: t(iso) })?.kind;

  it('is certain for a published bad commit whatever the time or ref', () => {
    expect(judge('tj-actions/changed-files', 'v45', TJ_BAD, '2025-03-14T17:00:00Z')).toBe('ran-bad-commit');
    expect(judge('TJ-Actions/Changed-Files', TJ_BAD, undefined, '2025-06-01T00:00:00Z')).toBe('ran-bad-commit');
  });

  it('clears pinned commits, other resolved commits when the list is complete, and uses outside the window', () => {
    expect(judge('tj-actions/changed-files', 'a'.repeat(40), undefined, '2025-03-14T17:00:00Z')).toBeUndefined();
    expect(judge('tj-actions/changed-files', 'v45', 'b'.repeat(40), '2025-03-14T17:00:00Z')).toBeUndefined();
    expect(judge('tj-actions/changed-files', 'v45', undefined, '2025-03-13T23:59:00Z')).toBeUndefined();
    expect(judge('actions/checkout', 'v4', undefined, '2025-03-14T17:00:00Z')).toBeUndefined();
  });

  it('is probable for a mutable ref in the window when the SHA is unknown or the list incomplete; refs and safe refs count', () => {
    expect(judge('tj-actions/changed-files', 'v45', undefined, '2025-03-14T17:00:00Z')).toBe('in-window');
    expect(judge('reviewdog/action-setup', 'v1', undefined, '2025-03-11T19:00:00Z')).toBe('in-window');
    expect(judge('reviewdog/action-setup', 'v2', undefined, '2025-03-11T19:00:00Z')).toBeUndefined();
    expect(judge('aquasecurity/trivy-action', 'master', 'c'.repeat(40), '2026-03-19T20:00:00Z')).toBe('in-window');
    expect(judge('aquasecurity/trivy-action', '0.35.0', 'c'.repeat(40), '2026-03-19T20:00:00Z')).toBeUndefined();
  });
});

describe('parseIndicators', () => {
  const good = { id: 'x', action: 'o/r', title: 'T', compromisedShas: [], window: { start: '2025-01-01T00:00:00Z', end: '2025-01-02T00:00:00Z' }, sources: ['https://example.org/a'] };

  it('rejects malformed data with the place of the mistake', () => {
    const bad = (a: Record<string, unknown>): string => {
      try {
        parseIndicators({ actions: [{ ...good, ...a }] }, 'mine.json');
        return 'accepted';
      } catch (e) {
        expect(e).toBeInstanceOf(IndicatorError);
        return (e as Error).message;
      }
    };
    expect(bad({})).toBe('accepted');
    expect(bad({ compromisedShas: ['0e58ed8'] })).toBe('mine.json: actions[0]: compromisedShas must be full 40-character commit SHAs');
    expect(bad({ window: { start: '2025-01-02T00:00:00Z', end: '2025-01-01T00:00:00Z' } })).toBe('mine.json: actions[0]: window ends before it starts');
    expect(bad({ window: { start: 'soon', end: '2025-01-01T00:00:00Z' } })).toBe('mine.json: actions[0].window.start must be an ISO 8601 time');
    expect(bad({ sources: [] })).toBe('mine.json: actions[0]: at least one source URL is required');
    expect(bad({ action: 'not a repo' })).toBe('mine.json: actions[0]: actions must be owner/repo');
    expect(() => parseIndicators([], 'mine.json')).toThrow('mine.json: not a JSON object');
  });

  it('merges a user file over the shipped data by id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-ind-'));
    try {
      const file = join(dir, 'extra.json');
      writeFileSync(file, JSON.stringify({ updated: '2026-01-01', actions: [{ ...good, id: 'tj-actions-changed-files-2025-03', action: 'tj-actions/changed-files' }, good] }));
      const merged = loadIndicators(file);
      expect(merged.actions.length).toBe(set.actions.length + 1);
      expect(merged.actions.find((a) => a.id === 'tj-actions-changed-files-2025-03')!.compromisedShas).toEqual([]);
      writeFileSync(file, '{nope');
      expect(() => loadIndicators(file)).toThrow(/extra\.json: invalid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
