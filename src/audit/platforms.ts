import type { Platform } from './platform.js';
import { auditor as github } from '../platforms/github/platform.js';
import { auditor as gitlab } from '../platforms/gitlab/platform.js';
import { auditor as azure } from '../platforms/azure/platform.js';
import { auditor as circleci } from '../platforms/circleci/platform.js';
import { auditor as bitbucket } from '../platforms/bitbucket/platform.js';

/**
 * Every CI platform `pipewarden audit` knows: the one list to extend with a new platform
 * (docs/architecture.md). Its order is the order of `rules` listings and of the audits within a repository.
 */
export const PLATFORMS: readonly Platform[] = [github, gitlab, azure, circleci, bitbucket];

/**
 * The order classification asks the platforms in (first claim wins). GitHub comes last: its claims
 * are the loosest (`action.yml` in any folder by path; any mapping with `jobs` and `on` by content),
 * so a platform with a more specific claim on the same file wins.
 */
export const CLASSIFY_ORDER: readonly Platform[] = [gitlab, azure, circleci, bitbucket, github];
