import type { Finding } from '../../core/finding.js';
import type { Rule } from '../../core/rule.js';
import { runRules } from '../../core/engine.js';
import { rootOfFile, type Platform } from '../../audit/platform.js';
import { syntaxErrorFinding } from '../../audits/core/syntax-error/rule.js';
import { buildGitlabModel, sniffGitlab } from './parse.js';
import type { GitlabModel } from './model.js';
import { rule as templateInjection } from '../../audits/gitlab/template-injection/rule.js';
import { rule as untrustedCheckoutExec } from '../../audits/gitlab/untrusted-checkout-exec/rule.js';
import { rule as variableInjection } from '../../audits/gitlab/variable-injection/rule.js';
import { rule as unprotectedDeployment } from '../../audits/gitlab/unprotected-deployment/rule.js';
import { rule as cachePoisoning } from '../../audits/gitlab/cache-poisoning/rule.js';
import { rule as artipacked } from '../../audits/gitlab/artipacked/rule.js';
import { rule as unpinnedUses } from '../../audits/gitlab/unpinned-uses/rule.js';
import { rule as unpinnedImages } from '../../audits/gitlab/unpinned-images/rule.js';
import { rule as hardcodedCredentials } from '../../audits/gitlab/hardcoded-credentials/rule.js';
import { rule as unverifiedScriptExec } from '../../audits/gitlab/unverified-script-exec/rule.js';
import { rule as debugEnabled } from '../../audits/gitlab/debug-enabled/rule.js';
import { rule as insecureDind } from '../../audits/gitlab/insecure-dind/rule.js';
import { rule as missingSast } from '../../audits/gitlab/missing-sast/rule.js';

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
  repoRoot: (path) => rootOfFile(path, /^\.gitlab-ci\.ya?ml$/),
  rules: () => GITLAB_RULES.map((r) => r.meta),
  audit(files, read, config, online) {
    const { model, problems, notes } = buildGitlabModel(files, read);
    const findings: Finding[] = problems.map((p) => syntaxErrorFinding(p.message, p.location));
    const result = runRules(GITLAB_RULES, model, { config, online });
    findings.push(...result.findings);
    return { findings, diagnostics: [...notes, ...result.diagnostics] };
  },
};
