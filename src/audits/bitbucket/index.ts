import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import type { BitbucketModel } from '../../platforms/bitbucket/model.js';
import { buildBitbucketModel, isBitbucketPath, sniffBitbucket } from '../../platforms/bitbucket/parse.js';
import { syntaxErrorFinding } from '../core/syntax-error/rule.js';
import type { Platform } from '../../audit/platform.js';
import { rule as templateInjection } from './template-injection/rule.js';
import { rule as variableInjection } from './variable-injection/rule.js';
import { rule as untrustedCheckoutExec } from './untrusted-checkout-exec/rule.js';
import { rule as unprotectedDeployment } from './unprotected-deployment/rule.js';
import { rule as cachePoisoning } from './cache-poisoning/rule.js';
import { rule as artipacked } from './artipacked/rule.js';
import { rule as unpinnedUses } from './unpinned-uses/rule.js';
import { rule as unpinnedImages } from './unpinned-images/rule.js';
import { rule as hardcodedCredentials } from './hardcoded-credentials/rule.js';
import { rule as unverifiedScriptExec } from './unverified-script-exec/rule.js';
import { rule as insecureDind } from './insecure-dind/rule.js';
import { rule as debugEnabled } from './debug-enabled/rule.js';
import { rule as missingSast } from './missing-sast/rule.js';

/** Every Bitbucket Pipelines audit, in documentation order. */
export const BITBUCKET_RULES: readonly Rule<BitbucketModel>[] = [
  templateInjection,
  variableInjection,
  untrustedCheckoutExec,
  unprotectedDeployment,
  cachePoisoning,
  artipacked,
  unpinnedUses,
  unpinnedImages,
  hardcodedCredentials,
  unverifiedScriptExec,
  insecureDind,
  debugEnabled,
  missingSast,
];

export const auditor: Platform = {
  platform: 'bitbucket',
  matches: isBitbucketPath,
  sniff: sniffBitbucket,
  rules: () => BITBUCKET_RULES.map((r) => r.meta),
  audit(files, read, config, online) {
    const { model, problems } = buildBitbucketModel(files, read);
    const findings: Finding[] = problems.map((p) => syntaxErrorFinding(p.message, p.location));
    const result = runRules(BITBUCKET_RULES, model, { config, online });
    findings.push(...result.findings);
    return { findings, diagnostics: result.diagnostics };
  },
};
