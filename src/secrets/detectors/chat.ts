/** Chat and notifications: Slack, Discord, Telegram, Microsoft Teams, Mattermost, Pusher. */
import type { Detector } from '../types.js';
import { validateDiscordBotToken } from '../validators/structure.js';
import type { Validation } from '../types.js';
import { keyed, raw, token, UUID } from './build.js';
import { plausibleToken } from './decoys.js';

const family = 'chat';

/** The user id must decode, and the rest must not be a typed placeholder (`.xxxxxxxx`). */
function validateDiscord(secret: string): Validation {
  const v = validateDiscordBotToken(secret);
  return v.status === 'valid' && plausibleToken(secret).status === 'invalid' ? plausibleToken(secret) : v;
}

export const CHAT_DETECTORS: Detector[] = [
  token({
    id: 'slack-bot-token',
    title: 'Slack bot token',
    family,
    keywords: ['xoxb-'],
    pattern: 'xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}|xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  token({
    id: 'slack-user-token',
    title: 'Slack user token',
    family,
    severity: 'critical',
    keywords: ['xoxp-'],
    pattern: 'xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}',
    minEntropy: 3.5,
  }),
  token({
    id: 'slack-app-token',
    title: 'Slack app-level token',
    family,
    keywords: ['xapp-'],
    pattern: 'xapp-[0-9]-[A-Z0-9]{9,11}-[0-9]{10,13}-[a-f0-9]{64}',
    minEntropy: 3.5,
  }),
  token({
    id: 'slack-config-token',
    title: 'Slack configuration access token',
    family,
    keywords: ['xoxe.xoxb-', 'xoxe.xoxp-'],
    pattern: 'xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{163,166}',
    minEntropy: 4,
  }),
  token({
    id: 'slack-config-refresh-token',
    title: 'Slack configuration refresh token',
    family,
    keywords: ['xoxe-'],
    pattern: 'xoxe-[0-9]-[A-Za-z0-9]{146}',
    minEntropy: 4,
  }),
  token({
    id: 'slack-legacy-token',
    title: 'Slack legacy or workspace token',
    family,
    keywords: ['xoxa-', 'xoxo-', 'xoxr-', 'xoxs-'],
    pattern: 'xox[aors]-[0-9]{1,14}-[A-Za-z0-9-]{20,150}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  token({
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    family,
    severity: 'medium',
    keywords: ['hooks.slack.com'],
    before: '',
    // services/T/B/token; workflows/T/A/<numeric id>/token; triggers/T/<numeric id>/token.
    pattern: 'https://hooks\\.slack\\.com/(?:(?:services|workflows|triggers)/T[A-Z0-9]{8,12}/[A-Za-z0-9]{8,20}|workflows/T[A-Z0-9]{8,12}/A[A-Z0-9]{8,20}/[0-9]{8,20})/[A-Za-z0-9]{24,40}',
    after: '(?![A-Za-z0-9])',
  }),
  token({
    id: 'discord-bot-token',
    title: 'Discord bot token',
    family,
    keywords: ['discord', 'token', 'bot'],
    before: '(?<![A-Za-z0-9_.-])',
    pattern: '[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}',
    after: '(?![A-Za-z0-9_.-])',
    validate: validateDiscord,
  }),
  token({
    id: 'discord-webhook-url',
    title: 'Discord webhook URL',
    family,
    severity: 'medium',
    keywords: ['/api/webhooks/'],
    before: '',
    pattern: 'https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68}',
    after: '(?![A-Za-z0-9_-])',
  }),
  token({
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    family,
    keywords: [':aa'],
    // `bot<token>` in API URLs: a letter may precede the id.
    before: '(?<![0-9])',
    pattern: '[0-9]{8,10}:AA[A-Za-z0-9_-]{33}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  token({
    id: 'microsoft-teams-webhook',
    title: 'Microsoft Teams incoming webhook URL',
    family,
    severity: 'medium',
    keywords: ['webhook.office.com'],
    before: '',
    pattern: `https://[a-z0-9-]{1,60}\\.webhook\\.office\\.com/webhookb2/${UUID}@${UUID}/IncomingWebhook/[a-f0-9]{32}/${UUID}`,
    after: '',
  }),
  raw({
    id: 'power-automate-webhook',
    title: 'Power Automate / Logic Apps workflow trigger URL',
    family,
    severity: 'medium',
    keywords: ['logic.azure.com'],
    source:
      'https://[a-z0-9.-]{1,100}\\.logic\\.azure\\.com(?::443)?/workflows/[a-f0-9]{32}/triggers/[A-Za-z0-9_-]{1,60}/paths/invoke\\?[A-Za-z0-9&=%._-]{0,300}?sig=(?<secret>[A-Za-z0-9_-]{43})',
    minEntropy: 4,
  }),
  // Teams "Workflows" (the Power Automate successor of Office 365 connectors): the `sig` query
  // parameter is the credential.
  raw({
    id: 'microsoft-teams-workflow-webhook',
    title: 'Microsoft Teams Workflows webhook URL (Power Platform)',
    family,
    severity: 'medium',
    keywords: ['environment.api.powerplatform.com'],
    source:
      'https://[a-z0-9-]{1,80}\\.[a-z0-9]{1,10}\\.environment\\.api\\.powerplatform\\.com(?::443)?/powerautomate/automations/direct/workflows/[a-f0-9]{32}/triggers/[A-Za-z0-9_-]{1,60}/paths/invoke\\?[A-Za-z0-9&=%._-]{0,300}?sig=(?<secret>[A-Za-z0-9_-]{43})',
    minEntropy: 4,
  }),
  keyed({
    id: 'mattermost-access-token',
    title: 'Mattermost access token',
    family,
    keywords: ['mattermost'],
    names: ['mattermost[A-Za-z0-9_.-]{0,16}token'],
    value: '[a-z0-9]{26}',
    minEntropy: 3.2,
  }),
  keyed({
    id: 'pusher-app-secret',
    title: 'Pusher Channels app secret',
    family,
    keywords: ['pusher'],
    names: ['pusher[A-Za-z0-9_.-]{0,16}secret'],
    value: '[a-f0-9]{20}',
    minEntropy: 2.7,
  }),
  // --- Issue 11: Webex, Lark/Feishu, Zulip, Gitter.
  token({
    id: 'webex-access-token',
    title: 'Webex bot or integration access token',
    family,
    keywords: ['webex'],
    // 64 alphanumerics, a 4-character cluster id, and the org UUID: `<64>_<PF84>_<uuid>`.
    before: '(?<![A-Za-z0-9_])',
    pattern: `[A-Za-z0-9]{64}_[A-Z0-9]{4}_${UUID}`,
    minEntropy: 4,
  }),
  token({
    id: 'lark-webhook-url',
    title: 'Lark / Feishu bot webhook URL',
    family,
    severity: 'medium',
    keywords: ['/open-apis/bot/v2/hook/'],
    before: '',
    pattern: `https://open\\.(?:feishu\\.cn|larksuite\\.com)/open-apis/bot/v2/hook/${UUID}`,
    after: '(?![0-9a-f-])',
  }),
  keyed({ id: 'zulip-api-key', title: 'Zulip API key', family, keywords: ['zulip'], names: ['zulip[A-Za-z0-9_.-]{0,16}(?:api[_.-]|api)?key'], value: '[A-Za-z0-9]{32}', minEntropy: 3.5 }),
  keyed({ id: 'gitter-token', title: 'Gitter access token', family, keywords: ['gitter'], names: ['gitter[A-Za-z0-9_.-]{0,16}token'], value: '[a-f0-9]{40}', minEntropy: 3.3 }),
];
