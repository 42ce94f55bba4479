import { LineIndex } from './text.js';

/**
 * JSON with positions. `JSON.parse` does the strict parsing (it is several times faster than any
 * parser written in JavaScript, and lockfiles run to megabytes); one extra pass over the text finds
 * where each object or array value starts, keyed by its path, so every package can be reported at
 * the line of its own entry.
 */
export interface JsonDocument {
  value: unknown;
  lines: LineIndex;
  /** Offset of the key (or, in arrays, of the value) of the container at `path`. */
  offsetOf(path: ReadonlyArray<string | number>): number | undefined;
}

export function parseJson(text: string, lines = new LineIndex(text)): JsonDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    throw lines.error(`invalid JSON: ${message.replace(/ in JSON at position \d+.*$/s, '').replace(/^Unexpected/, 'unexpected')}`, offset);
  }
  const offsets = containerOffsets(text);
  return { value, lines, offsetOf: (path) => offsets.get(path.join('\u0000')) };
}

/** Paths (segments joined by NUL) of every object and array value → offset of its key or first character. */
export function containerOffsets(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const prefixes: string[] = [];
  const isArray: boolean[] = [];
  const index: number[] = [];
  let key: string | undefined;
  let keyOffset = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      let j = i + 1;
      let escaped = false;
      for (;;) {
        j = text.indexOf('"', j);
        if (j === -1) return out; // JSON.parse has already accepted the text; cannot happen
        let k = j - 1;
        let slashes = 0;
        while (text.charCodeAt(k) === 92 /* \ */) {
          slashes++;
          k--;
        }
        if (slashes % 2 === 0) break;
        escaped = true;
        j++;
      }
      i = j;
      const depth = prefixes.length;
      if (depth > 0 && !isArray[depth - 1]) {
        let m = j + 1;
        while (m < n && isSpace(text.charCodeAt(m))) m++;
        if (text.charCodeAt(m) === 58 /* : */) {
          const raw = text.slice(start + 1, j);
          key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
          keyOffset = start;
          i = m;
        }
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const depth = prefixes.length;
      const parent = depth === 0 ? undefined : prefixes[depth - 1]!;
      let path: string;
      let at = i;
      if (depth === 0) path = '';
      else if (isArray[depth - 1]) path = (depth === 1 ? '' : `${parent}\u0000`) + String(index[depth - 1]);
      else {
        path = (depth === 1 ? '' : `${parent}\u0000`) + (key ?? '');
        at = keyOffset;
      }
      if (depth > 0) out.set(path, at);
      prefixes.push(path);
      isArray.push(c === 91);
      index.push(0);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      prefixes.pop();
      isArray.pop();
      index.pop();
    } else if (c === 44 /* , */) {
      const depth = prefixes.length;
      if (depth > 0 && isArray[depth - 1]) index[depth - 1]!++;
    }
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** A plain object (not an array or null), for shape checks. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
