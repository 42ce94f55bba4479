import type { Confidence, Severity } from '../core/finding.js';

/** Offline structural check of a candidate (checksum, decodable header...). */
export interface Validation {
  /** valid: the structure checks out (raise confidence); invalid: it cannot be a real secret (drop or lower). */
  status: 'valid' | 'invalid' | 'unknown';
  note?: string;
  /** Facts decoded from the secret that are safe to print (AWS account id, JWT issuer...). */
  properties?: Record<string, string>;
}

export interface Detector {
  /** Stable id, kebab-case (`github-pat-classic`); findings use rule id `secrets/<id>`. */
  id: string;
  title: string;
  /** Provider family for accuracy reporting: cloud, vcs, ci, registry, payment, chat, ai, database, observability, generic, crypto... */
  family: string;
  /** Lower-case literals; the text (lower-cased) must contain one before the regex runs. */
  keywords: string[];
  /** Must be global (`g`). The secret is the named group `secret`, else group 1, else the whole match. */
  regex: RegExp;
  severity: Severity;
  confidence: Confidence;
  /** How the builder finds it: a self-identifying token, a value by its key name, or a surrounding structure (docs table). */
  shape?: 'token' | 'keyed' | 'raw';
  /** Minimum Shannon entropy (bits/char) of the secret; lower is dropped as a decoy. */
  minEntropy?: number;
  validate?(secret: string, match: RegExpExecArray): Validation;
}

/** One detector hit in a piece of text, offsets into that text. */
export interface SecretMatch {
  detectorId: string;
  secret: string;
  /** Offset of the secret itself (not the whole regex match). */
  start: number;
  end: number;
  confidence: Confidence;
  severity: Severity;
  validation: Validation;
}
