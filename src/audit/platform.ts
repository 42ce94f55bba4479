import type { Diagnostic, Finding } from '../core/finding.js';
import type { Platform as PlatformId, RuleMeta } from '../core/rule.js';
import type { PipewardenConfig } from '../config/types.js';
import type { OnlineFacts } from '../online/facts.js';

/** A CI file handed to a platform's audit. */
export interface CiFile {
  /** Display path (relative to the working directory): what findings show. */
  path: string;
  /** Path relative to its repository root: what includes and templates resolve against. */
  repoPath: string;
  text: string;
  /**
   * The kind of file, when the platform's classification named one (GitHub: `workflow`, `action`,
   * `dependabot`). Platforms with one kind of entry file leave it out.
   */
  kind?: string;
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

/**
 * What a classification hook answers: not ours (`undefined`/`false`), ours (`true`), or ours and of
 * this kind (a string, handed back to `audit` as `CiFile.kind`).
 */
export type Classification = string | boolean | undefined;

/**
 * One CI platform (GitHub Actions, GitLab CI, Azure Pipelines, CircleCI, Bitbucket Pipelines), as
 * the platform-neutral audit pipeline (src/audit/pipeline.ts) sees it. The pipeline owns discovery,
 * reading, fail-closed handling of unreadable files, grouping by repository, threads and the merge
 * of findings; a platform owns what is specific to it: which files are its, how they load into its
 * model (with positions) and which rules run over that model. See docs/architecture.md.
 *
 * Classification is asked in this order, over every platform in `PLATFORMS` order, first answer
 * wins: `matches` (the repository path), then `matchesNamed` (a file named on the command line:
 * its full path), then, only when no path answered, `sniff` (named files) or
 * `candidate` + `sniffEntry` (files found by the walk).
 */
export interface Platform {
  platform: PlatformId;
  /** Classify: entry files recognised by their repository-relative path (`.gitlab-ci.yml`, ...). */
  matches(repoPath: string): Classification;
  /**
   * Optional classify hook for a file named on the command line whose repository path does not say
   * (outside a repository): does its full (posix) path? GitHub: `.../.github/workflows/x.yml`.
   */
  matchesNamed?(path: string): Classification;
  /** Classify a file named on the command line at an unusual path: does its content look like ours? */
  sniff(text: string): Classification;
  /**
   * Optional: paths found by the directory walk that may be entry files (a folder named
   * `pipelines`, ...): read, and kept only when `sniffEntry` says the content is an entry file.
   */
  candidate?(repoPath: string): boolean;
  /** For a `candidate` path: is this an entry file of ours (not a template, not another CI system)? */
  sniffEntry?(text: string): boolean;
  /**
   * Optional discover hook: the repository root that a path found by the walk marks, as a prefix of
   * that (posix, walk-relative) path without the trailing slash, '' for the scanned folder itself;
   * `undefined` when the path says nothing about where its repository starts. GitHub:
   * `a/b/.github/workflows/x.yml` → `a/b`; GitLab: `a/b/.gitlab-ci.yml` → `a/b`. Discovery groups
   * files by repository with it (`repoPrefixOf` in src/audit/pipeline.ts); files no platform
   * places join the deepest repository above them. Use `rootAboveFolder` / `rootOfFile` below.
   */
  repoRoot?(path: string): string | undefined;
  /** Metadata of every rule, for `rules`, SARIF and config validation. */
  rules(): RuleMeta[];
  /**
   * Load → model → rules → findings for one repository's files of this platform: parse them with
   * positions (reading included files through `read`, never anything else), build the platform
   * model, report load problems as `syntax-error` findings and run the rules over the model with
   * the engine (src/core/engine.ts). Pure otherwise; a throw becomes an `internal-error`.
   * `online`: rules that need the network may report; `facts`: what `--online` prefetched before
   * the audit started (src/online, plain JSON), for the platforms that use it (GitHub).
   */
  audit(files: CiFile[], read: RepoReader, config: PipewardenConfig, online: boolean, facts?: OnlineFacts): PlatformAuditResult;
}

/**
 * For `Platform.repoRoot`: the root above the last `folder/` segment of `path` (`.github` in
 * `a/.github/workflows/x.yml` → `a`), or `undefined` when that last occurrence is not a whole segment.
 */
export function rootAboveFolder(path: string, folder: string): string | undefined {
  const i = path.lastIndexOf(`${folder}/`);
  return i !== -1 && (i === 0 || path[i - 1] === '/') ? path.slice(0, Math.max(0, i - 1)) : undefined;
}

/**
 * For `Platform.repoRoot`: the folder holding `path` when its file name is `name` (a whole-name
 * pattern: `/^\.gitlab-ci\.ya?ml$/`), '' at the top; `undefined` for any other file name.
 */
export function rootOfFile(path: string, name: RegExp): string | undefined {
  const slash = path.lastIndexOf('/');
  return name.test(path.slice(slash + 1)) ? path.slice(0, Math.max(0, slash)) : undefined;
}
