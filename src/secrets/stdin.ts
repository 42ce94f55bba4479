/** `--stdin`: a CI log or any text, read as a stream and scanned in blocks of lines. */
import type { Readable } from 'node:stream';
import { cleanLogLine } from './logclean.js';
import { LineSplitter } from './lines.js';

export interface TextBlock {
  text: string;
  /** 1-based input line number of the block's first line. */
  firstLine: number;
}

/** Reads `input`, cleans each line, and calls `onBlock` with blocks of about `blockChars` characters. */
export async function readLogBlocks(
  input: Readable,
  opts: { maxLine: number; onBlock: (b: TextBlock) => Promise<void> | void; onProgress?: (bytes: number) => void; blockChars?: number },
): Promise<{ bytes: number; lines: number }> {
  const blockChars = opts.blockChars ?? 4 << 20;
  const splitter = new LineSplitter(opts.maxLine);
  let buf: string[] = [];
  let chars = 0;
  let lineNo = 0;
  let first = 1;
  let bytes = 0;
  // Blocks are handed out between chunks, where awaiting onBlock pauses the input (backpressure).
  const ready: TextBlock[] = [];
  const flush = (): void => {
    if (buf.length > 0) ready.push({ text: buf.join('\n'), firstLine: first });
    buf = [];
    chars = 0;
    first = lineNo + 1;
  };
  const onLine = (l: string): void => {
    lineNo++;
    const c = cleanLogLine(l);
    buf.push(c);
    chars += c.length + 1;
    if (chars >= blockChars) flush();
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += b.length;
    splitter.push(b, onLine);
    for (const block of ready.splice(0)) await opts.onBlock(block);
    opts.onProgress?.(bytes);
  }
  splitter.end(onLine);
  flush();
  for (const block of ready.splice(0)) await opts.onBlock(block);
  return { bytes, lines: lineNo };
}
