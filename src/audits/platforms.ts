import type { PlatformAuditor } from './platform.js';

/** CI platforms other than GitHub Actions (which has its own, richer pipeline in audits/github). */
export const OTHER_PLATFORMS: readonly PlatformAuditor[] = [];
