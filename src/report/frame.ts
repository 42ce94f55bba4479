import type { Location } from '../core/finding.js';
import { escapeControls } from './escape.js';

/** Long lines (minified YAML, base64 blobs) would flood the terminal; show a window instead. */
export const MAX_LINE_CHARS = 200;
export const MAX_FRAME_LINES = 5;
/** Context kept left of the start column when a long line is windowed. */
const LEFT_CONTEXT = 40;

export interface FrameStyle {
  gutter(text: string): string;
  marker(text: string): string;
}

const PLAIN: FrameStyle = { gutter: (t) => t, marker: (t) => t };

/** Splits once per file; \r is stripped only as part of CRLF so a lone CR stays visible. */
export function splitLines(source: string): string[] {
  return source.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/**
 * Gutter-numbered lines of `loc` with `^^^` under startColumn..endColumn of the first line.
 * Columns are 1-based UTF-16 offsets with an exclusive end (see Location). Returns [] when the
 * location is outside the file, e.g. a stale source.
 */
export function codeFrame(lines: readonly string[], loc: Location, style: FrameStyle = PLAIN): string[] {
  const first = loc.startLine;
  if (first < 1 || first > lines.length) return [];
  // An exclusive end at column 1 covers nothing of that line.
  let last = loc.endLine > first && loc.endColumn <= 1 ? loc.endLine - 1 : loc.endLine;
  last = Math.min(Math.max(last, first), lines.length);
  const shownLast = Math.min(last, first + MAX_FRAME_LINES - 1);
  const width = String(shownLast).length;
  const pad = ' '.repeat(width);
  const out: string[] = [];

  for (let n = first; n <= shownLast; n++) {
    const raw = lines[n - 1]!;
    const start = n === first ? loc.startColumn - 1 : 0;
    const view = windowOf(raw, n === first ? start : 0);
    const text = view.text;
    out.push(style.gutter(`  ${String(n).padStart(width)} |`) + (text ? ` ${text}` : ''));
    if (n === first) {
      const end = last === first ? loc.endColumn - 1 : raw.length;
      out.push(style.gutter(`  ${pad} |`) + ' ' + underline(raw, view, start, end, style));
    }
  }
  if (shownLast < last) {
    const more = last - shownLast;
    out.push(style.gutter(`  ${pad} |`) + ` ... ${more} more line${more === 1 ? '' : 's'}`);
  }
  return out;
}

interface LineView {
  text: string;
  /** UTF-16 offset of the first raw character shown. */
  from: number;
  /** Exclusive UTF-16 offset of the last raw character shown. */
  to: number;
  /** Display prefix before raw[from] (the ellipsis). */
  lead: string;
}

function windowOf(raw: string, focus: number): LineView {
  if (raw.length <= MAX_LINE_CHARS) return { text: escapeControls(raw), from: 0, to: raw.length, lead: '' };
  let from = Math.max(0, Math.min(focus - LEFT_CONTEXT, raw.length - MAX_LINE_CHARS));
  if (isLowSurrogate(raw, from)) from++; // never split an astral character
  let to = Math.min(raw.length, from + MAX_LINE_CHARS);
  if (isLowSurrogate(raw, to)) to++;
  const lead = from > 0 ? '…' : '';
  const tail = to < raw.length ? '…' : '';
  return { text: lead + escapeControls(raw.slice(from, to)) + tail, from, to, lead };
}

function underline(raw: string, view: LineView, start: number, end: number, style: FrameStyle): string {
  const s = clamp(start, view.from, view.to);
  const e = clamp(Math.max(end, start + 1), s, view.to);
  // Pad with the same display width as what is above, keeping tabs so alignment survives.
  const prefix = view.lead + escapeControls(raw.slice(view.from, s));
  const padding = Array.from(prefix, (c) => (c === '\t' ? '\t' : ' ')).join('');
  const covered = Array.from(escapeControls(raw.slice(s, e))).length;
  return padding + style.marker('^'.repeat(Math.max(1, covered)));
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

function isLowSurrogate(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}
