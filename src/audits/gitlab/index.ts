import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import type { Platform } from '../../audit/platform.js';
import { syntaxErrorFinding } from '../core/syntax-error/rule.js';
import { buildGitlabModel, sniffGitlab } from '../../platforms/gitlab/parse.js';
import type { GitlabModel } from '../../platforms/gitlab/model.js';
import { rule as templateInjection } from './template-injection/rule.js';
import { rule as untrustedCheckoutExec } from './untrusted-checkout-exec/rule.js';
import { rule as variableInjection } from './variable-injection/rule.js';
import { rule as unprotectedDeployment } from './unprotected-deployment/rule.js';
import { rule as cachePoisoning } from './cache-poisoning/rule.js';
import { rule as artipacked } from './artipacked/rule.js';
import { rule as unpinnedUses } from './unpinned-uses/rule.js';
import { rule as unpinnedImages } from './unpinned-images/rule.js';
import { rule as hardcodedCredentials } from './hardcoded-credentials/rule.js';
import { rule as unverifiedScriptExec } from './unverified-script-exec/rule.js';
import { rule as debugEnabled } from './debug-enabled/rule.js';
import { rule as insecureDind } from './insecure-dind/rule.js';
import { rule as missingSast } from './missing-sast/rule.js';

/** Every GitLab CI audit, in documentation order. */
export const GITLAB_RULES: readonly Rule<GitlabModel>[] = [
  templateInjection,
  untrustedCheckoutExec,
  variableInjection,
  unprotectedDeployment,
  cachePoisoning,
  artipacked,
  unpinnedUses,
  unpinnedImages,
  hardcodedCredentials,
  unverifiedScriptExec,
  debugEnabled,
  insecureDind,
  missingSast,
];

/** `.gitlab-ci.yml` / `.gitlab-ci.yaml`, in any folder (the CLI groups repositories by this file). */
export function isGitlabEntry(repoPath: string): boolean {
  return /(?:^|\/)\.gitlab-ci\.ya?ml$/.test(repoPath);
}

export const auditor: Platform = {
  platform: 'gitlab',
  matches: isGitlabEntry,
  sniff: sniffGitlab,
  rules: () => GITLAB_RULES.map((r) => r.meta),
  audit(files, read, config, online) {
    const { model, problems, notes } = buildGitlabModel(files, read);
    const findings: Finding[] = problems.map((p) => syntaxErrorFinding(p.message, p.location));
    const result = runRules(GITLAB_RULES, model, { config, online });
    findings.push(...result.findings);
    return { findings, diagnostics: [...notes, ...result.diagnostics] };
  },
};
