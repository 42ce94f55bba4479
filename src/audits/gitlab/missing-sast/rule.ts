import type { Rule } from '../../../core/rule.js';
import type { GitlabModel, Include } from '../../../platforms/gitlab/model.js';
import { missingSastMeta, missingSastOptions, sastCommandIn } from '../../sast-tools.js';
import { jobsOf, loc } from '../util.js';

/** GitLab's own SAST: the CI templates (Auto DevOps includes SAST) and the CI/CD catalog component. */
const SAST_TEMPLATE = /(?:^|\/)(?:SAST|SAST-IaC|Auto-DevOps)(?:\.latest)?\.gitlab-ci\.ya?ml$/i;
const SAST_COMPONENT = /(?:^|\/)components\/sast\/|\/sast@|\/(?:codeql|semgrep)[^/@]*@/i;
/** Jobs of the SAST template extend `.sast-analyzer`; a project include of such a file names it. */
const SAST_FILE = /sast|semgrep|codeql|code[-_]?scanning/i;

/** The SAST an include brings in, if any (templates and components are not read offline: the name decides). */
function sastInclude(inc: Include): string | undefined {
  if (inc.kind === 'template' && SAST_TEMPLATE.test(inc.value)) return `template ${inc.value}`;
  if (inc.kind === 'component' && SAST_COMPONENT.test(inc.value)) return `component ${inc.value}`;
  if (inc.kind === 'project' && (inc.files ?? []).some((f) => SAST_FILE.test(String(f.value)))) return `project ${inc.value}`;
  if (inc.kind === 'remote' && SAST_FILE.test(inc.value.split('/').pop() ?? '')) return `remote ${inc.value}`;
  return undefined;
}

export const rule: Rule<GitlabModel> = {
  meta: missingSastMeta('gitlab', new URL('./README.md', import.meta.url)),
  check(model, report, options) {
    const opts = missingSastOptions(options);
    if (!opts) return; // off until the config requires it
    if (model.pipelines.length === 0) return;
    for (const p of model.pipelines) if (p.includes.some((inc) => sastInclude(inc))) return;
    for (const job of jobsOf(model)) {
      if (job.extendsChain.some((t) => /^\.sast-analyzer$|^\.?(?:semgrep|codeql)/i.test(t))) return;
      for (const line of job.scripts) if (typeof line.value.value === 'string' && sastCommandIn(line.value.value, opts.tools)) return;
      const image = job.image?.name.value;
      if (typeof image === 'string' && opts.tools.some((t) => image.toLowerCase().includes(t))) return;
    }
    const root = model.pipelines.find((p) => p.kind === 'root') ?? model.pipelines[0]!;
    report({
      message: `no job runs static analysis of the code (GitLab's SAST template or component, Semgrep, CodeQL, pipewarden sast, ...) and the config requires it; add \`include: - template: Jobs/SAST.gitlab-ci.yml\` or a SAST job${opts.tools.length ? ` (or one of: ${opts.tools.join(', ')})` : ''}`,
      location: loc(root.root.at),
      route: 'repository',
    });
  },
};
