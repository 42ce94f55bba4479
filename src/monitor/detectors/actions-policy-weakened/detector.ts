/**
 * actions-policy-weakened: GitHub Actions settings of the org or a repository made more
 * permissive: default GITHUB_TOKEN permissions raised to write, Actions allowed to approve pull
 * requests, approval for fork pull request workflows relaxed, workflows of private forks given
 * write tokens or secrets, the allowed-actions policy widened. Audit-log only.
 *
 * Some of these audit entries do not record the new value (the GitHub page lists no field for
 * it). Then the change is reported only when the actor has no admin history, at low confidence:
 * an admin tightening the same setting looks identical.
 */
import type { Detector, DetectorContext } from '../../detect.js';
import { keys } from '../../keys.js';
import type { AlertDraft, MonitorEvent } from '../../model.js';
import { draft, isUnusualActor } from '../support.js';

const RESPONSE = [
  'Check the setting (org or repository Settings → Actions → General) and restore the stricter value if the change was not intended.',
  'Write-scoped GITHUB_TOKEN and fork approvals change what untrusted code can do: review workflow runs since the change, especially from forks.',
  'Keep default workflow permissions read-only and grant `permissions:` per job.',
];

/** Fork PR approval policies, least strict first (REST `approval_policy` values). */
const FORK_APPROVAL = ['first_time_contributors_new_to_github', 'first_time_contributors', 'all_external_contributors'];
/** Allowed-actions policies, narrowest first. */
const ALLOWED = ['disabled', 'none', 'local_only', 'selected', 'all'];

function rank(order: string[], v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const i = order.indexOf(v.toLowerCase());
  return i === -1 ? undefined : i;
}

interface Finding {
  title: string;
  what: string;
  severity: 'high' | 'medium' | 'low';
  confidence: 'high' | 'medium' | 'low';
}

async function judge(event: MonitorEvent, ctx: DetectorContext): Promise<Finding | undefined> {
  const a = event.facts.audit ?? {};
  const kind = event.kind.replace(/^(?:org|repo|business)\./, '');
  const scope = event.kind.startsWith('repo.') ? 'repository' : 'organization';
  switch (kind) {
    case 'set_default_workflow_permissions': {
      const value = a.default_workflow_permissions ?? a.workflow_permissions;
      if (value === 'write') return { title: `Default GITHUB_TOKEN permissions raised to write (${scope})`, what: 'every workflow without `permissions:` now gets a write token', severity: 'high', confidence: 'high' };
      if (value === 'read') return undefined;
      return !(await isUnusualActor(ctx, event)) ? undefined : { title: `Default GITHUB_TOKEN permissions changed (${scope})`, what: 'the new value is not in the audit entry', severity: 'medium', confidence: 'low' };
    }
    case 'set_workflow_permission_can_approve_pr': {
      const value = a.can_approve_pull_request_reviews;
      if (value === true) return { title: `GitHub Actions allowed to approve pull requests (${scope})`, what: 'a workflow can now approve its own pull request and satisfy required reviews', severity: 'high', confidence: 'high' };
      if (value === false) return undefined;
      return !(await isUnusualActor(ctx, event)) ? undefined : { title: `Actions pull request approval setting changed (${scope})`, what: 'the new value is not in the audit entry', severity: 'medium', confidence: 'low' };
    }
    case 'set_actions_fork_pr_approvals_policy': {
      const now = rank(FORK_APPROVAL, a.policy);
      if (now === undefined) return undefined;
      const before = await previousValue(event, ctx, 'policy');
      const was = rank(FORK_APPROVAL, before);
      if (was !== undefined ? now >= was : now > 0) return undefined;
      return { title: `Approval for fork pull request workflows relaxed (${scope})`, what: `approval required only for ${String(a.policy).replace(/_/g, ' ')}${before ? ` (was ${String(before).replace(/_/g, ' ')})` : ''}`, severity: 'medium', confidence: was !== undefined ? 'high' : 'medium' };
    }
    case 'set_fork_pr_workflows_policy':
    case 'set_actions_private_fork_pr_approvals_policy': {
      const policy = typeof a.policy === 'string' ? a.policy.toLowerCase() : '';
      if (!/write|secret/.test(policy)) return undefined;
      return { title: `Private fork pull request workflows get write tokens or secrets (${scope})`, what: `policy "${a.policy}"`, severity: 'high', confidence: 'medium' };
    }
    case 'update_actions_settings': {
      const now = rank(ALLOWED, a.new_policy);
      const was = rank(ALLOWED, a.old_policy);
      if (now === undefined || was === undefined || now <= was) return undefined;
      return { title: `Allowed actions widened (${scope})`, what: `allowed actions ${String(a.old_policy)} → ${String(a.new_policy)}`, severity: now === ALLOWED.length - 1 ? 'high' : 'medium', confidence: 'high' };
    }
    default:
      return undefined;
  }
}

/** The value this setting had in the previous entry of the same action (event-time order). */
async function previousValue(event: MonitorEvent, ctx: DetectorContext, field: string): Promise<unknown> {
  const scope = event.repository ?? event.org;
  if (!scope) return undefined;
  const [prev] = await ctx.store.findByKey(keys.setting(scope, event.kind), { before: { time: event.time, id: event.id }, order: 'desc', limit: 1 });
  return prev?.facts.audit?.[field];
}

export const actionsPolicyWeakened: Detector = {
  id: 'actions-policy-weakened',
  accepts: (e) => e.source === 'audit' && /^(?:org|repo|business)\.(?:set_default_workflow_permissions|set_workflow_permission_can_approve_pr|set_actions_fork_pr_approvals_policy|set_fork_pr_workflows_policy|set_actions_private_fork_pr_approvals_policy|update_actions_settings)$/.test(e.kind),
  async detect(event, ctx): Promise<AlertDraft[]> {
    const f = await judge(event, ctx);
    if (!f) return [];
    const scope = event.repository ?? event.org ?? '?';
    return [
      draft('actions-policy-weakened', event, {
        severity: f.severity,
        confidence: f.confidence,
        title: `${f.title} on ${scope}`,
        summary: `${event.actor ?? 'Someone'} changed ${event.kind} on ${scope}: ${f.what}.`,
        response: RESPONSE,
        dedupKey: `${scope}:${event.dedupKey}`,
        details: { action: event.kind },
      }),
    ];
  },
};
