/**
 * push-protection-bypass: someone pushed a secret that secret scanning's push protection blocked,
 * by bypassing it. The audit entry (`secret_scanning_push_protection.bypass`) and the
 * `secret_scanning_alert` webhook with `push_protection_bypassed` describe the same bypass and
 * raise one alert. Severity follows the reason given: "it's used in tests" and "false positive"
 * are claims to verify, "I'll fix it later" is a live secret in the repository.
 */
import type { Detector } from '../../detect.js';
import type { MonitorEvent } from '../../model.js';
import { draft, MINUTE } from '../support.js';

const RESPONSE = [
  'Open the secret scanning alert, look at the secret and decide: if it is real, revoke and rotate it at the provider now.',
  'Remove it from the branch and, if it reached a shared branch, from the history; forks and clones keep it.',
  'Ask the person who bypassed why; if the reason does not hold, tighten who may bypass (delegated bypass).',
];

function facts(e: MonitorEvent): { number?: number; type: string; reason?: string; actor?: string } {
  const a = e.facts.audit ?? {};
  return {
    ...(typeof a.number === 'number' && { number: a.number }),
    type: String(a.secret_type_display_name ?? a.secret_type ?? 'secret'),
    ...(typeof a.push_protection_bypass_reason === 'string' && { reason: a.push_protection_bypass_reason }),
    ...(typeof a.bypassed_by === 'string' ? { actor: a.bypassed_by } : e.actor ? { actor: e.actor } : {}),
  };
}

export const pushProtectionBypass: Detector = {
  id: 'push-protection-bypass',
  accepts: (e) => e.kind === 'secret_scanning_push_protection.bypass' || (e.kind === 'secret_scanning_alert' && e.action === 'created' && e.facts.audit?.push_protection_bypassed === true),
  async detect(event) {
    const f = facts(event);
    const repo = event.repository ?? event.org ?? '?';
    const reason = f.reason?.replace(/_/g, ' ');
    const severity = f.reason === 'false_positive' ? 'low' : f.reason === 'used_in_tests' ? 'medium' : 'high';
    return [
      draft('push-protection-bypass', event, {
        severity,
        confidence: 'high',
        actor: f.actor ?? event.actor,
        title: `Push protection bypassed for a ${f.type} in ${repo}`,
        summary: `${f.actor ?? 'Someone'} pushed a ${f.type} to ${repo} past secret scanning push protection${reason ? ` (reason given: ${reason})` : ''}${f.number !== undefined ? `; secret scanning alert #${f.number}` : ''}.`,
        response: RESPONSE,
        dedupKey: `${repo}:${f.number ?? event.dedupKey}`,
        correlation: { key: `bypass|${repo.toLowerCase()}|${f.type.toLowerCase()}`, windowMs: 10 * MINUTE },
        details: { secretType: f.type, reason: f.reason ?? null, alertNumber: f.number ?? null },
      }),
    ];
  },
};
