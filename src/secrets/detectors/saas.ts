/** SaaS and developer platforms: Atlassian, Linear, Notion, Postman, Shopify, HubSpot, Figma, Okta... */
import type { Detector, Validation } from '../types.js';
import { decodeBase64Json } from '../validators/structure.js';
import { shannonEntropy } from '../entropy.js';
import { plausibleToken } from './decoys.js';
import { keyed, raw, token, UUID } from './build.js';

const family = 'saas';

/** Jira/Confluence Data Center PATs: 44 base64 characters of `<numeric token id>:<random bytes>`. */
function validateDataCenterPat(secret: string): Validation {
  const text = Buffer.from(secret, 'base64').toString('latin1');
  return /^[0-9]{6,16}:/.test(text) ? { status: 'valid', note: 'decodes to <id>:<secret>' } : { status: 'invalid', note: 'does not decode to <id>:<secret>' };
}

/** Mapbox secret tokens: `sk.` + base64url JSON naming the user (`{"u":...}`) + `.` + 22 characters. */
/**
 * GoDaddy `key:secret`: each half must look machine-made on its own (a random key next to a
 * made-up secret is a documentation example), and the secret half carries the entropy.
 */
function validateGodaddyPair(pair: string): Validation {
  const colon = pair.indexOf(':');
  for (const half of [pair.slice(0, colon), pair.slice(colon + 1)]) {
    const v = plausibleToken(half);
    if (v.status === 'invalid') return v;
  }
  return shannonEntropy(pair.slice(colon + 1)) < 3.5 ? { status: 'invalid', note: 'low-entropy secret half' } : { status: 'unknown' };
}

function validateMapbox(secret: string): Validation {
  const json = decodeBase64Json(secret.split('.')[1] ?? '');
  return json && typeof json['u'] === 'string'
    ? { status: 'valid', note: 'payload names a Mapbox user', properties: { user: json['u'] } }
    : { status: 'invalid', note: 'payload is not Mapbox JSON' };
}

/** Intercom access tokens are base64 of `tok:<uuid>` and similar. */
function validateIntercom(secret: string): Validation {
  const text = Buffer.from(secret, 'base64').toString('latin1');
  return /^tok:[0-9a-f_-]{20,}/i.test(text) ? { status: 'valid', note: 'decodes to tok:...' } : { status: 'invalid', note: 'does not decode to tok:...' };
}

function shopify(id: string, prefix: string, title: string): Detector {
  return token({ id, title, family, keywords: [prefix], pattern: `${prefix}[a-fA-F0-9]{32}`, minEntropy: 3 });
}

export const SAAS_DETECTORS: Detector[] = [
  token({
    id: 'atlassian-api-token',
    title: 'Atlassian API token',
    family,
    keywords: ['atatt3'],
    pattern: 'ATATT3[A-Za-z0-9_=-]{180,200}',
    after: '(?![A-Za-z0-9_=-])',
    minEntropy: 4,
  }),
  keyed({
    id: 'atlassian-legacy-api-token',
    title: 'Atlassian (Jira / Confluence) API token, legacy format',
    family,
    keywords: ['atlassian', 'jira', 'confluence'],
    names: ['(?:atlassian|jira|confluence)[A-Za-z0-9_.-]{0,20}(?:token|key)'],
    value: '[A-Za-z0-9]{24}',
    minEntropy: 3.5,
  }),
  token({ id: 'linear-api-key', title: 'Linear API key', family, keywords: ['lin_api_'], pattern: 'lin_api_[A-Za-z0-9]{40}', minEntropy: 4 }),
  token({ id: 'linear-oauth-token', title: 'Linear OAuth access token', family, keywords: ['lin_oauth_'], pattern: 'lin_oauth_[a-f0-9]{64}', minEntropy: 3.2 }),
  token({ id: 'notion-integration-token', title: 'Notion integration token', family, keywords: ['secret_'], pattern: 'secret_[A-Za-z0-9]{43}', minEntropy: 4.2 }),
  token({ id: 'notion-api-token', title: 'Notion API token', family, keywords: ['ntn_'], pattern: 'ntn_[0-9]{11}[A-Za-z0-9]{35}', minEntropy: 4 }),
  token({ id: 'postman-api-key', title: 'Postman API key', family, keywords: ['pmak-'], pattern: 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}', minEntropy: 3.5 }),
  token({
    id: 'asana-pat',
    title: 'Asana personal access token',
    family,
    keywords: ['1/', '2/'],
    before: '(?<![A-Za-z0-9_/])',
    pattern: '1/[0-9]{10,16}:[a-f0-9]{32}|2/[0-9]{10,16}/[0-9]{10,16}:[a-f0-9]{32}',
    minEntropy: 3,
  }),
  token({ id: 'airtable-pat', title: 'Airtable personal access token', family, keywords: ['pat'], pattern: 'pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}', minEntropy: 3.5 }),
  token({
    id: 'figma-pat',
    title: 'Figma personal access token',
    family,
    keywords: ['figd_'],
    pattern: 'figd_[A-Za-z0-9_-]{40}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 4,
  }),
  shopify('shopify-access-token', 'shpat_', 'Shopify Admin API access token'),
  shopify('shopify-custom-app-token', 'shpca_', 'Shopify custom app access token'),
  shopify('shopify-private-app-token', 'shppa_', 'Shopify private app access token'),
  shopify('shopify-shared-secret', 'shpss_', 'Shopify app shared secret'),
  token({
    id: 'hubspot-private-app-token',
    title: 'HubSpot private app access token',
    family,
    keywords: ['pat-na', 'pat-eu', 'pat-ap'],
    pattern: `pat-(?:na|eu|ap)[0-9]-${UUID}`,
  }),
  keyed({
    id: 'hubspot-api-key',
    title: 'HubSpot API key (legacy)',
    family,
    keywords: ['hubspot', 'hapikey'],
    names: ['hubspot[A-Za-z0-9_.-]{0,20}key', 'hapikey'],
    value: UUID,
    minEntropy: 3,
  }),
  token({
    id: 'typeform-token',
    title: 'Typeform personal access token',
    family,
    keywords: ['tfp_'],
    pattern: 'tfp_[A-Za-z0-9_.=-]{55,64}',
    after: '(?![A-Za-z0-9_.=-])',
    minEntropy: 4,
  }),
  token({
    id: 'contentful-pat',
    title: 'Contentful personal access token',
    family,
    keywords: ['cfpat-'],
    pattern: 'CFPAT-[A-Za-z0-9_-]{43}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 4,
  }),
  token({
    id: 'dropbox-short-lived-token',
    title: 'Dropbox short-lived access token',
    family,
    severity: 'medium',
    keywords: ['sl.'],
    pattern: 'sl\\.[A-Za-z0-9_-]{130,1500}',
    after: '(?![A-Za-z0-9_.-])',
    minEntropy: 4,
  }),
  keyed({
    id: 'dropbox-long-lived-token',
    title: 'Dropbox long-lived access token',
    family,
    keywords: ['dropbox'],
    names: ['dropbox[A-Za-z0-9_.-]{0,20}(?:token|key)'],
    value: '[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=-]{43}',
    plausible: false,
  }),
  token({
    id: 'mapbox-secret-token',
    title: 'Mapbox secret access token',
    family,
    keywords: ['sk.eyj1ijoi'],
    pattern: 'sk\\.eyJ1Ijoi[A-Za-z0-9_-]{20,200}\\.[A-Za-z0-9_-]{22}',
    after: '(?![A-Za-z0-9_.-])',
    validate: validateMapbox,
  }),
  token({
    id: 'launchdarkly-key',
    title: 'LaunchDarkly SDK key or API access token',
    family,
    keywords: ['sdk-', 'api-'],
    pattern: `(?:sdk|api)-${UUID}`,
  }),
  keyed({
    id: 'okta-api-token',
    title: 'Okta API token',
    family,
    keywords: ['okta'],
    names: ['okta[A-Za-z0-9_.-]{0,20}(?:token|key)'],
    value: '00[A-Za-z0-9_-]{40}',
    minEntropy: 4,
  }),
  token({
    id: 'salesforce-access-token',
    title: 'Salesforce access token',
    family,
    keywords: ['00d'],
    pattern: '00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,120}',
    after: '(?![A-Za-z0-9._])',
    minEntropy: 4,
  }),
  token({ id: 'easypost-api-key', title: 'EasyPost production API key', family, keywords: ['ezak'], pattern: 'EZAK[A-Za-z0-9]{54}', minEntropy: 4 }),
  token({ id: 'easypost-test-api-key', title: 'EasyPost test API key', family, severity: 'low', keywords: ['eztk'], pattern: 'EZTK[A-Za-z0-9]{54}', minEntropy: 4 }),
  token({
    id: 'duffel-api-token',
    title: 'Duffel API token',
    family,
    keywords: ['duffel_'],
    pattern: 'duffel_(?:test|live)_[A-Za-z0-9_=-]{43}',
    after: '(?![A-Za-z0-9_=-])',
    minEntropy: 4,
  }),
  token({ id: 'shippo-api-token', title: 'Shippo API token', family, keywords: ['shippo_'], pattern: 'shippo_(?:live|test)_[a-f0-9]{40}', minEntropy: 3 }),
  token({ id: 'adobe-client-secret', title: 'Adobe OAuth client secret', family, keywords: ['p8e-'], pattern: 'p8e-[A-Za-z0-9]{32}', minEntropy: 3.8 }),
  token({ id: 'readme-api-key', title: 'ReadMe API key', family, keywords: ['rdme_'], pattern: 'rdme_[a-z0-9]{70}', minEntropy: 4 }),
  token({
    id: 'frameio-api-token',
    title: 'Frame.io developer token',
    family,
    keywords: ['fio-u-'],
    pattern: 'fio-u-[A-Za-z0-9_=-]{64}',
    after: '(?![A-Za-z0-9_=-])',
    minEntropy: 4,
  }),
  token({ id: 'prefect-api-key', title: 'Prefect Cloud API key', family, keywords: ['pnu_'], pattern: 'pnu_[A-Za-z0-9]{36}', minEntropy: 4 }),
  token({
    id: 'intercom-access-token',
    title: 'Intercom access token',
    family,
    keywords: ['dg9ro'],
    pattern: 'dG9rO[A-Za-z0-9+/]{40,80}={0,2}',
    after: '(?![A-Za-z0-9+/=])',
    validate: validateIntercom,
  }),
  token({
    id: 'twitter-bearer-token',
    title: 'X (Twitter) app bearer token',
    family,
    keywords: ['aaaaaaaaaaaaaaaaaaaaa'],
    pattern: 'A{22}[A-Za-z0-9%]{80,120}',
    after: '(?![A-Za-z0-9%])',
    minEntropy: 4,
    plausible: false,
  }),
  token({
    id: 'facebook-access-token',
    title: 'Meta (Facebook) access token',
    family,
    keywords: ['eaa'],
    pattern: 'EAA[A-Z][A-Za-z0-9]{96,300}',
    minEntropy: 4.5,
  }),
  keyed({
    id: 'zendesk-api-token',
    title: 'Zendesk API token',
    family,
    keywords: ['zendesk'],
    names: ['zendesk[A-Za-z0-9_.-]{0,20}(?:token|key)'],
    value: '[A-Za-z0-9]{40}',
    minEntropy: 4,
  }),
  keyed({
    id: 'algolia-admin-key',
    title: 'Algolia admin or write API key',
    family,
    keywords: ['algolia'],
    names: ['algolia[A-Za-z0-9_.-]{0,20}(?:admin|write|api)[_.-]?key'],
    value: '[a-f0-9]{32}',
    minEntropy: 3,
  }),
  keyed({
    id: 'auth0-client-secret',
    title: 'Auth0 client secret',
    family,
    keywords: ['auth0'],
    names: ['auth0[A-Za-z0-9_.-]{0,20}secret'],
    value: '[A-Za-z0-9_-]{64}',
    minEntropy: 4.5,
  }),
  token({
    id: 'maxmind-license-key',
    title: 'MaxMind license key',
    family,
    severity: 'medium',
    keywords: ['_mmk'],
    pattern: '[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk',
    anchor: '_mmk',
    minEntropy: 4,
  }),
  token({
    id: 'zapier-webhook-url',
    title: 'Zapier catch hook URL',
    family,
    severity: 'medium',
    keywords: ['hooks.zapier.com'],
    before: '',
    pattern: 'https://hooks\\.zapier\\.com/hooks/catch/[0-9]{3,12}/[a-z0-9]{5,12}',
    after: '(?![a-z0-9])',
  }),
  raw({
    id: 'cloudinary-url',
    title: 'Cloudinary URL with API secret',
    family,
    keywords: ['cloudinary://'],
    source: 'cloudinary://[0-9]{12,18}:(?<secret>[A-Za-z0-9_-]{20,40})@[a-z0-9_-]{1,100}',
    minEntropy: 3.5,
  }),
  keyed({
    id: 'trello-api-token',
    title: 'Trello API token',
    family,
    keywords: ['trello'],
    names: ['trello[A-Za-z0-9_.-]{0,20}token'],
    value: 'ATTA[a-f0-9]{64}[A-F0-9]{8}|[a-f0-9]{64}',
    minEntropy: 3.2,
  }),
  keyed({
    id: 'mixpanel-api-secret',
    title: 'Mixpanel API secret',
    family,
    keywords: ['mixpanel'],
    names: ['mixpanel[A-Za-z0-9_.-]{0,20}secret'],
    value: '[a-f0-9]{32}',
    minEntropy: 3,
  }),
  keyed({
    id: 'twitch-client-secret',
    title: 'Twitch client secret or OAuth token',
    family,
    keywords: ['twitch'],
    names: ['twitch[A-Za-z0-9_.-]{0,20}(?:secret|token)'],
    value: '[a-z0-9]{30}',
    minEntropy: 3.4,
  }),
  keyed({
    id: 'spotify-client-secret',
    title: 'Spotify client secret',
    family,
    keywords: ['spotify'],
    names: ['spotify[A-Za-z0-9_.-]{0,20}secret'],
    value: '[a-f0-9]{32}',
    minEntropy: 3,
  }),
  // --- Self-hosted and data platforms (issue 11).
  token({ id: 'portainer-access-token', title: 'Portainer API access token', family, keywords: ['ptr_'], pattern: 'ptr_[A-Za-z0-9+/]{43}=?', after: '(?![A-Za-z0-9+/=])', minEntropy: 4 }),
  keyed({ id: 'ngrok-credential', title: 'ngrok authtoken or API key', family, keywords: ['ngrok'], names: ['ngrok[A-Za-z0-9_.-]{0,16}(?:auth[_.-]?token|api[_.-]?key|token|key)'], value: '[0-9A-Za-z]{20,30}_[0-9A-Za-z]{15,30}', minEntropy: 3.5 }),
  keyed({ id: 'etherscan-api-key', title: 'Etherscan API key', family, keywords: ['etherscan'], names: ['etherscan[A-Za-z0-9_.-]{0,16}(?:api[_.-]|api)?key'], value: '[A-Z0-9]{34}', minEntropy: 3.5 }),
  keyed({ id: 'cloudsmith-api-key', title: 'Cloudsmith API key', family, keywords: ['cloudsmith'], names: ['cloudsmith[A-Za-z0-9_.-]{0,16}(?:api[_.-]|api)?key'], value: '[a-f0-9]{40}', minEntropy: 3.3 }),
  keyed({ id: 'packagecloud-token', title: 'Packagecloud API token', family, keywords: ['packagecloud'], names: ['packagecloud[A-Za-z0-9_.-]{0,16}token'], value: '[a-f0-9]{48}', minEntropy: 3.3 }),
  keyed({
    id: 'facebook-app-token',
    title: 'Meta (Facebook) app access token (app_id|app_secret)',
    family,
    keywords: ['facebook', 'fb_', 'fb-', 'fb.'],
    names: ['(?:facebook|fb)[A-Za-z0-9_.-]{0,20}(?:token|secret)'],
    value: '[0-9]{15,16}\\|[a-f0-9]{32}',
    minEntropy: 3,
  }),
  keyed({
    id: 'atlassian-datacenter-pat',
    title: 'Jira / Confluence Data Center personal access token',
    family,
    keywords: ['jira', 'confluence'],
    names: ['(?:jira|confluence)[A-Za-z0-9_.-]{0,20}(?:pat|token)'],
    value: '[A-Za-z0-9+/]{44}',
    validate: validateDataCenterPat,
  }),
  // `BBDC-` + 44 base64 characters. Atlassian Data Center tokens (Jira/Confluence PATs above) are
  // base64 of `<numeric id>:<random bytes>`; a Bitbucket token that decodes the same way passes
  // the format check, one that does not is still reported (the exact body is not documented).
  token({
    id: 'bitbucket-datacenter-token',
    title: 'Bitbucket Data Center HTTP access token',
    family,
    confidence: 'medium',
    keywords: ['bbdc-'],
    pattern: 'BBDC-[A-Za-z0-9+/_-]{40,60}',
    after: '(?![A-Za-z0-9+/=_-])',
    minEntropy: 4,
    validate: (secret) => {
      const v = plausibleToken(secret);
      if (v.status === 'invalid') return v;
      return /^[0-9]{6,16}:/.test(Buffer.from(secret.slice(5), 'base64').toString('latin1')) ? { status: 'valid', note: 'decodes to <id>:<secret>' } : v;
    },
  }),
  // --- Identity and status tooling (issue 11): keyed, medium.
  keyed({ id: 'duo-secret-key', title: 'Duo integration secret key', family, keywords: ['duo'], names: ['duo[A-Za-z0-9_.-]{0,16}(?:secret[_.-]?key|skey)'], value: '[A-Za-z0-9]{40}', minEntropy: 3.5 }),
  keyed({ id: 'onelogin-client-secret', title: 'OneLogin API client secret', family, keywords: ['onelogin'], names: ['onelogin[A-Za-z0-9_.-]{0,16}(?:client[_.-]|client)?secret'], value: '[a-f0-9]{64}', minEntropy: 3.5 }),
  keyed({ id: 'jumpcloud-api-key', title: 'JumpCloud API key', family, keywords: ['jumpcloud'], names: ['jumpcloud[A-Za-z0-9_.-]{0,16}(?:api[_.-]|api)?key'], value: '[a-f0-9]{40}', minEntropy: 3.3 }),
  keyed({ id: 'statuspage-api-key', title: 'Atlassian Statuspage API key', family, keywords: ['statuspage'], names: ['statuspage[A-Za-z0-9_.-]{0,16}(?:api[_.-]|api)?(?:key|token)'], value: '[a-f0-9]{32}|' + UUID, minEntropy: 3 }),
  keyed({ id: 'confluent-api-secret', title: 'Confluent Cloud API secret', family, keywords: ['confluent'], names: ['confluent[A-Za-z0-9_.-]{0,24}secret'], value: '[A-Za-z0-9+/]{64}', minEntropy: 4 }),
  keyed({ id: 'aiven-api-token', title: 'Aiven API token', family, keywords: ['aiven'], names: ['aiven[A-Za-z0-9_.-]{0,16}token'], value: '[A-Za-z0-9+/=]{300,400}', minEntropy: 4.5 }),
  // --- Issue 11 leftovers.
  // GoDaddy API: `Authorization: sso-key <key>:<secret>`; the key (~35 characters, with `_`) is
  // shown next to its secret (~22 characters) once. The credential is the pair, so the pair is
  // what is reported (and starred out in code frames) and what `--verify` sends. No checksum: medium.
  raw({
    id: 'godaddy-api-key',
    title: 'GoDaddy API key and secret (sso-key header)',
    family,
    confidence: 'medium',
    keywords: ['sso-key'],
    source: '(?<![A-Za-z0-9_-])sso-key[ \\t]{1,4}(?<secret>[A-Za-z0-9_]{20,64}:[A-Za-z0-9_]{16,64})(?![A-Za-z0-9_])',
    flags: 'i',
    validate: validateGodaddyPair,
  }),
  // Checkly user API keys: `cu_` + 32 hex. A short prefix on a hex run (a `cu_<md5>` id is
  // possible): medium.
  token({ id: 'checkly-api-key', title: 'Checkly user API key', family, confidence: 'medium', keywords: ['cu_'], pattern: 'cu_[a-f0-9]{32}', minEntropy: 3.2 }),
  token({ id: 'rootly-api-key', title: 'Rootly API key', family, severity: 'critical', keywords: ['rootly_'], pattern: 'rootly_[a-f0-9]{64}', minEntropy: 3.5 }),
  // Segment public API tokens share `sgp_` with Sourcegraph, whose tokens are 40 hex (after an
  // optional 16-hex or `local` part); Segment's are 64 alphanumerics.
  token({ id: 'segment-public-api-token', title: 'Segment public API token', family, severity: 'critical', keywords: ['sgp_'], pattern: 'sgp_[A-Za-z0-9]{64}', minEntropy: 4 }),
  // Write keys only send events (they sit in browser snippets): low severity, keyed.
  keyed({
    id: 'segment-write-key',
    title: 'Segment source write key',
    family,
    severity: 'low',
    keywords: ['segment'],
    names: ['segment[A-Za-z0-9_.-]{0,16}write[_.-]?key'],
    value: '[A-Za-z0-9]{32}',
    minEntropy: 3.8,
  }),
];
