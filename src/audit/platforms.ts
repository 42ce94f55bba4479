import type { PlatformAuditor } from './platform.js';
import { auditor as gitlab } from '../audits/gitlab/index.js';
import { auditor as azure } from '../audits/azure/index.js';
import { auditor as circleci } from '../audits/circleci/index.js';
import { auditor as bitbucket } from '../audits/bitbucket/index.js';

/** CI platforms other than GitHub Actions (which has its own, richer pipeline in audits/github). */
export const OTHER_PLATFORMS: readonly PlatformAuditor[] = [gitlab, azure, circleci, bitbucket];
