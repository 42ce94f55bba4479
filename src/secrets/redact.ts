import { Deadline, ScanTimeout } from './budget.js';
import { DETECTORS } from './detectors/index.js';
import { findSecrets, type EngineOptions } from './engine.js';

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

/** Built-in detectors, no allow list: for masking, a false positive only hides a little text. */
let maskEngine: EngineOptions | undefined;

/** Budget for finding the secrets in one text to mask, plus MASK_BUDGET_MS_PER_MB; past it the caller shows nothing. */
export const MASK_BUDGET_MS = 2000;
const MASK_BUDGET_MS_PER_MB = 1000;

/**
 * Spans of every secret the engine recognises in `text` (provider tokens, container secrets
 * such as `.env` values when `file` names one, and secrets inside base64, hex, percent-encoded
 * and JSON-escaped blobs, whose whole blob is the span). Undefined when the budget ran out: the
 * text cannot be shown safely.
 */
export function secretSpansIn(text: string, file = ''): Array<{ start: number; end: number }> | undefined {
  maskEngine ??= { detectors: DETECTORS, allow: [] };
  try {
    const budget = MASK_BUDGET_MS + (text.length / (1 << 20)) * MASK_BUDGET_MS_PER_MB;
    return findSecrets(text, file, maskEngine, Deadline.after(budget)).map((h) => ({ start: h.start, end: h.end }));
  } catch (e) {
    if (e instanceof ScanTimeout) return undefined;
    throw e;
  }
}
