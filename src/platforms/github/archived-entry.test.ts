import { describe, expect, it } from 'vitest';
import { archivedEntryFor, patternRank, type ArchivedAction } from './supply-chain.js';

const entry = (pattern: string, source: string): ArchivedAction => ({ pattern, archived: '2024-01-01', source });

const LIST: ArchivedAction[] = [
  entry('*', 'any'),
  entry('Acme/*', 'owner'),
  entry('acme/tools/', 'repo'),
  entry('acme/tools/lint', 'path'),
  entry('acme/tools/lint/', 'path-again'),
  entry('acme/tools/lint/deep', 'deep'),
  entry('other', 'owner-only'),
];

/** What archivedEntryFor answers, by patternRank() over the list (the most specific, first on ties). */
function byRank(owner: string, repo: string, path: string): string | undefined {
  let best: ArchivedAction | undefined;
  let rank = -1;
  for (const e of LIST) {
    const r = patternRank(e.pattern, owner, repo, path);
    if (r > rank) [best, rank] = [e, r];
  }
  return best?.source;
}

describe('archivedEntryFor', () => {
  it('picks the most specific pattern, the first one on ties, case-insensitively', () => {
    const cases: Array<[string, string, string, string]> = [
      ['acme', 'tools', '', 'repo'],
      ['ACME', 'Tools', 'lint', 'path'],
      ['acme', 'tools', './lint//x', 'path'],
      ['acme', 'tools', 'lint/deep/more', 'deep'],
      ['acme', 'tools', 'other', 'repo'],
      ['acme', 'else', '', 'owner'],
      ['other', 'x', '', 'any'],
      ['nobody', 'x', 'y', 'any'],
    ];
    for (const [owner, repo, path, want] of cases) {
      expect(archivedEntryFor(owner, repo, path, LIST)?.source).toBe(want);
      expect(byRank(owner, repo, path)).toBe(want);
    }
    expect(archivedEntryFor('acme', 'tools', '', LIST.slice(1, 2))?.source).toBe('owner');
    expect(archivedEntryFor('x', 'y', '', LIST.slice(1))).toBeUndefined();
  });
});
