import { isScalar } from 'yaml';
import type { Rule } from '../../../core/rule.js';
import type { CircleModel, Definitions, Entry } from '../../../platforms/circleci/model.js';
import { allDefinitions, registryOrbOf, stepSites } from '../../../platforms/circleci/resolve.js';
import { configuredTool, missingSastMeta, missingSastOptions, orConfigured, sastCommandIn } from '../../sast-tools.js';
import { loc } from '../util.js';

function argText(args: readonly Entry[], key: string): string | undefined {
  const v = args.find((a) => a.key === key)?.value;
  return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
}

/**
 * Registry orbs whose elements analyse the code: `namespace/orb` → tool, and when only some
 * invocations do, the test on the element name and its arguments.
 */
const SAST_ORBS: Record<string, { tool: string; when?: (element: string, args: readonly Entry[]) => boolean }> = {
  'sonarsource/sonarcloud': { tool: 'SonarQube Cloud' },
  // snyk/scan runs `snyk test` (dependencies) unless `command: code test` (Snyk Code).
  'snyk/snyk': { tool: 'Snyk Code', when: (element, args) => element === 'scan' && /^\s*code\s+test\b/.test(argText(args, 'command') ?? '') },
};

/** The SAST tool an orb element invocation (a step, or a workflow's orb job) runs, if any. */
function orbTool(defs: Definitions, ref: string, args: readonly Entry[], extra: readonly string[]): string | undefined {
  const orb = registryOrbOf(defs, ref);
  if (!orb?.ref) return undefined;
  const name = `${orb.ref.namespace ?? ''}/${orb.ref.orb ?? ''}`.toLowerCase();
  const known = SAST_ORBS[name];
  if (known && (!known.when || known.when(ref.slice(ref.indexOf('/') + 1), args))) return known.tool;
  return configuredTool(name, extra);
}

export const rule: Rule<CircleModel> = {
  meta: missingSastMeta('circleci', new URL('./README.md', import.meta.url)),
  check(model, report, options) {
    const opts = missingSastOptions(options);
    if (!opts) return; // off until the config requires it
    if (model.files.length === 0) return;
    for (const file of model.files) {
      for (const site of stepSites(file)) {
        const step = site.step;
        if (step.type === 'run' && step.command && sastCommandIn(String(step.command.value ?? ''), opts.tools)) return;
        if (step.type === 'call' && orbTool(site.def?.owner ?? file.defs, step.ref, step.args, opts.tools)) return;
      }
      for (const wf of file.workflows) {
        for (const job of wf.jobs) if (orbTool(file.defs, job.ref, job.args, opts.tools)) return;
      }
      if (opts.tools.length) {
        for (const defs of allDefinitions(file)) {
          for (const def of [...defs.jobs, ...defs.executors]) {
            if (def.images.some((img) => img.image && configuredTool(String(img.image.value ?? ''), opts.tools))) return;
          }
        }
      }
    }
    const root = model.files.find((f) => f.kind === 'config') ?? model.files[0]!;
    report({
      message: `no job runs static analysis of the code (the SonarQube Cloud orb, Snyk Code, Semgrep, CodeQL, pipewarden sast, ...) and the config requires it; add a SAST step${orConfigured(opts)}`,
      location: loc(root, root.root),
      route: 'repository',
    });
  },
};
