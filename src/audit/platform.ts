import type { Diagnostic, Finding } from '../core/finding.js';
import type { Platform, RuleMeta } from '../core/rule.js';
import type { PipewardenConfig } from '../config/types.js';

/** A CI file handed to a platform's audit. */
export interface CiFile {
  /** Display path (relative to the working directory): what findings show. */
  path: string;
  /** Path relative to its repository root: what includes and templates resolve against. */
  repoPath: string;
  text: string;
}

/**
 * Reads another file of the same repository (a local include or template). It never leaves the
 * repository (links are resolved and checked) and applies the same size and binary limits.
 */
export type RepoReader = (repoPath: string) => { file: CiFile } | { error: string };

export interface PlatformAuditResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
}

/** What each CI platform plugs into `pipewarden audit`. */
export interface PlatformAuditor {
  platform: Platform;
  /** Entry files recognised by their repository-relative path (`.gitlab-ci.yml`, ...). */
  matches(repoPath: string): boolean;
  /** For a file named on the command line at an unusual path: does its content look like ours? */
  sniff(text: string): boolean;
  /**
   * Optional: paths found by the directory walk that may be entry files (a folder named
   * `pipelines`, ...): read, and kept only when `sniffEntry` says the content is an entry file.
   */
  candidate?(repoPath: string): boolean;
  /** For a `candidate` path: is this an entry file of ours (not a template, not another CI system)? */
  sniffEntry?(text: string): boolean;
  /** Metadata of every rule, for `rules`, SARIF and config validation. */
  rules(): RuleMeta[];
  /** Audits one repository's entry files (pure, except reading included files through `read`). */
  audit(files: CiFile[], read: RepoReader, config: PipewardenConfig, online: boolean): PlatformAuditResult;
}
