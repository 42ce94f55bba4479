/**
 * environment-protection-removed: a deployment environment lost a protection rule (required
 * reviewers, wait timer, a custom protection rule), its reviewers were cut, admins were allowed to
 * bypass, self-review was allowed, or a production-like environment was deleted (its secrets and
 * rules go with it). Adding reviewers or rules never alerts. Audit-log only: GitHub sends no
 * webhook for environment settings.
 */
import type { Detector } from '../../detect.js';
import type { AlertDraft, MonitorEvent } from '../../model.js';
import { draft, isUsualAdmin } from '../support.js';

const PRODUCTION_LIKE = /(?:^|[-_ /.])(?:prod|production|release|releases|live|deploy|publish|pypi|npm|main)(?:$|[-_ /.])/i;

const RESPONSE = [
  'Confirm the change with the actor; if it was not intended, restore the environment\'s protection rules (Settings → Environments).',
  'List deployments and workflow runs that used the environment since the change, and review them.',
  'Environment secrets were reachable without the removed gate: rotate those used by unreviewed runs.',
];

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

export const environmentProtectionRemoved: Detector = {
  id: 'environment-protection-removed',
  accepts: (e) => e.source === 'audit' && (e.kind === 'environment.remove_protection_rule' || e.kind === 'environment.update_protection_rule' || e.kind === 'environment.delete'),
  async detect(event, ctx) {
    const a = event.facts.audit ?? {};
    const env = typeof a.environment_name === 'string' ? a.environment_name : typeof a.name === 'string' ? a.name : '?';
    const relaxed: string[] = [];
    if (event.kind === 'environment.remove_protection_rule') relaxed.push('a protection rule was removed');
    if (event.kind === 'environment.delete') {
      if (!PRODUCTION_LIKE.test(env)) return [];
      relaxed.push('the environment was deleted with its protection rules and secrets');
    }
    if (event.kind === 'environment.update_protection_rule') {
      const before = list(a.approvers_was);
      const after = list(a.approvers);
      const gone = before.filter((x) => !after.includes(x));
      if (gone.length) relaxed.push(after.length ? `reviewers removed: ${gone.join(', ')}` : 'all required reviewers removed');
      if (a.can_admins_bypass === true) relaxed.push('admins may bypass the rule');
      if (a.prevent_self_review === false) relaxed.push('self-review allowed');
      const oldWait = Number(a.old_value);
      const newWait = Number(a.new_value);
      if (Number.isFinite(oldWait) && Number.isFinite(newWait) && newWait < oldWait) relaxed.push(`wait timer ${oldWait} → ${newWait} minutes`);
    }
    if (relaxed.length === 0) return [];
    return [alert(event, env, relaxed, await isUsualAdmin(ctx, event))];
  },
};

function alert(event: MonitorEvent, env: string, relaxed: string[], usual: boolean): AlertDraft {
  const prod = PRODUCTION_LIKE.test(env);
  return draft('environment-protection-removed', event, {
    severity: prod && !usual ? 'high' : prod || !usual ? 'medium' : 'low',
    confidence: 'high',
    title: `Protection of environment "${env}" weakened on ${event.repository ?? event.org ?? '?'}`,
    summary: `${event.actor ?? 'Someone'} changed environment "${env}": ${relaxed.join('; ')}.${usual ? '' : ' The actor has no admin activity older than a day in the stored history.'}`,
    response: RESPONSE,
    dedupKey: `${event.repository ?? event.org}:${env}:${event.dedupKey}`,
    details: { environment: env, relaxed },
  });
}
