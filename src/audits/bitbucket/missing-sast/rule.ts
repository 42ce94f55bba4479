import type { Rule } from '../../../core/rule.js';
import type { BitbucketModel, ScriptItem } from '../../../platforms/bitbucket/model.js';
import { configuredTool, missingSastMeta, missingSastOptions, orConfigured, sastCommandIn } from '../../sast-tools.js';
import { loc, uniqueSteps } from '../util.js';

/** Pipes that analyse the code (name without version) → tool. */
const SAST_PIPES: Record<string, string> = {
  'sonarsource/sonarcloud-scan': 'SonarQube Cloud',
  'sonarsource/sonarqube-scan': 'SonarQube',
};

/** A pipe's name: `sonarsource/sonarcloud-scan:2.0.0` → `sonarsource/sonarcloud-scan`; `docker://img:tag` → `img`. */
function pipeName(ref: string): string {
  const r = ref.trim().replace(/^docker:\/\//, '');
  return r.replace(/@sha256:[0-9a-f]+$/i, '').replace(/:[^/:]*$/, '').toLowerCase();
}

/** The SAST tool a script item runs, if any. */
function itemTool(item: ScriptItem, extra: readonly string[]): string | undefined {
  if (item.kind === 'command') return sastCommandIn(item.text, extra);
  const name = pipeName(item.ref);
  return SAST_PIPES[name] ?? configuredTool(name, extra);
}

export const rule: Rule<BitbucketModel> = {
  meta: missingSastMeta('bitbucket', new URL('./README.md', import.meta.url)),
  check(model, report, options) {
    const opts = missingSastOptions(options);
    if (!opts) return; // off until the config requires it
    const files = [...model.files].sort((a, b) => (a.source.path < b.source.path ? -1 : a.source.path > b.source.path ? 1 : 0));
    if (files.length === 0) return;
    for (const { step } of uniqueSteps(model)) {
      if ([...step.script, ...step.afterScript].some((item) => itemTool(item, opts.tools))) return;
      if (step.image?.name && configuredTool(step.image.name, opts.tools)) return;
    }
    const first = files[0]!;
    report({
      message: `no step runs static analysis of the code (the SonarQube Cloud or SonarQube scan pipe, Semgrep, CodeQL, pipewarden sast, ...) and the config requires it; add a SAST step${orConfigured(opts)}`,
      location: loc(first.source, first.root),
      route: 'repository',
    });
  },
};
