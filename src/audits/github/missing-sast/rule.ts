import type { Rule } from '../../../core/rule.js';
import type { GithubModel, Step, Workflow } from '../../../platforms/github/model.js';
import { missingSastMeta, missingSastOptions, sastCommandIn } from '../../sast-tools.js';
import { loc } from '../util.js';

/**
 * Actions that run static analysis of the code (owner/repo, optionally a path prefix). A SAST step
 * that is not one of these can be named with the `tools` option.
 */
const SAST_ACTIONS = [
  'github/codeql-action/analyze',
  'github/codeql-action/init',
  'returntocorp/semgrep-action',
  'semgrep/semgrep-action',
  'sonarsource/sonarcloud-github-action',
  'sonarsource/sonarqube-scan-action',
  'snyk/actions',
  'bearer/bearer-action',
  'shiftleftsecurity/scan-action',
  'ajinabraham/njsscan-action',
  'securego/gosec',
  'pycqa/bandit-action',
  'pipewarden/pipewarden',
];

/** Events on which a workflow analyses the code that is being changed or shipped. */
const CODE_EVENTS = new Set(['push', 'pull_request', 'pull_request_target', 'merge_group', 'schedule', 'workflow_call']);

/** What SAST tool a step runs, if any. */
export function sastToolOf(step: Step, extra: readonly string[] = []): string | undefined {
  if (step.uses?.kind === 'repo') {
    const name = `${step.uses.owner}/${step.uses.repo}${step.uses.path ? `/${step.uses.path}` : ''}`.toLowerCase();
    const hit = [...SAST_ACTIONS, ...extra].find((a) => name === a || name.startsWith(`${a}/`));
    if (hit) return hit;
  }
  return step.run ? sastCommandIn(String(step.run.value), extra) : undefined;
}

function runsOnCode(w: Workflow): boolean {
  return w.triggers.some((t) => CODE_EVENTS.has(t.name));
}

export const rule: Rule<GithubModel> = {
  meta: missingSastMeta('github', new URL('./README.md', import.meta.url)),
  check(model, report, options) {
    const opts = missingSastOptions(options);
    if (!opts) return; // off until the config requires it
    const workflows = [...model.workflows].sort((a, b) => (a.repoPath < b.repoPath ? -1 : 1));
    if (workflows.length === 0) return;
    for (const w of workflows) {
      if (!runsOnCode(w)) continue;
      for (const job of w.jobs) {
        if (job.steps.some((s) => sastToolOf(s, opts.tools))) return;
        // A reusable workflow of another repository is out of sight; one named for code scanning counts.
        if (job.uses?.kind === 'repo' && /codeql|semgrep|sast|code-scanning|codescan/i.test(job.uses.path)) return;
      }
    }
    for (const a of model.actions) if (a.steps.some((s) => sastToolOf(s, opts.tools))) return;
    const anchor = workflows.find(runsOnCode) ?? workflows[0]!;
    report({
      message: `no workflow runs static analysis of the code (CodeQL, Semgrep, pipewarden sast, ...) on pushes or pull requests, and the config requires it; add a SAST job${opts.tools.length ? ` (or one of: ${opts.tools.join(', ')})` : ''}`,
      location: loc(anchor.source, anchor.onNode ?? anchor.root),
      route: 'repository',
    });
  },
};
