import { matchGlob, matchRuleId, normalizePath, parseIgnorePath } from '../config/glob.js';
import { positionOf } from '../config/positions.js';
import type { IgnoreEntry, PipewardenConfig } from '../config/types.js';
import {
  compareFindings,
  confidenceRank,
  severityRank,
  type Confidence,
  type Diagnostic,
  type Finding,
  type Severity,
} from './finding.js';

export type SuppressionReason = 'config-ignore' | 'inline-ignore' | 'baseline' | 'disabled' | 'below-threshold';

export interface PolicyOptions {
  config: PipewardenConfig;
  /** Fingerprints of accepted findings (see baseline.ts). */
  baseline?: Set<string>;
  minSeverity?: Severity;
  minConfidence?: Confidence;
  /** Text of a scanned file, to read inline ignore comments; undefined when unavailable. */
  sourceOf(file: string): string | undefined;
  /** YYYY-MM-DD (UTC) used for `expires`; injectable for tests. */
  today?: string;
}

export interface PolicyResult {
  kept: Finding[];
  suppressed: Array<{ finding: Finding; reason: SuppressionReason }>;
  diagnostics: Diagnostic[];
}

/**
 * Decides which findings are reported. Steps, in order: disabled rules, severity overrides,
 * inline ignores, config ignores, baseline, thresholds. A finding is suppressed by the first
 * step that matches. Input findings are not mutated; both outputs are in report order.
 */
export function applyPolicy(findings: Finding[], opts: PolicyOptions): PolicyResult {
  const { config } = opts;
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const diagnostics: Diagnostic[] = [];
  const activeIgnores = config.ignore.filter((entry, i) => {
    if (entry.expires === undefined || entry.expires >= today) return true;
    diagnostics.push(expiredDiagnostic(config, entry, i));
    return false;
  }).map(ignoreMatcher);
  const inline = new InlineIgnores(opts.sourceOf, config['inline-ignores']?.zizmor !== false);
  const kept: Finding[] = [];
  const suppressed: PolicyResult['suppressed'] = [];

  for (const original of findings) {
    // Own keys only: a rule id must never resolve to an Object.prototype member.
    const settings = Object.hasOwn(config.rules, original.ruleId) ? config.rules[original.ruleId] : undefined;
    if (settings?.enabled === false) {
      suppressed.push({ finding: original, reason: 'disabled' });
      continue;
    }
    const f = settings?.severity && settings.severity !== original.severity ? { ...original, severity: settings.severity } : original;
    const reason: SuppressionReason | undefined = inline.suppresses(f)
      ? 'inline-ignore'
      : activeIgnores.some((match) => match(f))
        ? 'config-ignore'
        : opts.baseline?.has(f.fingerprint)
          ? 'baseline'
          : belowThreshold(f, opts)
            ? 'below-threshold'
            : undefined;
    if (reason) suppressed.push({ finding: f, reason });
    else kept.push(f);
  }

  kept.sort(compareFindings);
  suppressed.sort((a, b) => compareFindings(a.finding, b.finding));
  return { kept, suppressed, diagnostics: [...diagnostics, ...inline.diagnostics()] };
}

/** 1 when any finding is at or above `failOn`; `never` always passes. */
export function exitCodeFor(findings: Finding[], failOn: Severity | 'never'): 0 | 1 {
  if (failOn === 'never') return 0;
  const bar = severityRank(failOn);
  return findings.some((f) => severityRank(f.severity) >= bar) ? 1 : 0;
}

function belowThreshold(f: Finding, opts: PolicyOptions): boolean {
  if (opts.minSeverity && severityRank(f.severity) < severityRank(opts.minSeverity)) return true;
  return !!opts.minConfidence && confidenceRank(f.confidence) < confidenceRank(opts.minConfidence);
}

/** Whether a config `ignore` entry covers a finding (expiry aside). */
export function ignoreMatcher(entry: IgnoreEntry): (f: Finding) => boolean {
  const { glob, line } = parseIgnorePath(entry.path);
  return (f) =>
    matchRuleId(entry.rule, f.ruleId) &&
    (line === undefined || line === f.location.startLine) &&
    matchGlob(glob, normalizePath(f.location.file));
}

function expiredDiagnostic(config: PipewardenConfig, entry: IgnoreEntry, index: number): Diagnostic {
  const pos = positionOf(config, ['ignore', index]);
  return {
    level: 'warning',
    ...(config.source !== undefined && { file: config.source }),
    ...(pos && { line: pos.line, column: pos.column }),
    message:
      `ignore entry ${index + 1} (rule \`${entry.rule}\`, path \`${entry.path}\`) expired on ${entry.expires} ` +
      'and no longer applies; fix the findings or extend `expires`',
  };
}

// ---- inline comments ----

const COMMENT = String.raw`(?:#|\/\/|\/\*|<!--|--)`;
/** `# pipewarden: ignore[rule-a, rule-b] reason`, after code on the same line. */
const IGNORE_SAME_LINE = new RegExp(String.raw`${COMMENT}\s*pipewarden:\s*ignore\[([^\]]*)\](.*)$`);
/** The same, alone on the line above the finding. */
const IGNORE_LINE_ABOVE = new RegExp(String.raw`^\s*${COMMENT}\s*pipewarden:\s*ignore\[([^\]]*)\](.*)$`);
/** Secrets scanners' marker (gitleaks style); any comment syntax, so it works in any file type. */
const ALLOW = /pipewarden:\s*allow\b/;

interface Directive {
  ids: string[];
  reason: string;
  line: number;
}

class InlineIgnores {
  private readonly lines = new Map<string, string[] | undefined>();
  private readonly notes = new Map<string, Diagnostic>();

  constructor(
    private readonly sourceOf: (file: string) => string | undefined,
    private readonly zizmor = true,
  ) {}

  suppresses(f: Finding): boolean {
    const lines = this.linesOf(f.location.file);
    const n = f.location.startLine;
    const here = lines?.[n - 1];
    if (here === undefined) return false;
    if (isSecretRule(f.ruleId) && ALLOW.test(here)) return true;
    if (this.zizmor && zizmorIgnores(lines!, f)) return true;
    const candidates = [parse(IGNORE_SAME_LINE, here, n), parse(IGNORE_LINE_ABOVE, lines![n - 2], n - 1)];
    const hit = candidates.find((d) => d && d.ids.some((id) => matchRuleId(id, f.ruleId)));
    if (!hit) return false;
    if (!hit.reason) this.noteMissingReason(f.location.file, hit);
    return true;
  }

  diagnostics(): Diagnostic[] {
    return [...this.notes.values()].sort((a, b) => (a.file! < b.file! ? -1 : a.file! > b.file! ? 1 : a.line! - b.line!));
  }

  private linesOf(file: string): string[] | undefined {
    if (!this.lines.has(file)) this.lines.set(file, this.sourceOf(file)?.split(/\r?\n/));
    return this.lines.get(file);
  }

  private noteMissingReason(file: string, d: Directive): void {
    const key = `${file}\0${d.line}`;
    if (this.notes.has(key)) return;
    this.notes.set(key, {
      level: 'note',
      file,
      line: d.line,
      message: `inline ignore of ${d.ids.join(', ')} has no reason; add one after the brackets, e.g. \`# pipewarden: ignore[${d.ids.join(', ')}] input is trusted\``,
    });
  }
}

function parse(re: RegExp, text: string | undefined, line: number): Directive | undefined {
  const m = text === undefined ? null : re.exec(text);
  if (!m) return undefined;
  const ids = m[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Drop block-comment closers and separators people put before the reason (`: `, `-- `).
  const reason = m[2]!
    .replace(/(?:\*\/|-->)\s*$/, '')
    .trim()
    .replace(/^[:\u2014-]+\s*/, '')
    .trim();
  return { ids, reason, line };
}

// ---- zizmor's inline comments ----

/**
 * zizmor audit name → the pipewarden rules that report the same problem. Only exact matches in
 * meaning are listed; every other zizmor audit name in a comment is zizmor's business and is
 * ignored without a word (no "unknown rule" warning). Not mapped, on purpose: zizmor's
 * `self-hosted-runner` does not cover `pr-runs-on-self-hosted` (fork code on the runner is a worse
 * problem than the runner alone), and audits pipewarden has no rule for (`anonymous-definition`,
 * `concurrency-limits`, `undocumented-permissions`, `secrets-outside-env`, `misfeature`, ...).
 */
export const ZIZMOR_AUDITS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    'archived-uses': ['archived-uses'],
    artipacked: ['artipacked'],
    'bot-conditions': ['bot-conditions'],
    'cache-poisoning': ['cache-poisoning'],
    'dangerous-triggers': ['dangerous-triggers'],
    'dependabot-cooldown': ['dependabot-cooldown'],
    'dependabot-execution': ['dependabot-execution'],
    'excessive-permissions': ['excessive-permissions'],
    'forbidden-uses': ['forbidden-uses'],
    'github-env': ['github-env'],
    'hardcoded-container-credentials': ['hardcoded-credentials'],
    'impostor-commit': ['impostor-commit'],
    'insecure-commands': ['insecure-commands'],
    'known-vulnerable-actions': ['known-vulnerable-actions'],
    obfuscation: ['obfuscation'],
    'overprovisioned-secrets': ['overprovisioned-secrets'],
    'ref-confusion': ['ref-confusion'],
    'ref-version-mismatch': ['ref-version-mismatch'],
    'secrets-inherit': ['secrets-inherit'],
    'self-hosted-runner': ['self-hosted-runner'],
    'stale-action-refs': ['stale-action-refs'],
    'template-injection': ['template-injection'],
    'typosquat-uses': ['typosquat-uses'],
    'unpinned-images': ['unpinned-images'],
    'unpinned-uses': ['unpinned-uses'],
    'unredacted-secrets': ['unredacted-secrets'],
    'unsound-condition': ['unsound-condition'],
    'unsound-contains': ['unsound-contains'],
    'use-trusted-publishing': ['use-trusted-publishing'],
  }),
);

/**
 * zizmor's syntax, as zizmor parses it: `# zizmor: ignore[a,b]` with exactly these spaces, names
 * separated by commas, optionally followed by whitespace and free text. YAML comments only.
 */
const ZIZMOR_IGNORE = /# zizmor: ignore\[([^\]]+)\](?:\s.*)?$/;
/** A YAML line that opens a block scalar (`run: |`, `- script: >-`), optionally with a comment. */
const BLOCK_SCALAR_HEADER = /^\s*(?:-\s+)?[^\s#][^#]*:\s*[|>][-+0-9]*\s*(?:#.*)?$/;
/** The `on:` key of a workflow (`'on':` and `"on":` too). */
const ON_KEY = /^(?:on|'on'|"on")\s*:(?:\s|$)/;
/** A YAML mapping key line; where the walk up looking for a block scalar header stops. */
const YAML_KEY = /^\s*(?:-\s+)?[\w.-]+:(?:\s|$)/;

function zizmorIgnores(lines: string[], f: Finding): boolean {
  const names = zizmorNamesFor(f.ruleId);
  if (names.length === 0) return false;
  const start = f.location.startLine;
  // Inside a `run: |` script, a `#` on the finding's line is the script's comment, not YAML's
  // (zizmor does not honour those either): only the block's header line counts.
  const header = blockScalarHeader(lines, start);
  const candidates: Array<string | undefined> = [];
  if (header !== undefined) candidates.push(lines[header - 1]);
  else {
    // zizmor honours a comment anywhere on the lines of a finding's span; pipewarden's own
    // placement (alone above the finding) is accepted too, through a run of comment lines.
    const end = Math.max(start, Math.min(f.location.endLine, lines.length));
    for (let i = start; i <= end; i++) candidates.push(lines[i - 1]);
    for (let above = start - 1; above >= 1 && /^\s*#/.test(lines[above - 1]!); above--) candidates.push(lines[above - 1]);
    // zizmor reports dangerous-triggers on the whole `on:` block, so its comment often sits there.
    if (f.ruleId === 'dangerous-triggers') {
      const parent = parentLine(lines, start);
      if (parent !== undefined && ON_KEY.test(lines[parent - 1]!)) candidates.push(lines[parent - 1]);
    }
  }
  return candidates.some((text) => {
    const m = text === undefined ? null : ZIZMOR_IGNORE.exec(text);
    return !!m && m[1]!.split(',').some((name) => names.includes(name.trim()));
  });
}

function zizmorNamesFor(ruleId: string): string[] {
  const names: string[] = [];
  for (const [name, ids] of ZIZMOR_AUDITS) if (ids.includes(ruleId)) names.push(name);
  return names;
}

/** 1-based line of the block scalar header whose body holds line `n`, if any. */
function blockScalarHeader(lines: string[], n: number): number | undefined {
  const self = lines[n - 1]!;
  if (!self.trim()) return undefined;
  let indent = indentOf(self);
  for (let i = n - 1; i >= 1; i--) {
    const text = lines[i - 1]!;
    if (!text.trim()) continue;
    const own = indentOf(text);
    if (own >= indent) continue;
    if (BLOCK_SCALAR_HEADER.test(text)) return i;
    if (YAML_KEY.test(text)) return undefined;
    indent = own;
  }
  return undefined;
}

/** 1-based line of the nearest less-indented YAML line above line `n` (its parent key), if any. */
function parentLine(lines: string[], n: number): number | undefined {
  const indent = indentOf(lines[n - 1]!);
  for (let i = n - 1; i >= 1; i--) {
    const text = lines[i - 1]!;
    if (!text.trim() || /^\s*#/.test(text)) continue;
    if (indentOf(text) < indent) return i;
  }
  return undefined;
}

function indentOf(text: string): number {
  return /^\s*/.exec(text)![0].length;
}

function isSecretRule(ruleId: string): boolean {
  return ruleId.startsWith('secrets/') || ruleId === 'hardcoded-credentials';
}
