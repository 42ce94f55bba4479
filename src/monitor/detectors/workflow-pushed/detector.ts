/**
 * workflow-pushed: a workflow file added or changed outside a reviewed pull request.
 *
 * - Default branch: any push that adds or modifies a workflow and is not the merge of a reviewed
 *   pull request (dependabot bumps merged by a person, squash merges, merge commits all count as
 *   reviewed). High; critical when the static audit of the pushed content finds secret dumping
 *   or exfiltration.
 * - Other branches: developers push workflow edits to feature branches all day, so a push alone
 *   is not an alert. It is when the pushed content dumps or sends secrets, when the branch or file
 *   matches a published worm (Shai-Hulud), or when the branch that added the workflow is deleted
 *   within a day without any pull request (the s1ngularity/Nx and Shai-Hulud pattern: push a
 *   workflow, let it run, delete the branch).
 */
import type { Detector, DetectorContext } from '../../detect.js';
import { auditWorkflowFiles, type AuditedWorkflowFinding } from '../../adapters/workflow-audit.js';
import { keys } from '../../keys.js';
import type { AlertDraft, MonitorEvent, StoredEvent } from '../../model.js';
import { branchOf, draft, HOUR, isAutomation, isReviewed, mergedPullRequestFor, minutesBetween } from '../support.js';

const SHORT_LIVED_MS = 24 * HOUR;

const RESPONSE = [
  'Open the commit and read the workflow change; check who pushed it and from where (audit log `git.push`, the account\'s security log).',
  'If the change is not expected: disable the workflow (Actions → the workflow → Disable), revert the commit, and cancel its running jobs.',
  'Treat every secret the workflow could read as exposed until its runs are reviewed: `pipewarden ir exposure` lists them; rotate them.',
  'Protect the default branch so workflow changes need a reviewed pull request (branch protection or a ruleset with required reviews and CODEOWNERS for .github/workflows).',
];

export const workflowPushed: Detector = {
  id: 'workflow-pushed',
  accepts: (e) => (e.kind === 'push' && (e.facts.push?.workflowChanges.length ?? 0) > 0) || (e.kind === 'delete' && e.facts.ref?.type === 'branch'),
  async detect(event, ctx) {
    if (!event.repository) return [];
    return event.kind === 'delete' ? deletedBranch(event, ctx) : pushed(event, ctx);
  },
};

async function pushed(event: MonitorEvent, ctx: DetectorContext): Promise<AlertDraft[]> {
  const repo = event.repository!;
  const push = event.facts.push!;
  if (push.deleted || !push.ref.startsWith('refs/heads/')) return [];
  const changed = push.workflowChanges.filter((w) => w.change !== 'removed');
  if (changed.length === 0) return [];
  const branch = branchOf(push.ref);
  const defaultBranch = event.facts.defaultBranch ?? 'main';
  const paths = [...new Set(changed.map((w) => w.path))];
  const head = push.after ?? changed[changed.length - 1]!.commit;

  const viaPr = push.after ? await mergedPullRequestFor(ctx, repo, push.after, event.time) : undefined;
  if (viaPr && (await isReviewed(ctx, repo, viaPr))) return [];

  // Dependency bots on their own branches only bump versions: no content audit needed.
  const botBranch = branch !== defaultBranch && /^(?:dependabot|renovate)\//.test(branch) && isAutomation(ctx, event);
  const audit = botBranch ? undefined : await auditPushed(ctx, repo, head, paths);
  const ioc = workflowIndicator(ctx, branch, paths);
  const exposing = audit?.exposesSecrets ?? [];

  if (branch === defaultBranch) {
    if (isAutomation(ctx, event) && !exposing.length && !ioc) {
      // A bot pushing a workflow change straight to the default branch is unusual but common in
      // release automation; it is reported at medium so it stays visible without paging.
      return [
        draft('workflow-pushed', event, {
          severity: 'medium',
          confidence: 'medium',
          title: `Workflow changed on ${branch} by automation without a pull request`,
          summary: `${event.actor ?? 'An automation account'} pushed ${paths.join(', ')} directly to ${branch} of ${repo} (commit ${short(head)}).`,
          response: RESPONSE,
          dedupKey: `${repo}:${head}`,
          details: { branch, paths, commit: head },
        }),
      ];
    }
    const how = viaPr ? `merged pull request #${viaPr.facts.pr?.number} without an approving review` : push.forced ? 'a force push' : 'a direct push';
    return [
      draft('workflow-pushed', event, {
        severity: exposing.length || ioc ? 'critical' : 'high',
        confidence: 'high',
        title: `Workflow ${push.workflowChanges.some((w) => w.change === 'added') ? 'added' : 'changed'} on ${branch} by ${how}`,
        summary: `${event.actor ?? 'Someone'} changed ${paths.join(', ')} on ${repo}@${branch} (commit ${short(head)}) by ${how}.${describeAudit(exposing)}${ioc ? ` Matches ${ioc}.` : ''}`,
        response: RESPONSE,
        dedupKey: `${repo}:${head}`,
        evidence: [{ eventId: event.id }, ...(viaPr ? [{ eventId: viaPr.id }] : [])],
        details: { branch, paths, commit: head, ...(audit && { audit: audit.findings.slice(0, 20) }), ...(ioc && { indicator: ioc }) },
      }),
    ];
  }

  if (!exposing.length && !ioc) return [];
  const first = changed[0]!;
  return [
    draft('workflow-pushed', event, {
      severity: 'critical',
      confidence: exposing.length ? 'high' : 'medium',
      title: exposing.length ? `Workflow that exposes secrets pushed to branch ${branch}` : `Workflow matching ${ioc} pushed to branch ${branch}`,
      summary: `${event.actor ?? 'Someone'} pushed ${paths.join(', ')} to ${repo}@${branch} (commit ${short(head)}) outside any pull request.${describeAudit(exposing)}${ioc ? ` Matches ${ioc}.` : ''} Workflows triggered by push run from that branch with the repository's secrets.`,
      response: RESPONSE,
      dedupKey: `${repo}:${branch}:${first.commit}`,
      details: { branch, paths, commit: head, ...(audit && { audit: audit.findings.slice(0, 20) }), ...(ioc && { indicator: ioc }) },
    }),
  ];
}

/** Branch deleted: did it live less than a day, add a workflow, and never get a pull request? */
async function deletedBranch(event: MonitorEvent, ctx: DetectorContext): Promise<AlertDraft[]> {
  const repo = event.repository!;
  const branch = event.facts.ref!.name;
  if (branch === (event.facts.defaultBranch ?? 'main')) return [];
  const history = await ctx.store.findByKey(keys.branch(repo, branch), { from: event.time - SHORT_LIVED_MS, before: { time: event.time, id: event.id } });
  const pushes = history.filter((e) => e.kind === 'push' && e.facts.push && !e.facts.push.deleted);
  const withWorkflows = pushes.filter((e) => e.facts.push!.workflowChanges.some((w) => w.change !== 'removed'));
  if (withWorkflows.length === 0) return [];
  const created = history.find((e) => (e.kind === 'create' && e.facts.ref?.type === 'branch') || e.facts.push?.created === true);
  if (!created) return []; // the branch is older than the window: not short-lived
  if (/^(?:dependabot|renovate)\//.test(branch)) return []; // dependency bots' own branches
  const prs = await ctx.store.findByKey(keys.prHead(repo, branch), { to: event.time });
  if (prs.length > 0) return [];
  const runs = await runsOf(ctx, repo, withWorkflows);
  const first = withWorkflows[0]!;
  const paths = [...new Set(withWorkflows.flatMap((e) => e.facts.push!.workflowChanges.map((w) => w.path)))];
  const ioc = workflowIndicator(ctx, branch, paths);
  return [
    draft('workflow-pushed', event, {
      severity: runs.length ? 'critical' : 'high',
      confidence: 'high',
      actor: first.actor ?? event.actor,
      time: first.time,
      title: `Workflow pushed on branch ${branch}, which was deleted ${minutesBetween(created.time, event.time)} after it was created, without a pull request`,
      summary: `${first.actor ?? 'Someone'} created ${repo}@${branch}, pushed ${paths.join(', ')}${runs.length ? `, ${runs.length} workflow run${runs.length === 1 ? '' : 's'} followed on that branch,` : ''} and the branch was deleted${event.actor ? ` by ${event.actor}` : ''} without a pull request. Pushing a workflow, letting it run with the repository's secrets and deleting the branch is how the s1ngularity (Nx) and Shai-Hulud attacks stole secrets.${ioc ? ` Matches ${ioc}.` : ''}`,
      response: RESPONSE,
      dedupKey: `${repo}:${branch}:${first.facts.push!.workflowChanges[0]!.commit}`,
      evidence: [...withWorkflows.map((e) => ({ eventId: e.id })), ...runs.map((r) => ({ eventId: r.id })), { eventId: event.id }],
      details: { branch, paths, created: new Date(created.time).toISOString(), deleted: new Date(event.time).toISOString(), runs: runs.map((r) => r.facts.run?.runId ?? r.facts.job?.runId) },
    }),
  ];
}

async function runsOf(ctx: DetectorContext, repo: string, pushes: StoredEvent[]): Promise<StoredEvent[]> {
  const shas = new Set(pushes.map((p) => p.facts.push!.after?.toLowerCase()).filter(Boolean));
  const seen = new Map<number, StoredEvent>();
  for (const p of pushes) {
    const around = await ctx.store.findByKey(keys.repo(repo), { from: p.time, to: p.time + SHORT_LIVED_MS });
    for (const e of around) {
      const run = e.facts.run;
      if (run && run.headSha && shas.has(run.headSha.toLowerCase()) && !seen.has(run.runId)) seen.set(run.runId, e);
    }
  }
  return [...seen.values()];
}

async function auditPushed(ctx: DetectorContext, repo: string, sha: string, paths: string[]): Promise<{ findings: AuditedWorkflowFinding[]; exposesSecrets: AuditedWorkflowFinding[] } | undefined> {
  if (!ctx.contents) return undefined;
  const files: Array<{ path: string; text: string }> = [];
  for (const path of paths) {
    const text = await ctx.contents.get(repo, sha, path);
    if (text !== undefined) files.push({ path, text });
  }
  return files.length ? auditWorkflowFiles(files) : undefined;
}

function workflowIndicator(ctx: DetectorContext, branch: string, paths: string[]): string | undefined {
  for (const w of ctx.indicators.workflows) {
    if (w.weak) continue;
    if (w.branches.includes(branch.toLowerCase()) || paths.some((p) => w.paths.includes(p.toLowerCase()))) return `${w.campaign} (${w.id})`;
  }
  return undefined;
}

function describeAudit(exposing: AuditedWorkflowFinding[]): string {
  if (!exposing.length) return '';
  const f = exposing[0]!;
  return ` The static audit of the pushed workflow reports ${exposing.length} way${exposing.length === 1 ? '' : 's'} it exposes secrets, e.g. ${f.ruleId} at ${f.path}:${f.line}: ${f.message.replace(/[.\s]*$/, '')}.`;
}

function short(sha: string): string {
  return sha.slice(0, 12);
}


