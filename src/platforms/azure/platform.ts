import type { Rule } from '../../core/rule.js';
import type { Diagnostic, Finding } from '../../core/finding.js';
import { compareFindings } from '../../core/finding.js';
import { runRules } from '../../core/engine.js';
import type { AzureModel } from './model.js';
import { buildAzureModel, isAzureCandidatePath, isAzureEntryPath, isBareStepsPipeline, isTemplateLikePath, sniffAzure, sniffAzureEntry, type AzureFile } from './parse.js';
import { rootOfFile, type Platform } from '../../audit/platform.js';
import { syntaxErrorFinding } from '../../audits/core/syntax-error/rule.js';
import { rule as templateInjection } from '../../audits/azure/template-injection/rule.js';
import { rule as variableInjection } from '../../audits/azure/variable-injection/rule.js';
import { rule as untrustedCheckoutExec } from '../../audits/azure/untrusted-checkout-exec/rule.js';
import { rule as cachePoisoning } from '../../audits/azure/cache-poisoning/rule.js';
import { rule as artipacked } from '../../audits/azure/artipacked/rule.js';
import { rule as unprotectedDeployment } from '../../audits/azure/unprotected-deployment/rule.js';
import { rule as unpinnedUses } from '../../audits/azure/unpinned-uses/rule.js';
import { rule as unpinnedImages } from '../../audits/azure/unpinned-images/rule.js';
import { rule as hardcodedCredentials } from '../../audits/azure/hardcoded-credentials/rule.js';
import { rule as secretEcho } from '../../audits/azure/secret-echo/rule.js';
import { rule as unverifiedScriptExec } from '../../audits/azure/unverified-script-exec/rule.js';
import { rule as debugEnabled } from '../../audits/azure/debug-enabled/rule.js';
import { rule as missingSast } from '../../audits/azure/missing-sast/rule.js';

/** Every Azure Pipelines audit, in documentation order. */
export const AZURE_RULES: readonly Rule<AzureModel>[] = [
  templateInjection,
  variableInjection,
  untrustedCheckoutExec,
  cachePoisoning,
  artipacked,
  unprotectedDeployment,
  unpinnedUses,
  unpinnedImages,
  hardcodedCredentials,
  secretEcho,
  unverifiedScriptExec,
  debugEnabled,
  missingSast,
];

export const auditor: Platform = {
  platform: 'azure',
  matches: isAzureEntryPath,
  sniff: sniffAzure,
  candidate: isAzureCandidatePath,
  sniffEntry: sniffAzureEntry,
  // Only the conventional name marks a root: `.azure-pipelines.yml`, other casings and files in pipelines
  // folders are entries (`matches`, `candidate`) but join the repository above them, as before the Platform hook.
  repoRoot: (path) => rootOfFile(path, /^azure-pipelines\.ya?ml$/),
  rules: () => AZURE_RULES.map((r) => r.meta),
  audit(files, read, config, online) {
    const entries: AzureFile[] = files.map((f) => ({ path: f.path, repoPath: f.repoPath, text: f.text }));
    let built = buildAzureModel(entries, read);
    // A file found at a pipelines folder (or named) that another entry uses as a template is audited through
    // that entry (with its parameters bound), not a second time on its own.
    const used = new Set(built.model.pipelines.flatMap((p) => p.templates.flatMap((t) => (t.repoPath && t.repoPath !== p.repoPath ? [t.repoPath] : []))));
    // A bare `steps:` file found in a pipelines folder is also a template when its path says so
    // (`templates/`, `steps-x.yml`): a parameterless steps template looks exactly like one.
    const kept = entries.filter((e) => !used.has(e.repoPath) && !(!isAzureEntryPath(e.repoPath) && isBareStepsPipeline(e.text) && isTemplateLikePath(e.repoPath)));
    if (kept.length !== entries.length) built = buildAzureModel(kept, read);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const p of built.problems) {
      const key = `${p.location.file}:${p.location.startLine}:${p.location.startColumn}:${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(syntaxErrorFinding(p.message, p.location));
    }
    const diagnostics: Diagnostic[] = [];
    const run = runRules(AZURE_RULES, built.model, { config, online });
    findings.push(...run.findings);
    diagnostics.push(...run.diagnostics);
    findings.sort(compareFindings);
    return { findings: oncePerPlace(findings), diagnostics };
  },
};

/**
 * A template included by several pipelines yields the same finding (rule, position, message) once
 * per pipeline, with a fingerprint per route. That is one problem, fixed at one line: it is reported
 * once, by the one with the smallest fingerprint (stable while that route exists).
 */
function oncePerPlace(sorted: Finding[]): Finding[] {
  const kept = new Map<string, Finding>();
  for (const f of sorted) {
    const l = f.location;
    const key = `${f.ruleId}\0${l.file}:${l.startLine}:${l.startColumn}:${l.endLine}:${l.endColumn}\0${f.message}`;
    const prev = kept.get(key);
    if (!prev || f.fingerprint < prev.fingerprint) kept.set(key, f);
  }
  const keep = new Set(kept.values());
  return sorted.filter((f) => keep.has(f));
}
