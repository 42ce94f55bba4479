import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { CHAT_DETECTORS } from './chat.js';
import { ALNUM, B64URL, checkCase, coverageGaps, DIGITS, Fake, HEX, LOWER_ALNUM, Rng, UPPER_ALNUM, type DetectorCase } from './fake.js';

const f = new Fake(new Rng(6006));
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];
const num = (n: number) => String(1 + f.rng.int(9)) + f.str(DIGITS, n - 1);

const CASES: DetectorCase[] = [
  {
    id: 'slack-bot-token',
    pos: [env('SLACK_BOT_TOKEN', `xoxb-${num(12)}-${num(13)}-${f.str(ALNUM, 24)}`), env('SLACK_TOKEN', `xoxb-${num(11)}-${f.str(ALNUM, 24)}`)],
    neg: ['SLACK_BOT_TOKEN=xoxb-your-token-here', `xoxb-${num(12)}-${num(13)}-${'x'.repeat(24)}`],
  },
  { id: 'slack-user-token', pos: [env('SLACK_USER_TOKEN', `xoxp-${num(12)}-${num(12)}-${num(13)}-${f.str(HEX, 32)}`)], neg: [`xoxp-${num(12)}-${f.str(HEX, 32)}`] },
  { id: 'slack-app-token', pos: [env('SLACK_APP_TOKEN', `xapp-1-A${f.str(UPPER_ALNUM, 10)}-${num(13)}-${f.str(HEX, 64)}`)], neg: [`xapp-1-A${f.str(UPPER_ALNUM, 10)}-${num(13)}-${f.str(HEX, 20)}`] },
  { id: 'slack-config-token', pos: [env('SLACK_CONFIG_TOKEN', `xoxe.xoxp-1-${f.str(ALNUM, 164)}`)], neg: [`xoxe.xoxp-1-${f.str(ALNUM, 40)}`] },
  { id: 'slack-config-refresh-token', pos: [env('SLACK_REFRESH', `xoxe-1-${f.str(ALNUM, 146)}`)], neg: [`xoxe-1-${f.str(ALNUM, 60)}`] },
  { id: 'slack-legacy-token', pos: [env('SLACK_TOKEN', `xoxs-${num(10)}-${f.str(ALNUM, 40)}`)], neg: ['xoxs-123-abc'] },
  {
    id: 'slack-webhook-url',
    pos: [
      ((u: string) => [`SLACK_WEBHOOK_URL=${u}`, u] as [string, string])(`https://hooks.slack.com/services/T${f.str(UPPER_ALNUM, 10)}/B${f.str(UPPER_ALNUM, 10)}/${f.str(ALNUM, 24)}`),
      ((u: string) => [`curl -X POST ${u} -d @payload.json`, u] as [string, string])(`https://hooks.slack.com/workflows/T${f.str(UPPER_ALNUM, 10)}/A${f.str(UPPER_ALNUM, 10)}/${num(18)}/${f.str(ALNUM, 24)}`),
      ((u: string) => [`webhook: ${u}`, u] as [string, string])(`https://hooks.slack.com/triggers/T${f.str(UPPER_ALNUM, 10)}/${num(13)}/${f.str(HEX, 32)}`),
    ],
    neg: [
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'see https://hooks.slack.com/services/ for details',
      `https://hooks.slack.com/workflows/T${f.str(UPPER_ALNUM, 10)}/A${f.str(UPPER_ALNUM, 10)}/${num(18)}/`,
    ],
  },
  {
    id: 'discord-bot-token',
    pos: [env('DISCORD_TOKEN', f.discordBot()), line(f.discordBot(), (s) => `client.login("${s}")  // bot`)],
    neg: [`DISCORD_TOKEN=${Buffer.from('not a discord user id').toString('base64url').slice(0, 24).replace(/^./, 'M')}.${f.str(B64URL, 6)}.${f.str(B64URL, 38)}`],
  },
  {
    id: 'discord-webhook-url',
    pos: [((u: string) => [`webhook: ${u}`, u] as [string, string])(`https://discord.com/api/webhooks/${num(19)}/${f.str(B64URL, 68)}`)],
    neg: [`https://discord.com/api/webhooks/${num(19)}/short`],
  },
  {
    id: 'telegram-bot-token',
    pos: [env('TELEGRAM_BOT_TOKEN', `${num(10)}:AA${f.str(B64URL, 33)}`), line(`${num(9)}:AA${f.str(B64URL, 33)}`, (s) => `curl https://api.telegram.org/bot${s}/sendMessage`)],
    neg: [`${num(10)}:AA${f.str(B64URL, 20)}`, `${num(10)}:AB${f.str(B64URL, 33)}`],
  },
  {
    id: 'microsoft-teams-webhook',
    pos: [((u: string) => [`TEAMS_WEBHOOK=${u}`, u] as [string, string])(`https://acme.webhook.office.com/webhookb2/${f.uuid()}@${f.uuid()}/IncomingWebhook/${f.str(HEX, 32)}/${f.uuid()}`)],
    neg: ['https://acme.webhook.office.com/webhookb2/<id>@<tenant>/IncomingWebhook/<key>/<user>'],
  },
  {
    id: 'power-automate-webhook',
    pos: [line(f.str(B64URL, 43), (s) => `url: https://prod-12.westeurope.logic.azure.com:443/workflows/${f.str(HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${s}`)],
    neg: [`https://prod-12.westeurope.logic.azure.com:443/workflows/${f.str(HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01`],
  },
  {
    id: 'microsoft-teams-workflow-webhook',
    pos: [
      line(
        f.str(B64URL, 43),
        (s) =>
          `TEAMS_WEBHOOK=https://default${f.str(HEX, 32)}.${f.str(HEX, 2)}.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/${f.str(HEX, 32)}/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${s}`,
      ),
    ],
    neg: [
      `https://default${f.str(HEX, 32)}.${f.str(HEX, 2)}.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/${f.str(HEX, 32)}/triggers/manual/paths/invoke?api-version=1`,
      `https://default${f.str(HEX, 32)}.${f.str(HEX, 2)}.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/${f.str(HEX, 32)}/triggers/manual/paths/invoke?sig=${'A'.repeat(43)}`,
    ],
  },
  { id: 'mattermost-access-token', pos: [env('MATTERMOST_TOKEN', f.str(LOWER_ALNUM, 26))], neg: ['MATTERMOST_URL=https://chat.example.org'] },
  { id: 'pusher-app-secret', pos: [env('PUSHER_APP_SECRET', f.str(HEX, 20))], neg: [`PUSHER_APP_KEY=${f.str(HEX, 20)}`] },
  {
    id: 'webex-access-token',
    pos: [env('WEBEX_ACCESS_TOKEN', `${f.str(ALNUM, 64)}_${f.str(UPPER_ALNUM, 4)}_${f.uuid()}`)],
    neg: [`WEBEX_ACCESS_TOKEN=${f.str(ALNUM, 64)}`, `WEBEX_ACCESS_TOKEN=${f.str(ALNUM, 40)}_${f.str(UPPER_ALNUM, 4)}_${f.uuid()}`],
  },
  {
    id: 'lark-webhook-url',
    pos: [line(`https://open.feishu.cn/open-apis/bot/v2/hook/${f.uuid()}`, (s) => `LARK_WEBHOOK=${s}`), line(`https://open.larksuite.com/open-apis/bot/v2/hook/${f.uuid()}`, (s) => `curl -X POST "${s}"`)],
    neg: ['https://open.feishu.cn/open-apis/bot/v2/hook/', 'https://open.feishu.cn/open-apis/bot/v2/hook/00000000-0000-0000-0000-000000000000'],
  },
  { id: 'zulip-api-key', pos: [env('ZULIP_API_KEY', f.str(ALNUM, 32))], neg: [`ZULIP_SITE=${f.str(ALNUM, 32)}`, `ZULIP_API_KEY=${f.str(ALNUM, 20)}`] },
  { id: 'gitter-token', pos: [env('GITTER_TOKEN', f.str(HEX, 40))], neg: [`GITTER_ROOM=${f.str(HEX, 40)}`, `GITTER_TOKEN=${f.str(HEX, 30)}`] },
];

describe('chat detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(CHAT_DETECTORS, CASES)).toEqual([]));
});
