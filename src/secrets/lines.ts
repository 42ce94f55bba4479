/**
 * Splits a byte stream (`--stdin`) on LF only. readline also breaks on a lone CR, which would
 * shift every line number after it relative to the log a person reads.
 * Lines are handed out synchronously, in batches per chunk, so a big stream costs no per-line promise.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private truncated = false;

  /** `maxLine`: longer lines are cut to this many bytes (the rest is dropped, the line still counts). */
  constructor(private readonly maxLine: number) {}

  push(chunk: Buffer, onLine: (line: string, truncated: boolean) => void): void {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
      if (this.pendingBytes === 0 && !this.truncated) {
        // Fast path: decode the run of complete lines up to the last LF in one go.
        const last = chunk.lastIndexOf(10);
        for (const l of chunk.toString('utf8', from, last).split('\n')) {
          if (l.length > this.maxLine) onLine(l.slice(0, this.maxLine), true);
          else onLine(l, false);
        }
        from = last + 1;
        break;
      }
      this.append(chunk.subarray(from, nl));
      this.emit(onLine);
      from = nl + 1;
    }
    if (from < chunk.length) this.append(chunk.subarray(from));
  }

  /** Emits the last line if the stream did not end with LF. */
  end(onLine: (line: string, truncated: boolean) => void): void {
    if (this.pendingBytes > 0 || this.truncated) this.emit(onLine);
  }

  private append(part: Buffer): void {
    const room = this.maxLine - this.pendingBytes;
    if (room <= 0) {
      if (part.length > 0) this.truncated = true;
      return;
    }
    const kept = part.length > room ? part.subarray(0, room) : part;
    if (part.length > room) this.truncated = true;
    // Copy: the stream may reuse its chunk buffer.
    this.pending.push(Buffer.from(kept));
    this.pendingBytes += kept.length;
  }

  private emit(onLine: (line: string, truncated: boolean) => void): void {
    const line = Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    const truncated = this.truncated;
    this.pending = [];
    this.pendingBytes = 0;
    this.truncated = false;
    onLine(line, truncated);
  }
}
