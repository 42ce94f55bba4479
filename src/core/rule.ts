import type { Confidence, Fix, RelatedLocation, Location, Severity } from './finding.js';

export type Platform = 'github' | 'gitlab' | 'azure' | 'circleci' | 'bitbucket' | 'secrets' | 'sast' | 'deps' | 'core' | 'monitor';

export interface RuleMeta {
  id: string;
  title: string;
  platform: Platform;
  severity: Severity;
  confidence: Confidence;
  /** OWASP Top 10 CI/CD Security Risks ids, e.g. CICD-SEC-4. */
  owasp: string[];
  /** CWE ids, e.g. CWE-94. */
  cwe: string[];
  fixable: boolean;
  /** Needs `--online` (network) to run. */
  online: boolean;
  /** Absolute path (file URL) of the rule's README.md; source of `rules ID` and SARIF help. */
  docs: URL;
  /** The location of every finding is a credential: reports star it out wherever they show that text. */
  locationIsSecret?: boolean;
}

/** What a rule hands to `report`; the engine fills in metadata, overrides and fingerprint. */
export interface RawFinding {
  message: string;
  location: Location;
  related?: RelatedLocation[];
  severity?: Severity;
  confidence?: Confidence;
  /** Normalized route that identifies this problem without line numbers (e.g. `jobs.build.steps[2].run:github.event.issue.title`). */
  route: string;
  fix?: Fix;
  properties?: Record<string, string | number | boolean>;
}

export interface Rule<Model> {
  meta: RuleMeta;
  /** `options` come from the config file (`rules.<id>.options`); rules validate what they read. */
  check(model: Model, report: (finding: RawFinding) => void, options: Readonly<Record<string, unknown>>): void;
}

export const DOCS_BASE_URL = 'https://github.com/pipewarden/pipewarden/blob/main/docs/rules';

/** Thrown by a rule for invalid `options` in the config: a user error, not a pipewarden bug. */
export class RuleOptionsError extends Error {}
