import type { Rule } from '../../../core/rule.js';
import type { AzureModel, Step } from '../../../platforms/azure/model.js';
import { input, scriptSinks } from '../../../platforms/azure/scripts.js';
import { configuredTool, missingSastMeta, missingSastOptions, orConfigured, sastCommandIn } from '../../sast-tools.js';
import { loc, stepSites } from '../util.js';

/** Tasks that analyse the code (name without publisher prefix and version, lower case) → tool. */
const SAST_TASKS: Record<string, string> = {
  'advancedsecurity-codeql-init': 'CodeQL',
  'advancedsecurity-codeql-analyze': 'CodeQL',
  sonarqubeprepare: 'SonarQube',
  sonarqubeanalyze: 'SonarQube',
  sonarcloudprepare: 'SonarQube Cloud',
  sonarcloudanalyze: 'SonarQube Cloud',
  microsoftsecuritydevops: 'Microsoft Security DevOps',
};

/** A template from another repository named for code scanning counts (its steps are out of sight). */
const SAST_TEMPLATE = /sast|codeql|semgrep|code-?scan/i;

/** The SAST tool a step runs, if any. */
export function sastToolOfStep(step: Step, extra: readonly string[], script: (s: Step) => string[]): string | undefined {
  if (step.task) {
    const name = step.task.name.toLowerCase().split('.').pop() ?? '';
    if (name === 'snyksecurityscan') {
      // The Snyk task tests dependencies (app) or images (container) unless testType is code (Snyk Code).
      const testType = input(step, 'testType')?.text?.trim().toLowerCase();
      if (testType === 'code') return 'Snyk Code';
    } else if (SAST_TASKS[name]) return SAST_TASKS[name];
    const named = configuredTool(step.task.raw, extra);
    if (named) return named;
  }
  for (const text of script(step)) {
    const tool = sastCommandIn(text, extra);
    if (tool) return tool;
  }
  return undefined;
}

export const rule: Rule<AzureModel> = {
  meta: missingSastMeta('azure', new URL('./README.md', import.meta.url)),
  check(model, report, options) {
    const opts = missingSastOptions(options);
    if (!opts) return; // off until the config requires it
    const pipelines = [...model.pipelines].sort((a, b) => (a.repoPath < b.repoPath ? -1 : a.repoPath > b.repoPath ? 1 : 0));
    if (pipelines.length === 0) return;
    for (const site of stepSites(model)) {
      const script = (s: Step): string[] => scriptSinks(s, site.job, site.pipeline).map((k) => String(k.scalar.value ?? ''));
      if (sastToolOfStep(site.step, opts.tools, script)) return;
    }
    for (const p of pipelines) {
      if (p.templates.some((t) => t.kind === 'external' && SAST_TEMPLATE.test(t.raw.replace(/@[^@]*$/, '')))) return;
      for (const c of p.containers) if (c.image && opts.tools.length && configuredTool(String(c.image.value ?? ''), opts.tools)) return;
    }
    const first = pipelines[0]!;
    report({
      message: `no pipeline runs static analysis of the code (the AdvancedSecurity-Codeql tasks, SonarQube/SonarCloud analysis, Snyk Code, Semgrep, pipewarden sast, ...) and the config requires it; add a SAST step${orConfigured(opts)}`,
      location: loc(first.ctx, first.root),
      route: 'repository',
    });
  },
};
