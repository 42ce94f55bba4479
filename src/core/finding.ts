/** The one shape every scanner produces and every renderer consumes. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/**
 * 1-based lines and columns; end is inclusive of the last character's column + 1 (exclusive end).
 * Line 0 means the whole resource (an organisation or repository checked through an API, whose
 * `file` is then its URL): renderers print no line or column for it.
 */
export interface Location {
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface RelatedLocation extends Location {
  message: string;
}

/** A text replacement on one file, by character offsets into the original text. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  replacement: string;
}

/** One step of a data flow (source, each step, sink): rendered as SARIF codeFlows. */
export interface FlowStep extends Location {
  message: string;
}

/**
 * What a fix means to change, in the parsed document: the node that starts at offset `at` of the
 * original text, or with `key`, that key of the mapping starting there (added, replaced or
 * removed); and, when given, the value it must hold afterwards. The fix engine refuses a fix
 * whose result differs anywhere else.
 */
export interface FixIntent {
  at: number;
  key?: string;
  value?: unknown;
}

export interface Fix {
  description: string;
  /** Safe fixes are applied by `fix`; unsafe ones need `--unsafe`. */
  safety: 'safe' | 'unsafe';
  edits: TextEdit[];
  /** Every change the edits make to the document's model (not rendered in reports). */
  intents?: FixIntent[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  message: string;
  location: Location;
  related: RelatedLocation[];
  owasp: string[];
  cwe: string[];
  /** Stable across line moves: rule + file + a normalized route, never a line number. */
  fingerprint: string;
  fix?: Fix;
  /** Scanner-specific facts (commit, author, masked secret...) that renderers may print. */
  properties?: Record<string, string | number | boolean>;
  /** Data-flow paths that explain the finding, each from source to sink (taint analysis, imported SARIF). */
  codeFlows?: FlowStep[][];
  /**
   * The same problem (same rule and route, so the same fingerprint) found more than once, e.g. one
   * `run:` expanding `${{ github.head_ref }}` 500 times: reported once, at the first place, with
   * the count. `listed` of the other places are in `related` (capped: see MAX_LISTED_OCCURRENCES).
   */
  occurrences?: { count: number; listed: number };
}

/** How many further occurrences of a merged finding are listed in `related`. */
export const MAX_LISTED_OCCURRENCES = 100;

/** A location that is a whole resource rather than a position in a file (see Location). */
export function hasRegion(loc: Location): boolean {
  return loc.startLine > 0;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s); // critical=5 ... info=1
}

export function confidenceRank(c: Confidence): number {
  return CONFIDENCES.length - CONFIDENCES.indexOf(c); // high=3 ... low=1
}

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

export function isConfidence(v: unknown): v is Confidence {
  return typeof v === 'string' && (CONFIDENCES as readonly string[]).includes(v);
}

/** Deterministic output order: file, line, column, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.location.file, b.location.file) ||
    a.location.startLine - b.location.startLine ||
    a.location.startColumn - b.location.startColumn ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A problem with the input or the run that is not a security finding (unreadable file,
 * skipped binary, expired ignore). Printed to stderr in text mode and carried in JSON/SARIF.
 */
export interface Diagnostic {
  level: 'error' | 'warning' | 'note';
  file?: string;
  line?: number;
  column?: number;
  message: string;
  /**
   * Stable id for machines (`scan-timeout`, `unreadable-object`, `history-truncated`).
   * `internal-error`: a bug in pipewarden stopped part of the analysis; the run exits 3.
   */
  code?: string;
  /** Part of the input could not be checked: the gate fails (exit 1) even without findings. */
  failsGate?: boolean;
}
