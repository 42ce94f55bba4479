import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/fix/diff.js';
import { applyEdits, EditError, fixKey, selectFixes } from '../../src/fix/edits.js';
import type { Fix } from '../../src/core/finding.js';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `l${i + 1}\n`).join('');

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('f', 'a\n', 'a\n')).toBe('');
  });

  it('one change with 3 lines of context', () => {
    const before = lines(10);
    const after = before.replace('l5\n', 'L5\n');
    expect(unifiedDiff('x.yml', before, after)).toBe(['--- a/x.yml', '+++ b/x.yml', '@@ -2,7 +2,7 @@', ' l2', ' l3', ' l4', '-l5', '+L5', ' l6', ' l7', ' l8', ''].join('\n'));
  });

  it('separate hunks when changes are more than 6 lines apart, one hunk when closer', () => {
    const before = lines(20);
    const far = before.replace('l2\n', 'X\n').replace('l12\n', 'Y\n');
    expect(unifiedDiff('f', before, far).match(/^@@.*$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -9,7 +9,7 @@']);
    const near = before.replace('l2\n', 'X\n').replace('l9\n', 'Y\n');
    expect(unifiedDiff('f', before, near).match(/^@@.*$/gm)).toEqual(['@@ -1,12 +1,12 @@']);
  });

  it('insertions and deletions count lines right, including empty ranges', () => {
    expect(unifiedDiff('f', 'a\nb\n', 'a\nx\ny\nb\n')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,4 @@\n a\n+x\n+y\n b\n');
    expect(unifiedDiff('f', '', 'a\n')).toBe('--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n');
    expect(unifiedDiff('f', 'a\n', '')).toBe('--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n');
  });

  it('marks a missing final newline', () => {
    expect(unifiedDiff('f', 'a\nb', 'a\nb\n')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
  });

  it('agrees with GNU diff on a larger edit', () => {
    const before = lines(30);
    const after = before.replace('l3\n', '').replace('l15\n', 'l15\nnew\n').replace('l29\n', 'z\n');
    const d = unifiedDiff('f', before, after);
    expect(d.match(/^@@.*$/gm)).toEqual(['@@ -1,6 +1,5 @@', '@@ -13,6 +12,7 @@', '@@ -26,5 +26,5 @@']);
    // Applying the hunks' +/space lines reproduces the new text around each change.
    expect(d).toContain(' l15\n+new\n l16\n');
  });
});

describe('applyEdits / selectFixes', () => {
  const fix = (start: number, end: number, replacement: string, safety: Fix['safety'] = 'safe'): { fix: Fix } => ({ fix: { description: '', safety, edits: [{ file: 'f', start, end, replacement }] } });

  it('applies edits by offsets into the original text, in any order', () => {
    expect(applyEdits('abcdef', [{ file: 'f', start: 4, end: 5, replacement: 'E' }, { file: 'f', start: 0, end: 1, replacement: 'AA' }, { file: 'f', start: 2, end: 2, replacement: '+' }])).toBe('AAb+cdEf');
  });

  it('refuses overlapping or out-of-range edits', () => {
    expect(() => applyEdits('abc', [{ file: 'f', start: 0, end: 2, replacement: '' }, { file: 'f', start: 1, end: 3, replacement: '' }])).toThrow(EditError);
    expect(() => applyEdits('abc', [{ file: 'f', start: 2, end: 5, replacement: '' }])).toThrow(EditError);
  });

  it('keeps the first of overlapping fixes, and of two insertions at one point', () => {
    const a = fix(0, 3, 'x');
    const b = fix(2, 4, 'y');
    const c = fix(4, 4, 'i');
    const d = fix(4, 4, 'j');
    const e = fix(3, 4, 'adjacent');
    const s = selectFixes([a, b, c, d, e]);
    expect(s.accepted).toEqual([a, c, e]);
    expect(s.conflicting).toEqual([b, d]);
  });

  it('identifies equal fixes by their edits', () => {
    expect(fixKey(fix(1, 2, 'a').fix)).toBe(fixKey({ ...fix(1, 2, 'a').fix, description: 'other' }));
    expect(fixKey(fix(1, 2, 'a').fix)).not.toBe(fixKey(fix(1, 2, 'b').fix));
  });
});
