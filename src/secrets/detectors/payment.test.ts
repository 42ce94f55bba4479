import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { ALNUM, B64, B64URL, checkCase, coverageGaps, Fake, HEX, LOWER_ALNUM, Rng, type DetectorCase } from './fake.js';
import { PAYMENT_DETECTORS } from './payment.js';

const BASE32L = 'abcdefghijklmnopqrstuvwxyz234567';

const f = new Fake(new Rng(5005));
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];

/** A CDP key file as downloaded: the PEM is JSON-escaped; the secret is the escaped block. */
const cdpJson = (pem: string): [string, string] => {
  const esc = pem.trim().replace(/\n/g, '\\n');
  return [`{\n  "name": "organizations/${f.uuid()}/apiKeys/${f.uuid()}",\n  "privateKey": "${esc}\\n"\n}`, esc];
};

// CDP Ed25519 secrets (base64 of seed + its public key) from our own seeded random bytes.
const ED_KEY = f.ed25519Cdp();
const ED_KEY_2 = f.ed25519Cdp();
const ED_ID = f.uuid();
/** Same length and alphabet, but the second half is not the first half's public key. */
const ED_FORGED = Buffer.concat([Buffer.from(f.rng.bytes(32)), Buffer.from(ED_KEY, 'base64').subarray(32)]).toString('base64');

const CASES: DetectorCase[] = [
  {
    id: 'stripe-secret-key',
    pos: [env('STRIPE_SECRET_KEY', `sk_live_${f.str(ALNUM, 24)}`), line(`sk_live_${f.str(ALNUM, 99)}`, (s) => `const stripe = require('stripe')('${s}');`)],
    neg: [`sk_live_${f.str(ALNUM, 10)}`, 'sk_live_abcdefghijklmnopqrstuvwxyz'],
  },
  { id: 'stripe-restricted-key', pos: [env('STRIPE_KEY', `rk_live_${f.str(ALNUM, 99)}`)], neg: [`rk_live_${'0'.repeat(24)}`] },
  { id: 'stripe-test-key', pos: [env('STRIPE_SECRET_KEY', `sk_test_${f.str(ALNUM, 24)}`)], neg: [`pk_test_${f.str(ALNUM, 24)}`] },
  { id: 'stripe-webhook-secret', pos: [env('STRIPE_WEBHOOK_SECRET', `whsec_${f.str(ALNUM, 32)}`)], neg: [`whsec_${f.str(ALNUM, 10)}`] },
  {
    id: 'braintree-access-token',
    pos: [env('BRAINTREE_TOKEN', `access_token$production$${f.str(LOWER_ALNUM, 16)}$${f.str(HEX, 32)}`)],
    neg: [`access_token$production$${f.str(LOWER_ALNUM, 16)}$${f.str(HEX, 10)}`],
  },
  { id: 'square-access-token', pos: [env('SQUARE_ACCESS_TOKEN', `EAAA${f.str(B64URL, 60)}`), env('SQUARE_TOKEN', `sq0atp-${f.str(B64URL, 22)}`)], neg: [`EAAA${f.str(B64URL, 30)}`] },
  { id: 'square-oauth-secret', pos: [env('SQUARE_APP_SECRET', `sq0csp-${f.str(B64URL, 43)}`)], neg: [`sq0csp-${f.str(B64URL, 20)}`] },
  { id: 'razorpay-key-secret', pos: [env('RAZORPAY_KEY_SECRET', f.str(ALNUM, 24))], neg: [`RAZORPAY_KEY_ID=rzp_live_${f.str(ALNUM, 14)}`] },
  { id: 'flutterwave-secret-key', pos: [env('FLW_SECRET_KEY', `FLWSECK-${f.str('abcdefgh0123456789', 32)}-X`)], neg: [`FLWPUBK-${f.str('abcdefgh0123456789', 32)}-X`] },
  { id: 'plaid-access-token', pos: [line(`access-production-${f.uuid()}`, (s) => `{"access_token": "${s}"}`)], neg: ['access-production-not-a-uuid'] },
  { id: 'plaid-secret', pos: [env('PLAID_SECRET', f.str(HEX, 30))], neg: [`PLAID_CLIENT_ID=${f.str(HEX, 24)}`] },
  { id: 'paypal-client-secret', pos: [env('PAYPAL_CLIENT_SECRET', `E${f.str(B64URL, 79)}`)], neg: [`PAYPAL_CLIENT_ID=A${f.str(B64URL, 79)}`] },
  { id: 'gocardless-api-token', pos: [env('GOCARDLESS_ACCESS_TOKEN', `live_${f.str(B64URL, 40)}`)], neg: [`GOCARDLESS_ACCESS_TOKEN=live_${f.str(B64URL, 12)}`] },
  { id: 'mollie-api-key', pos: [env('MOLLIE_API_KEY', `live_${f.str(ALNUM, 30)}`)], neg: [`MOLLIE_API_KEY=test_${f.str(ALNUM, 30)}`] },
  { id: 'adyen-api-key', pos: [env('ADYEN_API_KEY', `AQE${f.str(B64, 120)}`)], neg: [`ADYEN_MERCHANT_ACCOUNT=AcmeECOM`] },
  {
    id: 'checkout-sandbox-secret-key',
    pos: [env('CKO_SECRET_KEY', `sk_sbox_${f.str(BASE32L, 26)}*`), line(`sk_sbox_${f.str(BASE32L, 27)}`, (s) => `headers: { Authorization: 'Bearer ${s}' }`)],
    // 0, 1, 8 and 9 are not base32; one character short; one too many
    neg: [`sk_sbox_${f.str(BASE32L, 24)}18`, `sk_sbox_${f.str(BASE32L, 26)}`, `sk_sbox_${f.str(BASE32L, 28)}`, 'sk_sbox_XXXXXXXXXXXXXXXXXXXXXXXXXXX'],
  },
  { id: 'checkout-secret-key', pos: [env('CHECKOUT_SECRET_KEY', `sk_${f.str(BASE32L, 26)}#`)], neg: [`sk_${f.str(BASE32L, 20)}`, 'sk_abcdefghijklmnopqrstuvwxyz2', `sk_${f.str(BASE32L, 25)}9x`] },
  { id: 'checkout-legacy-secret-key', pos: [env('CHECKOUT_SECRET_KEY', `sk_test_${f.uuid()}`), env('CKO_SECRET', `sk_${f.uuid()}`)], neg: [`sk_test_${f.uuid().slice(0, 20)}`, 'sk_00000000-0000-0000-0000-000000000000'] },
  {
    id: 'coinbase-cdp-api-key',
    pos: [cdpJson(f.pem('ec'))],
    neg: [cdpJson(f.pem('ec').replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!'))[0], '{"name": "organizations/{org_id}/apiKeys/{key_id}", "privateKey": "-----BEGIN EC PRIVATE KEY-----\\n...\\n-----END EC PRIVATE KEY-----\\n"}'],
  },
  {
    id: 'coinbase-cdp-ed25519-key',
    pos: [
      line(ED_KEY, (s) => `{\n  "id": "${ED_ID}",\n  "privateKey": "${s}"\n}`),
      line(ED_KEY_2, (s) => `CDP_API_KEY_ID=${ED_ID}\nCDP_API_KEY_SECRET=${s}\n`),
      line(ED_KEY, (s) => `const cdp = new CdpClient({ apiKeyId: process.env.ID, apiKeySecret: '${s}' });`),
    ],
    neg: [
      `{"id": "${ED_ID}", "privateKey": "${ED_FORGED}"}`,
      `CDP_API_KEY_SECRET=${'A'.repeat(86)}==`,
      `CDP_API_KEY_SECRET=${ED_KEY.slice(0, 84)}==`,
      `{"privateKey": "${ED_KEY}x"}`,
    ],
  },
];

describe('payment detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(PAYMENT_DETECTORS, CASES)).toEqual([]));

  it('reports the CDP key name and rejects a corrupted key body', () => {
    const [text, pem] = cdpJson(f.pem('ec'));
    const m = detectSecrets(text).find((x) => x.detectorId === 'coinbase-cdp-api-key');
    expect(m?.secret).toBe(pem);
    expect(m?.validation.status).toBe('valid');
    expect(m?.validation.properties?.['keyName']).toMatch(/^organizations\/[0-9a-f-]{36}\/apiKeys\/[0-9a-f-]{36}$/);
    // The body's first byte is no longer DER: the key is rejected, and no less specific detector reports it as a Coinbase key.
    const corrupt = text.replace('MH', 'AH');
    expect(detectSecrets(corrupt).some((x) => x.detectorId === 'coinbase-cdp-api-key')).toBe(false);
  });

  it('an Ed25519 CDP key is high confidence only as a real key pair, with the key id written next to it', () => {
    const hit = (text: string) => detectSecrets(text).find((x) => x.detectorId === 'coinbase-cdp-ed25519-key');
    const file = hit(`{\n  "id": "${ED_ID}",\n  "privateKey": "${ED_KEY}"\n}`);
    expect([file?.secret, file?.confidence, file?.validation.status, file?.validation.properties]).toEqual([ED_KEY, 'high', 'valid', { keyName: ED_ID }]);
    expect(hit(`CDP_API_KEY_SECRET=${ED_KEY}`)?.validation.properties).toBeUndefined();
    expect(hit(`CDP_API_KEY_SECRET=${ED_FORGED}`)).toBeUndefined();
  });
});
