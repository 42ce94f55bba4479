/**
 * credential-added: a new way in or out that outlives any one session: a deploy key with write
 * access, a webhook to a destination that is neither the org's own nor seen before, a fine-grained
 * personal access token granted access to the org, a GitHub App installed. Read-only deploy keys,
 * webhooks to trusted or already-known hosts and apps installed on selected repositories by the
 * usual admins are routine.
 */
import type { Detector, DetectorContext } from '../../detect.js';
import { hostOf } from '../../events/audit.js';
import { keys } from '../../keys.js';
import type { AlertDraft, MonitorEvent } from '../../model.js';
import { draft, isUnusualActor } from '../support.js';

const KEY_RESPONSE = [
  'Check the key under Settings → Deploy keys: who added it and what uses it. Remove it if nobody can account for it.',
  'A write deploy key can push to every branch not protected against it: review recent pushes.',
  'Prefer read-only deploy keys, or a GitHub App with narrow permissions.',
];
const HOOK_RESPONSE = [
  'Check the webhook (Settings → Webhooks): its URL, events and who created it; delete it if it is not yours.',
  'A webhook receives every subscribed payload (code pushes, issues, secrets-scanning alerts): treat what it received as disclosed.',
  'Add the destination to monitor.trusted-domains in the config if it is legitimate.',
];
const GRANT_RESPONSE = [
  'Review the grant (org Settings → Personal access tokens / GitHub Apps): owner, repositories and permissions.',
  'Revoke it if it is not expected, and check the owner\'s account for compromise.',
  'Require approval for fine-grained tokens and limit apps to selected repositories.',
];

function trusted(ctx: DetectorContext, host: string): boolean {
  if (host === 'github.com' || host.endsWith('.github.com')) return true;
  return ctx.settings.trustedDomains.some((d) => host === d.toLowerCase() || host.endsWith(`.${d.toLowerCase()}`));
}

export const credentialAdded: Detector = {
  id: 'credential-added',
  accepts: (e) =>
    (e.kind === 'deploy_key' && e.action === 'created') ||
    (e.kind === 'installation' && e.action === 'created') ||
    (e.source === 'audit' && ['public_key.create', 'hook.create', 'hook.config_changed', 'personal_access_token.access_granted', 'integration_installation.create'].includes(e.kind)),
  async detect(event, ctx) {
    switch (event.kind) {
      case 'deploy_key':
      case 'public_key.create':
        return deployKey(event);
      case 'hook.create':
      case 'hook.config_changed':
        return webhook(event, ctx);
      case 'personal_access_token.access_granted':
        return patGrant(event);
      default:
        return appInstall(event, ctx);
    }
  },
};

function deployKey(event: MonitorEvent): AlertDraft[] {
  const a = event.facts.audit ?? {};
  // public_key.create without a repository is a user's SSH key, not a deploy key.
  if (a.read_only !== false || !event.repository) return [];
  const title = typeof a.title === 'string' ? a.title : '?';
  return [
    draft('credential-added', event, {
      severity: 'high',
      confidence: 'high',
      title: `Deploy key with write access added to ${event.repository}`,
      summary: `${event.actor ?? 'Someone'} added deploy key "${title}" with write access to ${event.repository}.`,
      response: KEY_RESPONSE,
      dedupKey: `deploy-key:${event.repository}:${typeof a.fingerprint === 'string' ? a.fingerprint : title}`,
      correlation: { key: `deploy-key|${event.repository.toLowerCase()}|${title}`, windowMs: 10 * 60_000 },
      details: { kind: 'deploy-key', title },
    }),
  ];
}

async function webhook(event: MonitorEvent, ctx: DetectorContext): Promise<AlertDraft[]> {
  const url = event.facts.audit?.config_url;
  const host = hostOf(url);
  const scope = event.repository ?? event.org ?? '?';
  if (!host) return []; // the audit entry does not say where the hook points: nothing to judge
  if (trusted(ctx, host)) return [];
  const seen = await ctx.store.findByKey(keys.hookHost(scope, host), { before: { time: event.time, id: event.id }, limit: 1 });
  if (seen.length) return [];
  return [
    draft('credential-added', event, {
      severity: 'high',
      confidence: 'medium',
      title: `Webhook to unknown destination ${host} added on ${scope}`,
      summary: `${event.actor ?? 'Someone'} ${event.kind === 'hook.create' ? 'created' : 'pointed'} a webhook on ${scope} to ${host}, which is not among the trusted domains and was not seen before.`,
      response: HOOK_RESPONSE,
      dedupKey: `hook:${scope}:${host}`,
      details: { kind: 'webhook', host, events: event.facts.audit?.events ?? null },
    }),
  ];
}

function patGrant(event: MonitorEvent): AlertDraft[] {
  const a = event.facts.audit ?? {};
  const name = typeof a.user_programmatic_access_name === 'string' ? a.user_programmatic_access_name : 'a token';
  const all = a.repository_selection === 'all';
  return [
    draft('credential-added', event, {
      severity: all ? 'high' : 'medium',
      confidence: 'high',
      title: `Personal access token "${name}" granted access to ${event.org ?? '?'}${all ? ' (all repositories)' : ''}`,
      summary: `${event.actor ?? 'Someone'} granted the fine-grained token "${name}" access to ${all ? 'every repository' : 'selected repositories'} of ${event.org ?? '?'}.`,
      response: GRANT_RESPONSE,
      dedupKey: `pat:${event.org}:${name}:${event.dedupKey}`,
      details: { kind: 'personal-access-token', token: name, repositorySelection: a.repository_selection ?? null },
    }),
  ];
}

async function appInstall(event: MonitorEvent, ctx: DetectorContext): Promise<AlertDraft[]> {
  const a = event.facts.audit ?? {};
  const app = typeof a.app === 'string' ? a.app : typeof a.integration === 'string' ? a.integration : typeof a.name === 'string' ? a.name : '?';
  const all = a.repository_selection === 'all';
  const usual = !(await isUnusualActor(ctx, event));
  if (usual && !all) return [];
  return [
    draft('credential-added', event, {
      severity: !usual && all ? 'high' : usual ? 'low' : 'medium',
      confidence: 'medium',
      title: `GitHub App "${app}" installed on ${event.org ?? event.repository ?? '?'}${all ? ' for all repositories' : ''}`,
      summary: `${event.actor ?? 'Someone'} installed the app "${app}" with access to ${all ? 'every repository' : 'selected repositories'}.${usual ? '' : ' The actor has no admin activity older than a day in the stored history.'}`,
      response: GRANT_RESPONSE,
      dedupKey: `app:${event.org ?? event.repository}:${app}`,
      details: { kind: 'app', app, repositorySelection: a.repository_selection ?? null },
    }),
  ];
}
