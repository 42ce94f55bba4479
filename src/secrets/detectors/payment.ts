/** Payments and finance: Stripe, Braintree, Square, Plaid, PayPal, Flutterwave... */
import type { Detector, Validation } from '../types.js';
import { validateEd25519KeyPair } from '../validators/coinbase.js';
import { validatePrivateKeyBlock } from '../validators/structure.js';
import { keyed, raw, token, UUID } from './build.js';

const family = 'payment';

/**
 * Coinbase Developer Platform (CDP) keys come as a JSON file: `name` is
 * `organizations/<uuid>/apiKeys/<uuid>` and `privateKey` an EC key in PEM (with `\n` escapes).
 * The key block must decode to DER; the key name is safe to report.
 */
function validateCoinbaseKey(secret: string, m: RegExpExecArray): Validation {
  const v = validatePrivateKeyBlock(secret.replace(/\\n/g, '\n'));
  if (v.status === 'invalid') return v;
  const name = m.groups?.['name'];
  return name ? { ...v, properties: { keyName: name } } : v;
}

/** The key id written near an Ed25519 CDP secret: `"id": "<uuid>"` in the key file, `CDP_API_KEY_ID=<uuid>` in an env file. */
const CDP_KEY_ID = new RegExp(`(?:"id"|"name"|CDP_API_KEY_ID|apiKeyId|api_key_id)["']?[ \\t]{0,4}[:=][ \\t]{0,4}["']?(${UUID}|organizations/${UUID}/apiKeys/${UUID})(?![0-9a-f-])`, 'i');

/**
 * CDP "secret API keys" signed with Ed25519 are base64 of the seed followed by its public key:
 * only a real key pair passes. The key id (needed by `--verify`) is taken from within 300
 * characters either side.
 */
function validateCoinbaseEd25519(secret: string, m: RegExpExecArray): Validation {
  const v = validateEd25519KeyPair(secret);
  if (v.status !== 'valid') return v;
  const from = Math.max(0, m.index - 300);
  const id = CDP_KEY_ID.exec(m.input.slice(from, m.index + m[0].length + 300));
  return id?.[1] ? { ...v, properties: { keyName: id[1] } } : v;
}

export const PAYMENT_DETECTORS: Detector[] = [
  token({
    id: 'stripe-secret-key',
    title: 'Stripe live secret key',
    family,
    severity: 'critical',
    keywords: ['sk_live_'],
    pattern: 'sk_live_[A-Za-z0-9]{24,247}',
    minEntropy: 3.5,
  }),
  token({
    id: 'stripe-restricted-key',
    title: 'Stripe live restricted key',
    family,
    keywords: ['rk_live_'],
    pattern: 'rk_live_[A-Za-z0-9]{24,247}',
    minEntropy: 3.5,
  }),
  token({
    id: 'stripe-test-key',
    title: 'Stripe test-mode secret or restricted key',
    family,
    severity: 'low',
    keywords: ['sk_test_', 'rk_test_'],
    pattern: '[sr]k_test_[A-Za-z0-9]{24,247}',
    minEntropy: 3.5,
  }),
  token({
    id: 'stripe-webhook-secret',
    title: 'Stripe (or Svix) webhook signing secret',
    family,
    severity: 'medium',
    keywords: ['whsec_'],
    pattern: 'whsec_[A-Za-z0-9+/]{32,64}={0,2}',
    after: '(?![A-Za-z0-9+/=])',
    minEntropy: 3.8,
  }),
  token({
    id: 'braintree-access-token',
    title: 'Braintree (PayPal) access token',
    family,
    severity: 'critical',
    keywords: ['access_token$'],
    before: '(?<![A-Za-z0-9_])',
    pattern: 'access_token\\$(?:production|sandbox)\\$[a-z0-9]{16}\\$[a-f0-9]{32}',
  }),
  token({
    id: 'square-access-token',
    title: 'Square access token',
    family,
    severity: 'critical',
    keywords: ['eaaa', 'sq0atp-'],
    pattern: 'EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.8,
  }),
  token({
    id: 'square-oauth-secret',
    title: 'Square OAuth application secret',
    family,
    keywords: ['sq0csp-'],
    pattern: 'sq0csp-[A-Za-z0-9_-]{43}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.8,
  }),
  keyed({
    id: 'razorpay-key-secret',
    title: 'Razorpay key secret',
    family,
    keywords: ['razorpay', 'rzp_'],
    names: ['razorpay[A-Za-z0-9_.-]{0,16}secret', 'rzp[_.-](?:key[_.-])?secret'],
    value: '[A-Za-z0-9]{24}',
    minEntropy: 3.5,
  }),
  token({
    id: 'flutterwave-secret-key',
    title: 'Flutterwave secret key',
    family,
    severity: 'critical',
    keywords: ['flwseck'],
    pattern: 'FLWSECK(?:_TEST)?-[a-h0-9]{32}-X',
    minEntropy: 3,
  }),
  token({
    id: 'plaid-access-token',
    title: 'Plaid access token',
    family,
    keywords: ['access-sandbox-', 'access-development-', 'access-production-'],
    pattern: `access-(?:sandbox|development|production)-${UUID}`,
  }),
  keyed({
    id: 'plaid-secret',
    title: 'Plaid API secret',
    family,
    keywords: ['plaid'],
    names: ['plaid[A-Za-z0-9_.-]{0,16}secret'],
    value: '[a-f0-9]{30}',
    minEntropy: 3,
  }),
  keyed({
    id: 'paypal-client-secret',
    title: 'PayPal REST client secret',
    family,
    keywords: ['paypal'],
    names: ['paypal[A-Za-z0-9_.-]{0,16}secret'],
    value: '[A-Za-z0-9_-]{80}',
    minEntropy: 4,
  }),
  keyed({
    id: 'gocardless-api-token',
    title: 'GoCardless access token',
    family,
    keywords: ['gocardless'],
    names: ['gocardless[A-Za-z0-9_.-]{0,16}(?:token|key)'],
    value: '(?:live|sandbox)_[A-Za-z0-9_=-]{40}',
    minEntropy: 4,
  }),
  keyed({
    id: 'mollie-api-key',
    title: 'Mollie live API key',
    family,
    keywords: ['mollie'],
    names: ['mollie[A-Za-z0-9_.-]{0,16}(?:key|token)'],
    value: 'live_[A-Za-z0-9]{30}',
    minEntropy: 3.8,
  }),
  keyed({
    id: 'adyen-api-key',
    title: 'Adyen API key',
    family,
    severity: 'critical',
    keywords: ['adyen'],
    names: ['adyen[A-Za-z0-9_.-]{0,16}(?:key|token)'],
    value: 'AQE[A-Za-z0-9+/=._-]{60,300}',
    minEntropy: 4,
  }),
  // --- Issue 11 leftovers.
  // Checkout.com (current platform): `sk_sbox_` (sandbox) or `sk_` (live) + 26 lower-case base32
  // characters + one check character from [a-z2-7*#$=]. The live prefix is short, so medium.
  token({
    id: 'checkout-sandbox-secret-key',
    title: 'Checkout.com sandbox secret key',
    family,
    severity: 'medium',
    keywords: ['sk_sbox_'],
    pattern: 'sk_sbox_[a-z2-7]{26}[a-z2-7*#$=]',
    after: '(?![A-Za-z0-9_*#$=])',
    minEntropy: 3.5,
  }),
  token({
    id: 'checkout-secret-key',
    title: 'Checkout.com live secret key',
    family,
    severity: 'critical',
    confidence: 'medium',
    keywords: ['sk_'],
    pattern: 'sk_[a-z2-7]{26}[a-z2-7*#$=]',
    after: '(?![A-Za-z0-9_*#$=])',
    minEntropy: 3.5,
  }),
  // Previous platform (Checkout.com "ABC"): `sk_` or `sk_test_` + a UUID.
  token({
    id: 'checkout-legacy-secret-key',
    title: 'Checkout.com secret key (previous platform)',
    family,
    confidence: 'medium',
    keywords: ['sk_'],
    pattern: `sk_(?:test_)?${UUID}`,
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.2,
  }),
  raw({
    id: 'coinbase-cdp-api-key',
    title: 'Coinbase Developer Platform API key (key name with its EC private key)',
    family,
    severity: 'critical',
    keywords: ['/apikeys/'],
    source: `(?<name>organizations/${UUID}/apiKeys/${UUID})[\\s\\S]{0,300}?(?<secret>-----BEGIN EC PRIVATE KEY-----(?:\\\\n|[A-Za-z0-9+/=\\r\\n ]){64,1000}?-----END EC PRIVATE KEY-----)`,
    validate: validateCoinbaseKey,
  }),
  raw({
    id: 'coinbase-cdp-ed25519-key',
    title: 'Coinbase Developer Platform Ed25519 secret API key',
    family,
    severity: 'critical',
    keywords: ['privatekey', 'cdp_api_key_secret', 'apikeysecret', 'api_key_secret'],
    source: `(?:privateKey|CDP_API_KEY_SECRET|apiKeySecret|api_key_secret)["']?[ \\t]{0,4}(?:=|:|=>)[ \\t]{0,4}["'\`]?(?<secret>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])`,
    flags: 'i',
    validate: validateCoinbaseEd25519,
  }),
];
