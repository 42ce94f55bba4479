import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import type { BitbucketModel } from './model.js';
import { buildBitbucketModel, isBitbucketPath, sniffBitbucket } from './parse.js';
import { syntaxErrorFinding } from '../../audits/core/syntax-error/rule.js';
import { rootOfFile, type Platform } from '../../audit/platform.js';
import { rule as templateInjection } from '../../audits/bitbucket/template-injection/rule.js';
import { rule as variableInjection } from '../../audits/bitbucket/variable-injection/rule.js';
import { rule as untrustedCheckoutExec } from '../../audits/bitbucket/untrusted-checkout-exec/rule.js';
import { rule as unprotectedDeployment } from '../../audits/bitbucket/unprotected-deployment/rule.js';
import { rule as cachePoisoning } from '../../audits/bitbucket/cache-poisoning/rule.js';
import { rule as artipacked } from '../../audits/bitbucket/artipacked/rule.js';
import { rule as unpinnedUses } from '../../audits/bitbucket/unpinned-uses/rule.js';
import { rule as unpinnedImages } from '../../audits/bitbucket/unpinned-images/rule.js';
import { rule as hardcodedCredentials } from '../../audits/bitbucket/hardcoded-credentials/rule.js';
import { rule as unverifiedScriptExec } from '../../audits/bitbucket/unverified-script-exec/rule.js';
import { rule as insecureDind } from '../../audits/bitbucket/insecure-dind/rule.js';
import { rule as debugEnabled } from '../../audits/bitbucket/debug-enabled/rule.js';
import { rule as missingSast } from '../../audits/bitbucket/missing-sast/rule.js';

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
  repoRoot: (path) => rootOfFile(path, /^bitbucket-pipelines\.ya?ml$/),
  rules: () => BITBUCKET_RULES.map((r) => r.meta),
  audit(files, read, config, online) {
    const { model, problems } = buildBitbucketModel(files, read);
    const findings: Finding[] = problems.map((p) => syntaxErrorFinding(p.message, p.location));
    const result = runRules(BITBUCKET_RULES, model, { config, online });
    findings.push(...result.findings);
    return { findings, diagnostics: result.diagnostics };
  },
};
