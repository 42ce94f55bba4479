import { describe, expect, it } from 'vitest';
import { simple } from '../../simulate/payloads.js';
import { HOUR, Scenario, T0 } from '../../testing.js';

const repo = { org: 'acme', name: 'api' };

describe('push-protection-bypass', () => {
  it('reports a bypass once from the audit entry and the alert webhook, with severity by reason', async () => {
    const res = await new Scenario()
      .entry('secret_scanning_push_protection.bypass', { at: T0, actor: 'dave', repo: 'acme/api', fields: { secret_type: 'aws_access_key_id', secret_type_display_name: 'Amazon AWS Access Key ID', push_protection_bypass_reason: 'will_fix_later', number: 7 } })
      .hook('secret_scanning_alert', simple(repo, 'dave', { action: 'created', alert: { number: 7, secret_type_display_name: 'Amazon AWS Access Key ID', push_protection_bypassed: true, push_protection_bypassed_by: { login: 'dave' }, push_protection_bypassed_at: new Date(T0).toISOString() } }), T0 + 2000)
      .entry('secret_scanning_push_protection.bypass', { at: T0 + HOUR, actor: 'erin', repo: 'acme/api', fields: { secret_type_display_name: 'Stripe API Key', push_protection_bypass_reason: 'used_in_tests', number: 8 } })
      .entry('secret_scanning_push_protection.bypass', { at: T0 + 2 * HOUR, actor: 'erin', repo: 'acme/api', fields: { secret_type_display_name: 'Slack Token', push_protection_bypass_reason: 'false_positive', number: 9 } })
      .run();
    expect(res.summary()).toEqual([
      'push-protection-bypass high: Push protection bypassed for a Amazon AWS Access Key ID in acme/api',
      'push-protection-bypass medium: Push protection bypassed for a Stripe API Key in acme/api',
      'push-protection-bypass low: Push protection bypassed for a Slack Token in acme/api',
    ]);
    expect(res.alerts[0]!.evidence).toHaveLength(2);
  });

  it('stays silent for secret scanning alerts without a bypass', async () => {
    const res = await new Scenario().hook('secret_scanning_alert', simple(repo, 'bot', { action: 'created', alert: { number: 3, push_protection_bypassed: false } }), T0).run();
    expect(res.alerts).toEqual([]);
  });
});
