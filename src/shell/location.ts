import type { Scalar } from 'yaml';
import type { Location } from '../core/finding.js';
import { locationOf, nodeLocation, type SourceText } from '../yaml/load.js';

/* ------------------------------------------------------------------------------------------ */
/* Locations inside run: scripts                                                                */
/* ------------------------------------------------------------------------------------------ */

/**
 * File location of the line holding `offset` in a scalar's parsed value. Exact for literal block
 * scalars (`run: |`) and single-line plain or quoted scalars; other styles fall back to the scalar.
 */
export function scriptLocation(source: SourceText, scalar: Scalar, offset: number | undefined): Location {
  const value = scalar.value;
  if (offset === undefined || typeof value !== 'string' || !scalar.range) return nodeLocation(source, scalar);
  const [start, end] = scalar.range;
  const lineIdx = value.slice(0, offset).split('\n').length - 1;
  const lineStart = value.lastIndexOf('\n', offset - 1) + 1;
  const lineEndRaw = value.indexOf('\n', offset);
  const valueLine = value.slice(lineStart, lineEndRaw === -1 ? undefined : lineEndRaw);
  const col = offset - lineStart;
  const len = Math.max(1, valueLine.trimEnd().length - col);
  if (scalar.type === 'BLOCK_LITERAL') {
    const raw = source.text.slice(start, end);
    const rawLines = raw.split('\n');
    const content = rawLines.slice(1);
    const indent = Math.min(...content.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
    let pos = start + rawLines[0]!.length + 1;
    for (let k = 0; k < lineIdx && k < content.length; k++) pos += content[k]!.length + 1;
    const s = pos + (Number.isFinite(indent) ? indent : 0) + col;
    return locationOf(source, s, s + len);
  }
  if (!value.includes('\n') && (scalar.type === 'PLAIN' || scalar.type === 'QUOTE_SINGLE' || scalar.type === 'QUOTE_DOUBLE')) {
    const raw = source.text.slice(start, end);
    if (raw.includes('\n')) return nodeLocation(source, scalar);
    const s = start + rawOffset(raw, scalar.type, col);
    const e = start + rawOffset(raw, scalar.type, col + len);
    return locationOf(source, s, Math.max(s + 1, e));
  }
  return nodeLocation(source, scalar);
}

/** Offset in a one-line scalar's source of the value character at `valueOffset` (undoing quote escapes). */
function rawOffset(raw: string, type: Scalar['type'], valueOffset: number): number {
  if (type === 'PLAIN') return valueOffset;
  let i = 1;
  for (let v = 0; v < valueOffset && i < raw.length; v++) {
    if (type === 'QUOTE_SINGLE') i += raw[i] === "'" && raw[i + 1] === "'" ? 2 : 1;
    else if (raw[i] === '\\') {
      const kind = raw[i + 1];
      i += kind === 'x' ? 4 : kind === 'u' ? 6 : kind === 'U' ? 10 : 2;
    } else i++;
  }
  return i;
}
