import type { PlatformAuditor } from './platform.js';
import { auditor as gitlab } from './gitlab/index.js';
import { auditor as azure } from './azure/index.js';
import { auditor as circleci } from './circleci/index.js';
import { auditor as bitbucket } from './bitbucket/index.js';

/** CI platforms other than GitHub Actions (which has its own, richer pipeline in audits/github). */
export const OTHER_PLATFORMS: readonly PlatformAuditor[] = [gitlab, azure, circleci, bitbucket];
