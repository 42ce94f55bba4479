import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import type { CircleModel } from './model.js';
import { buildCircleModel, isEntryPath, sniffCircleci } from './parse.js';
import { commandProblems } from './resolve.js';
import { nodeLocation } from '../../yaml/load.js';
import { syntaxErrorFinding } from '../../audits/core/syntax-error/rule.js';
import { rootAboveFolder, type Platform } from '../../audit/platform.js';
import { rule as templateInjection } from '../../audits/circleci/template-injection/rule.js';
import { rule as variableInjection } from '../../audits/circleci/variable-injection/rule.js';
import { rule as dynamicConfigInjection } from '../../audits/circleci/dynamic-config-injection/rule.js';
import { rule as untrustedCheckoutExec } from '../../audits/circleci/untrusted-checkout-exec/rule.js';
import { rule as cachePoisoning } from '../../audits/circleci/cache-poisoning/rule.js';
import { rule as artipacked } from '../../audits/circleci/artipacked/rule.js';
import { rule as unprotectedDeployment } from '../../audits/circleci/unprotected-deployment/rule.js';
import { rule as unpinnedUses } from '../../audits/circleci/unpinned-uses/rule.js';
import { rule as unpinnedImages } from '../../audits/circleci/unpinned-images/rule.js';
import { rule as hardcodedCredentials } from '../../audits/circleci/hardcoded-credentials/rule.js';
import { rule as unverifiedScriptExec } from '../../audits/circleci/unverified-script-exec/rule.js';
import { rule as missingSast } from '../../audits/circleci/missing-sast/rule.js';

/**
 * Every CircleCI audit, in documentation order. There is no `debug-enabled` here: CircleCI has
 * no configuration switch that makes the runner log more (no analogue of ACTIONS_STEP_DEBUG,
 * CI_DEBUG_TRACE or system.debug); "rerun with SSH" is a UI action, not config.
 */
export const CIRCLECI_RULES: readonly Rule<CircleModel>[] = [
  templateInjection,
  variableInjection,
  dynamicConfigInjection,
  untrustedCheckoutExec,
  cachePoisoning,
  artipacked,
  unprotectedDeployment,
  unpinnedUses,
  unpinnedImages,
  hardcodedCredentials,
  unverifiedScriptExec,
  missingSast,
];

export const auditor: Platform = {
  platform: 'circleci',
  matches: isEntryPath,
  sniff: sniffCircleci,
  repoRoot: (path) => rootAboveFolder(path, '.circleci'),
  rules: () => CIRCLECI_RULES.map((r) => r.meta),
  audit(files, read, config, online) {
    const { model, problems } = buildCircleModel(files, read);
    const findings: Finding[] = problems.map((p) => syntaxErrorFinding(p.message, p.location));
    for (const p of commandProblems(model)) findings.push(syntaxErrorFinding(p.message, nodeLocation(p.file.source, p.node)));
    const result = runRules(CIRCLECI_RULES, model, { config, online });
    findings.push(...result.findings);
    return { findings, diagnostics: result.diagnostics };
  },
};
