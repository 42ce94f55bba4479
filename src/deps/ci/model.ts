import type { Location } from '../../core/finding.js';
import type { Platform } from '../../core/rule.js';

/**
 * What the deps checks need to know about CI, in one platform-neutral shape: which jobs run
 * which commands with which credentials in reach, and which actions and images they use. Filled
 * by `adapter.ts`, the one module that reads the platform models.
 */
export type CiPlatform = Extract<Platform, 'github' | 'gitlab' | 'azure' | 'circleci' | 'bitbucket'> | 'docker';

export interface CiPrivilege {
  /** `publish`: a registry/deploy credential by name (NPM_TOKEN...); `write-token`: a CI token with write scopes; `oidc`: can mint cloud/registry tokens; `secret`: any other secret. */
  kind: 'publish' | 'write-token' | 'oidc' | 'secret';
  name: string;
}

export interface CiCommand {
  /** Words of one simple command, quotes removed. */
  words: string[];
  location: Location;
  /** Repository-relative working directory ('' for the root), as far as it is known statically. */
  cwd: string;
  /** Environment variable names set for the command (job and step level). */
  env: string[];
}

export interface CiJob {
  platform: CiPlatform;
  file: string;
  /** Display name: the job id (and workflow file) a person searches for. */
  name: string;
  location: Location;
  privileges: CiPrivilege[];
  commands: CiCommand[];
}

export interface CiImage {
  platform: CiPlatform;
  /** Image reference as written (`node:16-alpine`, `python:3.7@sha256:...`). */
  ref: string;
  location: Location;
  /** Where it is used, for messages: `FROM`, `job build container`, ... */
  context: string;
}

export interface CiActionUse {
  /** `owner/repo` (lower case as written), and the sub-path when there is one. */
  repo: string;
  path: string;
  ref: string;
  /** The version a SHA pin's trailing comment names (`@<sha> # v4.1.1`), if any. */
  commentVersion?: string;
  location: Location;
}

export interface DependabotEntry {
  ecosystem: string;
  directory: string;
}

export interface CiModel {
  jobs: CiJob[];
  images: CiImage[];
  actions: CiActionUse[];
  /** Dependabot entries, or undefined when there is no dependabot.yml. */
  dependabot?: DependabotEntry[];
  /** Where updates are configured in the Dependabot file (its `updates:` key), if there is one. */
  dependabotAt?: Location;
  /** Path of a Renovate config, if any. */
  renovate?: string;
}

export const EMPTY_CI: CiModel = { jobs: [], images: [], actions: [] };
