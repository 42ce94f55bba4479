import type { Severity } from '../core/finding.js';

/** A rule's settings in the config file. `options` is rule-specific and validated by the rule. */
export interface RuleSettings {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface IgnoreEntry {
  /** Rule id, or `*` for every rule. */
  rule: string;
  /** Repo-relative path, optionally `:LINE`. Globs `*` and `**` are allowed in the path part. */
  path: string;
  reason: string;
  /** ISO date (YYYY-MM-DD); after it the ignore stops applying and a note is printed. */
  expires?: string;
}

export interface SecretsSettings {
  /** Regexes; a candidate secret matching any is dropped. */
  allow?: string[];
  /** Path globs never scanned for secrets. */
  'paths-ignore'?: string[];
  /** Extra detectors supplied by the user. */
  detectors?: Array<{ id: string; regex: string; keywords?: string[]; severity?: Severity }>;
}

export interface PipewardenConfig {
  rules: Record<string, RuleSettings>;
  ignore: IgnoreEntry[];
  secrets: SecretsSettings;
  /** Where the config came from, for messages; undefined when defaults are used. */
  source?: string;
}

export const DEFAULT_CONFIG: PipewardenConfig = { rules: {}, ignore: [], secrets: {} };
