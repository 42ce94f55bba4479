/**
 * Text reports show code frames from `sourceOf(file)`; for secrets that frame would print the
 * secret. This returns the file text with every finding's span starred out (same length, line
 * breaks kept) so frames stay aligned and show nothing usable.
 */
export function redactSpans(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const { start, end } of sorted) {
    const s = Math.max(start, at);
    if (end <= s) continue;
    out += text.slice(at, s);
    const span = text.slice(s, end);
    // Keep a short prefix (like maskSecret) only when the span is long enough to stay unguessable.
    const keep = s === start && span.length >= 16 ? Math.min(4, span.indexOf('\n') === -1 ? 4 : span.indexOf('\n')) : 0;
    out += span.slice(0, keep) + span.slice(keep).replace(/[^\r\n]/g, '*');
    at = end;
  }
  return out + text.slice(at);
}
