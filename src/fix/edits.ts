import type { Fix, TextEdit } from '../core/finding.js';

/**
 * Applying fixes. Every edit is a replacement of [start, end) in the ORIGINAL text of one file;
 * a fix is atomic (all of its edits or none). Two fixes conflict when any of their edits overlap
 * or insert at the same offset (the order of two insertions at one point would be a guess).
 */

export class EditError extends Error {}

/** Applies non-overlapping edits of one file (any order) to its original text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length || e.start < 0) {
      throw new EditError(`edit [${e.start}, ${e.end}) overlaps another edit or lies outside the text (length ${text.length})`);
    }
    out += text.slice(at, e.start) + e.replacement;
    at = e.end;
  }
  return out + text.slice(at);
}

export function editsConflict(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  if (a.start === b.start) return true;
  return a.start < b.end && b.start < a.end;
}

export function fixesConflict(a: Fix, b: Fix): boolean {
  return a.edits.some((x) => b.edits.some((y) => editsConflict(x, y)));
}

/** Identity of a fix by its edits: findings that offer the same change share one fix. */
export function fixKey(fix: Fix): string {
  return JSON.stringify([...fix.edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || a.end - b.end)).map((e) => [e.file, e.start, e.end, e.replacement]));
}

export interface Selection<T> {
  accepted: T[];
  /** Fixes left out because they overlap an accepted one (they are retried on the next pass). */
  conflicting: T[];
}

/**
 * Picks a set of mutually compatible fixes: in the given order (callers sort by position, so
 * the result is deterministic), a fix is accepted when it conflicts with none accepted so far.
 */
export function selectFixes<T extends { fix: Fix }>(candidates: readonly T[]): Selection<T> {
  const accepted: T[] = [];
  const conflicting: T[] = [];
  for (const c of candidates) {
    if (accepted.some((a) => fixesConflict(a.fix, c.fix))) conflicting.push(c);
    else accepted.push(c);
  }
  return { accepted, conflicting };
}
