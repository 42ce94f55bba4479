/**
 * Diff and log sources have no whole file to show: these keep, per finding, the redacted lines
 * around it, so code frames and `pipewarden:allow` comments work for history, staged changes and
 * logs too, and map block offsets back to source lines.
 */
import { LineIndex } from './positions.js';
import { redactSpans } from './redact.js';
import type { SecretFinding } from './scan.js';

/** A finding from a diff or log block, with the redacted source lines around it. */
export interface Sighting {
  found: SecretFinding;
  file: string;
  lines: Array<[number, string]>;
  /** Commit time (ms), for picking the oldest sighting. */
  when: number;
}

/** Redacted lines of each finding (and the line before it, for ignore comments), by source line. */
export function contextLines(text: string, found: SecretFinding[], lineOfIndex: (i: number) => number): Array<[number, string]> {
  const lines = redactSpans(text, found).split('\n');
  const index = new LineIndex(text);
  const out: Array<[number, string]> = [];
  for (const f of found) {
    const first = index.at(f.start).line - 1;
    const last = index.at(f.end).line - 1;
    for (let j = Math.max(0, first - 1); j <= last; j++) out.push([lineOfIndex(j), lines[j]!]);
  }
  return out;
}

/** Maps an offset in a block of joined lines to (source line, column). */
export function lineMapper(text: string, lineOfIndex: (i: number) => number): (offset: number) => { line: number; column: number } {
  const index = new LineIndex(text);
  return (offset) => {
    const p = index.at(offset);
    return { line: lineOfIndex(p.line - 1), column: p.column };
  };
}

/** Lines of a file known only in part; the rest reads as empty lines. */
export class SparseSource {
  private readonly lines = new Map<number, string>();

  set(line: number, text: string): void {
    this.lines.set(line, text);
  }

  text(): string {
    let max = 0;
    for (const n of this.lines.keys()) if (n > max) max = n;
    const out: string[] = new Array<string>(max).fill('');
    for (const [n, t] of this.lines) out[n - 1] = t;
    return out.join('\n');
  }
}
