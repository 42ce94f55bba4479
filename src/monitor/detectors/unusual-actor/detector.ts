/**
 * unusual-actor: an admin-level action (protections, access, credentials, runners, Actions
 * settings, visibility, membership) by an account with no earlier admin activity in the stored
 * history of the org. It only speaks once the store holds enough history to know who the admins
 * are (monitor.baseline-days, 14 by default); configured admins (monitor.admins) and bots are
 * never unusual. One alert per account: its first admin action; the following ones are its
 * history from then on.
 */
import type { Detector } from '../../detect.js';
import { draft, hasBaseline, hasEarlierAdminActivity, isAutomation, isKnownAdmin } from '../support.js';

/** Changes that let an attacker keep or widen access: high. Others (settings, topics): medium. */
const SENSITIVE = /protected_branch|ruleset|branch_protection|deploy_key|public_key|hook\.|register_self_hosted|runner|repo\.access|publicized|public$|actions_settings|workflow_permissions|fork_pr|add_member|update_member|member$|membership|installation|personal_access_token|secret_scanning|environment|transfer|destroy|deleted/;

const RESPONSE = [
  'Ask the account owner, out of band, whether they made this change.',
  'If not: suspend the account\'s sessions and tokens (org Settings → Personal access tokens, SSO sessions), and undo the change.',
  'Review everything the account did since (`pipewarden ir timeline --from ...`), including pushes, settings and new credentials.',
  'If the account is a new admin, add it to monitor.admins in the config.',
];

export const unusualActor: Detector = {
  id: 'unusual-actor',
  accepts: (e) => e.facts.admin === true && e.actor !== undefined && e.org !== undefined,
  async detect(event, ctx) {
    if (isKnownAdmin(ctx, event.actor) || isAutomation(ctx, event)) return [];
    if (!(await hasBaseline(ctx, event))) return [];
    if (await hasEarlierAdminActivity(ctx, event)) return [];
    const what = `${event.kind}${event.action ? ` (${event.action})` : ''}`;
    return [
      draft('unusual-actor', event, {
        severity: SENSITIVE.test(`${event.kind}.${event.action ?? ''}`) ? 'high' : 'medium',
        confidence: 'medium',
        title: `First admin action by ${event.actor} in ${event.org}: ${what}`,
        summary: `${event.actor} performed ${what}${event.repository ? ` on ${event.repository}` : ''}, their first admin-level action in ${ctx.settings.baselineDays}+ days of stored history for ${event.org}. ${event.summary}.`,
        response: RESPONSE,
        dedupKey: `${event.org}:${event.actor!.toLowerCase()}`,
        details: { action: event.kind, baselineDays: ctx.settings.baselineDays },
      }),
    ];
  },
};
