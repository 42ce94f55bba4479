import type { Diagnostic, Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'gitlab-sast', 'gitlab-secrets', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportContext {
  /** Metadata of every rule that ran (SARIF lists them even without results). */
  rules: RuleMeta[];
  /** Markdown documentation of a rule, if known (SARIF help.markdown). */
  docsFor(ruleId: string): string | undefined;
  /** Text of a scanned file, for code frames; undefined when not available. */
  sourceOf(file: string): string | undefined;
  toolVersion: string;
  color: boolean;
  diagnostics: Diagnostic[];
  /** Absolute path the finding paths are relative to (SARIF originalUriBaseIds). */
  root: string;
  /** Findings suppressed by ignores/baseline, for summaries. */
  suppressedCount: number;
  /** Findings left out by --min-severity / --min-confidence: counted apart from suppressed ones. */
  belowThresholdCount?: number;
  /** The suppressed findings themselves: not shown, but their secrets are still masked in frames. */
  hidden?: readonly Finding[];
  /** When the scan ran, for formats that record it (GitLab security reports); default: now. */
  time?: { start: Date; end: Date };
  /** Set by `--new-only`: the base compared against and how many findings it already had. */
  newOnly?: NewOnlySummary;
}

export interface NewOnlySummary {
  /** The REF given to `--new-only`. */
  ref: string;
  /** Full commit id of the merge base of HEAD and REF. */
  mergeBase: string;
  /** Findings left out because the merge base already had them. */
  preExisting: number;
}
