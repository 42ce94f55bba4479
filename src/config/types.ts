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

export interface SastSettings {
  /** Extra sources: `process.argv`/`process.env`, a function by name, or a member expression as written. */
  sources?: Array<'process.argv' | 'process.env' | { call: string; member?: undefined; label?: string } | { member: string; call?: undefined; label?: string }>;
  /** Extra sinks: callee text or function name, the rule it belongs to, argument positions (default [0]). */
  sinks?: Array<{ call: string; rule: string; args?: number[] }>;
  /** Extra sanitisers: callee text or function name, the rules it cleans (default all). */
  sanitizers?: Array<{ call: string; rules?: string[] }>;
  'paths-ignore'?: string[];
  'include-tests'?: boolean;
}

/** An accepted advisory (`deps.ignore`): by id or alias, optionally for one package. */
export interface DepsIgnoreEntry {
  advisory: string;
  package?: string;
  reason: string;
  expires?: string;
}

export interface DepsSettings {
  ignore?: DepsIgnoreEntry[];
}

/** `monitor:` (see docs/monitor.md "Configuration"). */
export interface MonitorConfig {
  admins?: string[];
  bots?: string[];
  'trusted-domains'?: string[];
  'baseline-days'?: number;
  'follow-up-hours'?: number;
}

/** `serve:` (see docs/serve.md "Configuration"); secrets come from the environment only. */
export interface ServeConfig {
  listen?: string;
  'public-url'?: string;
  'max-body-mb'?: number;
  notify?: Array<{
    name: string;
    type: 'slack' | 'webhook';
    url?: string;
    'url-env'?: string;
    'secret-env'?: string;
    'min-severity'?: string;
  }>;
}

/** `inline-ignores:` (see docs/configuration.md "Inline ignores"). */
export interface InlineIgnoreSettings {
  /** Honour zizmor's `# zizmor: ignore[audit]` comments for the rules that match its audits; default true. */
  zizmor?: boolean;
}

export interface PipewardenConfig {
  rules: Record<string, RuleSettings>;
  ignore: IgnoreEntry[];
  /** Absent when the file has no `inline-ignores:` key. */
  'inline-ignores'?: InlineIgnoreSettings;
  secrets: SecretsSettings;
  deps?: DepsSettings;
  sast?: SastSettings;
  /** Absent when the file has no `monitor:` key. */
  monitor?: MonitorConfig;
  /** Absent when the file has no `serve:` key. */
  serve?: ServeConfig;
  /** Where the config came from, for messages; undefined when defaults are used. */
  source?: string;
}

export const DEFAULT_CONFIG: PipewardenConfig = { rules: {}, ignore: [], secrets: {} };
