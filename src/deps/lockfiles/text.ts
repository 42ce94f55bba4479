import { LockfileError } from '../model.js';

/** Offsets of line starts, for offset → line/column lookups by binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line of a 0-based offset. */
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.line(offset);
    return { line, column: offset - this.starts[line - 1]! + 1 };
  }

  error(message: string, offset: number): LockfileError {
    const p = this.position(offset);
    return new LockfileError(message, p.line, p.column);
  }
}

/** Lines without their terminators (`\r\n` or `\n`). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Text after a leading UTF-8 BOM, which editors on Windows add to JSON and XML files. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
