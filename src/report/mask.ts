/**
 * No report prints a secret. Renderers get their sources and strings through here:
 * - code frames: every secret the secrets engine finds in the file (also inside encoded blobs)
 *   and the location of every finding whose rule says its location is a credential
 *   (`RuleMeta.locationIsSecret`: the secrets scanner, the audits' hardcoded-credentials) is
 *   starred out, whichever finding's frame shows that line, suppressed findings included;
 * - messages, notes, property values, fix texts and diagnostics: anything the engine
 *   recognises in them is starred out too (rules mask what they quote; this catches the rest).
 * A source whose secrets cannot be found within the budget is not shown at all.
 */
import type { Diagnostic, Finding, Location } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import { redactSpans, secretSpansIn } from '../secrets/redact.js';

type Span = { start: number; end: number };

/** `sourceOf` with every secret span starred out (same length, so frames stay aligned). */
export function maskedSourceOf(sourceOf: (file: string) => string | undefined, findings: readonly Finding[], rules: readonly RuleMeta[]): (file: string) => string | undefined {
  const secretRules = new Set(rules.filter((r) => r.locationIsSecret === true).map((r) => r.id));
  const located = new Map<string, Location[]>();
  for (const f of findings) {
    if (!secretRules.has(f.ruleId) && !f.ruleId.startsWith('secrets/')) continue;
    const list = located.get(f.location.file);
    if (list) list.push(f.location);
    else located.set(f.location.file, [f.location]);
  }
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    const src = sourceOf(file);
    let masked: string | undefined;
    if (src !== undefined) {
      const found = secretSpansIn(src, file);
      masked = found === undefined ? undefined : redactSpans(src, [...found, ...spansOf(src, located.get(file) ?? [])]);
    }
    cache.set(file, masked);
    return masked;
  };
}

/** Offsets of 1-based line/column locations in `text` (exclusive end). */
function spansOf(text: string, locations: readonly Location[]): Span[] {
  if (locations.length === 0) return [];
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (line: number, column: number): number => {
    const base = starts[Math.min(Math.max(line, 1), starts.length) - 1]!;
    return Math.min(text.length, base + Math.max(column, 1) - 1);
  };
  return locations.map((l) => ({ start: offset(l.startLine, l.startColumn), end: offset(l.endLine, l.endColumn) })).filter((s) => s.end > s.start);
}

/**
 * The findings and diagnostics with every secret the engine finds in their texts starred out.
 * One engine pass over all the texts joined, so a report of thousands of findings costs one scan.
 */
export function maskReportTexts(findings: readonly Finding[], diagnostics: readonly Diagnostic[]): { findings: Finding[]; diagnostics: Diagnostic[] } {
  const texts: string[] = [];
  const slot = (s: string): number => texts.push(s) - 1;
  const plan = findings.map((f) => ({
    message: slot(f.message),
    related: f.related.map((r) => slot(r.message)),
    props: Object.entries(f.properties ?? {}).map(([k, v]) => [k, typeof v === 'string' ? slot(v) : v] as const),
    fix: f.fix ? { description: slot(f.fix.description), edits: f.fix.edits.map((e) => slot(e.replacement)) } : undefined,
  }));
  const diag = diagnostics.map((d) => slot(d.message));
  const masked = maskAll(texts);
  if (masked === texts) return { findings: [...findings], diagnostics: [...diagnostics] };
  const at = (i: number): string => masked[i]!;
  return {
    findings: findings.map((f, i) => {
      const p = plan[i]!;
      const out: Finding = { ...f, message: at(p.message), related: f.related.map((r, j) => ({ ...r, message: at(p.related[j]!) })) };
      if (f.properties) out.properties = Object.fromEntries(p.props.map(([k, v]) => [k, typeof v === 'number' && typeof f.properties![k] === 'string' ? at(v) : v]));
      if (f.fix && p.fix) out.fix = { ...f.fix, description: at(p.fix.description), edits: f.fix.edits.map((e, j) => ({ ...e, replacement: at(p.fix!.edits[j]!) })) };
      return out;
    }),
    diagnostics: diagnostics.map((d, i) => ({ ...d, message: at(diag[i]!) })),
  };
}

/** Texts are checked in groups of about this many characters, so a slow group costs only its own texts. */
const GROUP_CHARS = 1 << 20;

/** Masks each text; the same array back when nothing was found. A text that could not be checked in time is replaced whole. */
function maskAll(texts: string[]): string[] {
  let out: string[] | undefined;
  for (let first = 0; first < texts.length; ) {
    let last = first;
    let chars = 0;
    while (last < texts.length && (last === first || chars + texts[last]!.length < GROUP_CHARS)) chars += texts[last++]!.length + 1;
    const group = texts.slice(first, last);
    const spans = secretSpansIn(group.join('\n'));
    if (spans === undefined || spans.length > 0) {
      out ??= [...texts];
      const masked = maskGroup(group, spans);
      for (let i = 0; i < masked.length; i++) out[first + i] = masked[i]!;
    }
    first = last;
  }
  return out ?? texts;
}

/** Spans are offsets into the group joined with LF; both are in order, so one walk maps them. */
function maskGroup(group: string[], spans: Span[] | undefined): string[] {
  if (spans === undefined) return group.map((t) => (t.length === 0 ? t : '[not shown: could not be checked for secrets in time]'));
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let k = 0;
  let at = 0;
  return group.map((t) => {
    const from = at;
    const to = at + t.length;
    at = to + 1;
    while (k < sorted.length && sorted[k]!.end <= from) k++;
    const own: Span[] = [];
    for (let j = k; j < sorted.length && sorted[j]!.start < to; j++) {
      if (sorted[j]!.end > from) own.push({ start: Math.max(0, sorted[j]!.start - from), end: Math.min(t.length, sorted[j]!.end - from) });
    }
    return own.length === 0 ? t : redactSpans(t, own);
  });
}

/**
 * Two versions of one file (before and after `fix`) with every secret starred out in both, for
 * the `fix --dry-run` diff, whose context and changed lines would otherwise print them. Secrets
 * are what the engine finds in either text plus `secretLocations` (findings whose location is a
 * credential, e.g. hardcoded-credentials, located in `after`); every occurrence of each secret
 * value is starred out in both texts, so a line that moved is still masked. Undefined when the
 * texts could not be checked in time: the diff must not be shown.
 */
export function maskedPair(before: string, after: string, file: string, secretLocations: readonly Location[]): { before: string; after: string } | undefined {
  const inBefore = secretSpansIn(before, file);
  const inAfter = secretSpansIn(after, file);
  if (inBefore === undefined || inAfter === undefined) return undefined;
  const values = new Set<string>();
  for (const s of inBefore) values.add(before.slice(s.start, s.end));
  for (const s of [...inAfter, ...spansOf(after, secretLocations)]) values.add(after.slice(s.start, s.end));
  const mask = (text: string, own: Span[]): string => {
    const spans = [...own];
    for (const v of values) {
      // A value this short is no secret worth a mask, and starring it everywhere would garble the diff.
      if (v.length < 6) continue;
      for (let i = text.indexOf(v); i !== -1; i = text.indexOf(v, i + v.length)) spans.push({ start: i, end: i + v.length });
    }
    return redactSpans(text, spans);
  };
  return { before: mask(before, inBefore), after: mask(after, inAfter) };
}
