import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { ALNUM, B64URL, checkCase, coverageGaps, DIGITS, Fake, HEX, Rng, type DetectorCase } from './fake.js';
import { MESSAGING_DETECTORS } from './messaging.js';

const f = new Fake(new Rng(7007));
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];

const CASES: DetectorCase[] = [
  { id: 'twilio-api-key', pos: [env('TWILIO_API_KEY', `SK${f.str(HEX, 32)}`)], neg: [`SK${f.str(HEX, 20)}`, `TWILIO_ACCOUNT_SID=AC${f.str(HEX, 32)}`] },
  { id: 'twilio-auth-token', pos: [env('TWILIO_AUTH_TOKEN', f.str(HEX, 32))], neg: [`TWILIO_ACCOUNT_SID=AC${f.str(HEX, 32)}`] },
  { id: 'sendgrid-api-key', pos: [env('SENDGRID_API_KEY', `SG.${f.str(B64URL, 22)}.${f.str(B64URL, 43)}`)], neg: [`SG.${f.str(B64URL, 22)}.${f.str(B64URL, 20)}`] },
  { id: 'mailgun-api-key', pos: [env('MAILGUN_API_KEY', `key-${f.str(HEX, 32)}`)], neg: [`cache-key-${f.str(HEX, 32)}`, `key-${f.str(HEX, 16)}`] },
  { id: 'mailgun-private-key', pos: [env('MAILGUN_API_KEY', `${f.str(HEX, 32)}-${f.str(HEX, 8)}-${f.str(HEX, 8)}`)], neg: [`${f.str(HEX, 32)}-${f.str(HEX, 8)}-${f.str(HEX, 8)}`] },
  { id: 'mailchimp-api-key', pos: [env('MAILCHIMP_API_KEY', `${f.str(HEX, 32)}-us${1 + f.rng.int(20)}`)], neg: [`${f.str(HEX, 20)}-us6`] },
  { id: 'brevo-api-key', pos: [env('BREVO_API_KEY', `xkeysib-${f.str(HEX, 64)}-${f.str(ALNUM, 16)}`)], neg: [`xkeysib-${f.str(HEX, 30)}`] },
  { id: 'brevo-smtp-key', pos: [env('SMTP_PASSWORD', `xsmtpsib-${f.str(HEX, 64)}-${f.str(ALNUM, 16)}`)], neg: [`xsmtpsib-${f.str(HEX, 64)}`] },
  { id: 'postmark-server-token', pos: [env('POSTMARK_SERVER_TOKEN', f.uuid())], neg: ['POSTMARK_SERVER_TOKEN=POSTMARK_API_TEST'] },
  { id: 'mandrill-api-key', pos: [env('MANDRILL_API_KEY', f.str(B64URL, 22))], neg: [`MANDRILL_API_KEY=${'x'.repeat(22)}`] },
  { id: 'mailjet-secret-key', pos: [env('MAILJET_SECRET_KEY', f.str(HEX, 32)), env('MJ_APIKEY_PRIVATE', f.str(HEX, 32))], neg: [`MJ_APIKEY_PUBLIC=${f.str(HEX, 32)}`] },
  { id: 'sparkpost-api-key', pos: [env('SPARKPOST_API_KEY', f.str(HEX, 40))], neg: [`SPARKPOST_API_KEY=${f.str(HEX, 20)}`] },
  { id: 'vonage-api-secret', pos: [env('VONAGE_API_SECRET', f.str(ALNUM, 16))], neg: [`VONAGE_API_KEY=${f.str(HEX, 8)}`] },
  { id: 'messagebird-api-key', pos: [env('MESSAGEBIRD_API_KEY', f.str(ALNUM, 25))], neg: ['MESSAGEBIRD_ORIGINATOR=AcmeInc'] },
  { id: 'plivo-auth-token', pos: [env('PLIVO_AUTH_TOKEN', f.str(ALNUM, 40))], neg: [`PLIVO_AUTH_ID=MA${f.str(DIGITS, 18)}`] },
  { id: 'sendbird-api-token', pos: [env('SENDBIRD_API_TOKEN', f.str(HEX, 40))], neg: [`SENDBIRD_APP_ID=${f.uuid()}`] },
];

describe('messaging detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(MESSAGING_DETECTORS, CASES)).toEqual([]));
});
