import type { PostureCheck, PostureTarget } from '../../../check.js';
import type { NotEvaluated } from '../../../fetched.js';
import type { GithubOrgData, GithubRepoData } from '../../../github/model.js';
import type { WorkflowFacts } from '../../../workflows.js';
import { POLICY_WORDS } from '../fork-pr-approval-weak/check.js';
import { fileUrl, isPublic, repoTarget } from '../util.js';

/** Events whose workflows run the fork's code, and that the approval setting holds back. */
const FORK_CODE_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);

/**
 * Why fork pull request workflows of this repository run without approval ('' when they need it),
 * or what kept us from knowing.
 */
function unapproved(d: GithubOrgData, repo: GithubRepoData): { why: string } | { unknown: NotEvaluated } | undefined {
  if (isPublic(repo)) {
    const repoPolicy = repo.forkPrApproval.ok ? repo.forkPrApproval.value.approval_policy : undefined;
    const orgPolicy = d.forkPrApproval.ok ? d.forkPrApproval.value.approval_policy : undefined;
    const policy = repoPolicy ?? orgPolicy;
    if (!policy) return { unknown: !repo.forkPrApproval.ok ? repo.forkPrApproval.why : !d.forkPrApproval.ok ? d.forkPrApproval.why : { reason: 'unsupported', detail: 'no approval policy reported' } };
    return policy === 'all_external_contributors' ? undefined : { why: POLICY_WORDS[policy] };
  }
  const settings = repo.forkPrPrivate.ok && repo.forkPrPrivate.value ? repo.forkPrPrivate.value : d.forkPrPrivate.ok && d.forkPrPrivate.value ? d.forkPrPrivate.value : undefined;
  if (!settings) {
    const why = !repo.forkPrPrivate.ok ? repo.forkPrPrivate.why : !d.forkPrPrivate.ok ? d.forkPrPrivate.why : undefined;
    return why ? { unknown: why } : undefined;
  }
  if (!settings.run_workflows_from_fork_pull_requests || settings.require_approval_for_fork_pr_workflows) return undefined;
  return { why: 'private-repository fork pull requests run without approval' };
}

function forkTrigger(w: WorkflowFacts): { name: string; line: number } | undefined {
  return w.triggers.find((t) => FORK_CODE_EVENTS.has(t.name));
}

export const check: PostureCheck<GithubOrgData> = {
  meta: {
    id: 'posture/fork-pr-runs-without-approval',
    title: 'Fork pull requests reach a self-hosted runner or a privileged workflow without approval',
    platform: 'github',
    severity: 'critical',
    confidence: 'high',
    owasp: ['CICD-SEC-4', 'CICD-SEC-7'],
    cwe: ['CWE-829', 'CWE-284'],
    fixable: false,
    online: true,
    docs: new URL('./README.md', import.meta.url),
    scopes: 'admin:org or admin on the repository (approval policy); repo (read) for workflows',
    settings: 'settings/actions',
  },
  check(d, ctx) {
    for (const repo of d.repos) {
      const target: PostureTarget = repoTarget(repo);
      const workflows = ctx.need(target, repo.workflows);
      if (!workflows) continue;
      const risky = workflows.filter((w) => (forkTrigger(w) && w.jobs.some((j) => j.selfHosted)) || w.triggers.some((t) => t.name === 'workflow_run'));
      if (risky.length === 0) continue;
      const state = unapproved(d, repo);
      if (!state) continue;
      if ('unknown' in state) {
        ctx.notEvaluated(target, state.unknown);
        continue;
      }
      const byName = new Map(workflows.map((w) => [(w.name ?? w.path.replace(/^.*\//, '')).toLowerCase(), w]));
      for (const w of risky) {
        const url = fileUrl(repo, w.path);
        const trigger = forkTrigger(w);
        const job = trigger ? w.jobs.find((j) => j.selfHosted) : undefined;
        if (trigger && job) {
          ctx.report(target, {
            message: `${w.path} runs fork pull request code on ${job.selfHosted!.what} (job ${job.id}) and ${state.why}: an outside contributor gets code execution on your infrastructure without anyone approving`,
            route: `self-hosted:${w.path}:${job.id}`,
            location: { file: url, startLine: job.selfHosted!.line, startColumn: 1, endLine: job.selfHosted!.line, endColumn: 1 },
            related: [{ file: url, startLine: trigger.line, startColumn: 1, endLine: trigger.line, endColumn: 1, message: `triggered by ${trigger.name}` }],
          });
          continue;
        }
        const run = w.triggers.find((t) => t.name === 'workflow_run');
        if (!run) continue;
        const upstream = w.follows.map((n) => byName.get(n.toLowerCase())).filter((u): u is WorkflowFacts => u !== undefined && forkTrigger(u) !== undefined);
        if (upstream.length === 0) continue;
        ctx.report(target, {
          message: `${w.path} runs with secrets and a write token after ${upstream.map((u) => u.path).join(', ')}, which runs fork pull request code, and ${state.why}: artifacts or outputs from an unreviewed fork reach a privileged workflow without approval`,
          route: `workflow-run:${w.path}`,
          severity: 'high',
          location: { file: url, startLine: run.line, startColumn: 1, endLine: run.line, endColumn: 1 },
          related: upstream.map((u) => ({ file: fileUrl(repo, u.path), startLine: forkTrigger(u)!.line, startColumn: 1, endLine: forkTrigger(u)!.line, endColumn: 1, message: `runs on ${forkTrigger(u)!.name} from forks` })),
        });
      }
    }
  },
};
