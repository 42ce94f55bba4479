/**
 * Splits an input file into JSON records with their line numbers and exact bytes: JSON lines
 * (one object per line) or a JSON array (the audit-log export). The array is split lexically at
 * top-level commas, so one malformed element is reported at its line and the rest still parse,
 * and each record keeps the bytes it had in the file (stored raw, hashed).
 */
import type { Diagnostic } from '../../core/finding.js';
import { jsonErrorOffset } from './json-error.js';

export interface RawRecord {
  /** 1-based line where the record starts. */
  line: number;
  raw: Buffer;
  value: unknown;
}

export interface RecordsResult {
  records: RawRecord[];
  diagnostics: Diagnostic[];
  form: 'jsonl' | 'array' | 'empty';
}

/** GitHub caps a webhook payload at 25 MB; a record larger than that is not one we expect. */
export const MAX_RECORD_BYTES = 25 * 1024 * 1024;
/** Malformed lines beyond this many get one summary diagnostic (a wrong file, not a few bad lines). */
const MAX_REPORTED = 50;

export function splitRecords(buf: Buffer, file: string): RecordsResult {
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1); // keep offsets, drop the BOM
  const first = text.search(/\S/);
  if (first === -1) return { records: [], diagnostics: [], form: 'empty' };
  const diagnostics: Diagnostic[] = [];
  const report = makeReporter(file, diagnostics);
  const records = text[first] === '[' ? splitArray(text, first, report) : splitLines(text, report);
  report.flush();
  return { records, diagnostics, form: text[first] === '[' ? 'array' : 'jsonl' };
}

interface Reporter {
  bad(line: number, message: string, column?: number): void;
  flush(): void;
}

function makeReporter(file: string, diagnostics: Diagnostic[]): Reporter {
  let count = 0;
  return {
    bad(line, message, column) {
      count++;
      if (count <= MAX_REPORTED) diagnostics.push({ level: 'error', file, line, ...(column !== undefined && { column }), message });
    },
    flush() {
      if (count > MAX_REPORTED) diagnostics.push({ level: 'error', file, message: `${count - MAX_REPORTED} more malformed records not listed (${count} in all)` });
    },
  };
}

/** `column`: where `raw` starts on its first line (array elements are indented). */
function parse(raw: string, line: number, report: Reporter, column = 1): unknown {
  if (Buffer.byteLength(raw) > MAX_RECORD_BYTES) {
    report.bad(line, `record is over ${MAX_RECORD_BYTES / 1024 / 1024} MB; skipped`);
    return undefined;
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    // Point at the character V8 stopped at: line and column in the file, not an offset.
    const pos = jsonErrorOffset(raw);
    if (pos >= 0) {
      const before = raw.slice(0, pos);
      const lineStart = before.lastIndexOf('\n') + 1;
      report.bad(line + (before.match(/\n/g)?.length ?? 0), `malformed JSON: ${shortJsonError(e)}; record skipped`, pos - lineStart + (lineStart === 0 ? column : 1));
    } else report.bad(line, `malformed JSON: ${shortJsonError(e)}; record skipped`);
    return undefined;
  }
}

function shortJsonError(e: unknown): string {
  // V8 quotes the input in some messages; keep only the reason so no payload text is echoed.
  const m = (e as Error).message.replace(/^JSON\.parse: /, '');
  // V8 also quotes a shortened excerpt (`Unexpected token '}', ..."1,2],\n"... is not valid JSON`).
  const cut = m.search(/, (?:\.\.\.)?"|: "|\(line \d+| at position \d+/);
  // One line, whatever the message holds (a diagnostic is printed as one line).
  return (cut > 0 ? m.slice(0, cut) : m).slice(0, 120).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

function splitLines(text: string, report: Reporter): RawRecord[] {
  const out: RawRecord[] = [];
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.slice(start, end).replace(/\r$/, '');
    if (raw.trim() !== '') {
      const value = parse(raw, line, report);
      if (value !== undefined) {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) report.bad(line, 'not a JSON object; record skipped');
        else out.push({ line, raw: Buffer.from(raw), value });
      }
    }
    start = end + 1;
  }
  return out;
}

function splitArray(text: string, open: number, report: Reporter): RawRecord[] {
  const out: RawRecord[] = [];
  let line = 1;
  for (let i = 0; i < open; i++) if (text.charCodeAt(i) === 10) line++;
  let depth = 0;
  let inString = false;
  let elementStart = -1;
  let elementLine = line;
  let closed = false;
  const finish = (end: number): void => {
    if (elementStart === -1) return;
    const raw = text.slice(elementStart, end).trim();
    if (raw !== '') {
      const value = parse(raw, elementLine, report, elementStart - text.lastIndexOf('\n', elementStart - 1));
      if (value !== undefined) {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) report.bad(elementLine, 'array element is not a JSON object; skipped');
        else out.push({ line: elementLine, raw: Buffer.from(raw), value });
      }
    }
    elementStart = -1;
  };
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character (never a newline in valid JSON)
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    if (depth === 1 && elementStart === -1 && c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 44 && c !== 93) {
      elementStart = i;
      elementLine = line;
    }
    if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) {
      depth--;
      if (depth === 0) {
        finish(i);
        closed = true;
        const rest = text.slice(i + 1).trim();
        if (rest !== '') report.bad(line, 'text after the end of the JSON array; ignored');
        break;
      }
    } else if (c === 44 && depth === 1) finish(i);
  }
  if (!closed) {
    if (elementStart !== -1) report.bad(elementLine, 'unterminated record at the end of the file (truncated export?); skipped');
    else report.bad(line, 'the JSON array is not closed (truncated export?)');
  }
  return out;
}
