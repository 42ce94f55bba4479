import { isMap, isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { TextEdit } from '../core/finding.js';
import type { SourceText } from '../yaml/load.js';

/**
 * Building blocks for fixes that edit YAML as text: they compute insertions and replacements by
 * offsets into the original file, so comments, key order, quoting and indentation stay as the
 * author wrote them. Nothing here re-serialises a document.
 */

/** The file's line break (`\r\n` when it uses any, else `\n`). */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** True when only spaces precede `offset` on its line (not `- key:` or `{ key:`). */
export function startsLine(text: string, offset: number): boolean {
  return /^ *$/.test(text.slice(lineStartOf(text, offset), offset));
}

/**
 * Where new lines go after the content ending at `end`: the start of the next line. When the
 * file ends without a newline there, `prefix` is the line break to insert first.
 */
export function afterLine(text: string, end: number): { at: number; prefix: string } {
  if (end > 0 && text[end - 1] === '\n') return { at: end, prefix: '' };
  const nl = text.indexOf('\n', end);
  if (nl === -1) return { at: text.length, prefix: eolOf(text) };
  return { at: nl + 1, prefix: '' };
}

/**
 * The file's indentation step: the most common increase of indentation from a line ending in
 * `:` to the line after it (2 when nothing tells).
 */
export function indentUnit(text: string): number {
  // Every fix of a file asks, and rules interleave files (one repository's workflows in turn):
  // remembered per text, for the files of about one repository at a time.
  const known = indentUnits.get(text);
  if (known !== undefined) return known;
  const unit = computeIndentUnit(text);
  if (indentUnits.size >= 256) indentUnits.clear();
  indentUnits.set(text, unit);
  return unit;
}

const indentUnits = new Map<string, number>();

function computeIndentUnit(text: string): number {
  const counts = new Map<number, number>();
  const lines = text.split(/\r?\n/);
  let prev: { indent: number; opens: boolean } | undefined;
  for (const line of lines) {
    if (/^\s*(#|$)/.test(line)) continue;
    const indent = /^ */.exec(line)![0].length;
    if (prev?.opens && indent > prev.indent) {
      const d = indent - prev.indent;
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    prev = { indent, opens: /:\s*(#.*)?$/.test(line) && !/^\s*-\s*[^:]*$/.test(line) };
  }
  let best = 2;
  let bestCount = 0;
  for (const [d, c] of counts) if (d <= 8 && (c > bestCount || (c === bestCount && d < best))) [best, bestCount] = [d, c];
  return best;
}

/** Offset just after the last value of a block mapping (before trailing comments and blank lines). */
export function mapContentEnd(map: YAMLMap): number | undefined {
  const last = map.items[map.items.length - 1] as Pair<Node | null, Node | null> | undefined;
  if (!last) return undefined;
  const v = last.value;
  const end = v && 'range' in v && v.range ? v.range[1] : (last.key as Node | null)?.range?.[1];
  return end ?? undefined;
}

/** Column of a block mapping's keys (its first key). */
export function keyColumn(text: string, map: YAMLMap): number | undefined {
  const first = map.items[0]?.key as Node | undefined;
  const at = first?.range?.[0];
  return at === undefined ? undefined : columnOf(text, at);
}

export function findPair(map: YAMLMap, key: string): Pair<Scalar, Node | null> | undefined {
  for (const p of map.items) {
    if (isScalar(p.key) && String(p.key.value) === key) return p as Pair<Scalar, Node | null>;
  }
  return undefined;
}

/**
 * YAML text for a scalar value on one line: plain when that round-trips, else single-quoted.
 * `${{ x }}` stays plain unless the expression holds `: `, ` #` or similar.
 */
export function yamlScalar(value: string): string {
  const plainOk =
    value !== '' &&
    !/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(value) &&
    !/\s$/.test(value) &&
    !/: |:$| #|[\n\r\t]/.test(value) &&
    !/^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|0x[\da-f]+|0o[0-7]+|\.inf|\.nan)$/i.test(value);
  if (plainOk) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

export interface EntryText {
  key: string;
  /** Already YAML text (use yamlScalar for strings). */
  value: string;
}

/**
 * Adds `entries` under `key` of a block mapping: appended to an existing block mapping value,
 * or a new `key:` block. A new block goes before `before` (when that key starts its own line),
 * else after the mapping's last entry. Undefined when the shape cannot be edited safely (flow
 * mappings, `key:` with a scalar or empty value).
 */
export function addEntries(source: SourceText, map: YAMLMap, key: string, entries: EntryText[], before?: string): TextEdit | undefined {
  const text = source.text;
  const eol = eolOf(text);
  if (map.flow || entries.length === 0) return undefined;
  const col = keyColumn(text, map);
  if (col === undefined) return undefined;
  const unit = indentUnit(text);
  const existing = findPair(map, key);
  if (existing) {
    const value = existing.value;
    if (!isMap(value) || value.flow || value.items.length === 0) return undefined;
    const childCol = keyColumn(text, value);
    const end = mapContentEnd(value);
    if (childCol === undefined || end === undefined) return undefined;
    const { at, prefix } = afterLine(text, end);
    const lines = entries.map((e) => `${' '.repeat(childCol)}${e.key}: ${e.value}${eol}`).join('');
    return { file: source.path, start: at, end: at, replacement: prefix + lines };
  }
  const block = `${' '.repeat(col)}${key}:${eol}${entries.map((e) => `${' '.repeat(col + unit)}${e.key}: ${e.value}${eol}`).join('')}`;
  const anchor = before ? findPair(map, before) : undefined;
  const anchorAt = anchor?.key.range?.[0];
  if (anchorAt !== undefined && startsLine(text, anchorAt)) {
    const at = lineStartOf(text, anchorAt);
    return { file: source.path, start: at, end: at, replacement: block };
  }
  const end = mapContentEnd(map);
  if (end === undefined) return undefined;
  const { at, prefix } = afterLine(text, end);
  return { file: source.path, start: at, end: at, replacement: prefix + block };
}

/** Offset just after the `:` of a mapping entry (searched from the end of its key), if it can be found. */
export function colonAfterKey(text: string, pair: Pair<Node | null, Node | null>): number | undefined {
  const keyEnd = (pair.key as Node | null)?.range?.[1];
  if (keyEnd === undefined) return undefined;
  let i = keyEnd;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text[i] === ':' ? i + 1 : undefined;
}

/**
 * Replaces the value of a mapping entry with `replacement` (one-line YAML text), through the
 * value node's range:
 * - a non-empty flow scalar (`true`, `'true'`, `"x"`): over exactly its range;
 * - no value (`key:`, `key: # note`): ` replacement` inserted right after the `:`, so the
 *   comment stays a comment (`key: replacement # note`);
 * - anything else (a block or flow collection, a block scalar): from the `:` to the end of the
 *   value's content, never past its last line break.
 * Undefined when the entry's shape is not known.
 */
export function replaceValue(source: SourceText, pair: Pair<Node | null, Node | null>, replacement: string): TextEdit | undefined {
  const text = source.text;
  const v = pair.value;
  const flowScalar = isScalar(v) && v.type !== 'BLOCK_LITERAL' && v.type !== 'BLOCK_FOLDED';
  if (flowScalar && v.range && v.range[1] > v.range[0]) {
    return { file: source.path, start: v.range[0], end: v.range[1], replacement };
  }
  const colon = colonAfterKey(text, pair);
  if (colon === undefined) return undefined;
  if (v === null || (isScalar(v) && (v.value === null || v.value === undefined) && (!v.range || v.range[1] === v.range[0]))) {
    return { file: source.path, start: colon, end: colon, replacement: ` ${replacement}` };
  }
  let end = v.range?.[1];
  if (end === undefined || end <= colon) return undefined;
  while (end > colon && /[\r\n]/.test(text[end - 1]!)) end--;
  return { file: source.path, start: colon, end, replacement: ` ${replacement}` };
}
