import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { ALNUM, B64, B64URL, checkCase, coverageGaps, DIGITS, Fake, HEX, HEX_UPPER, LOWER_ALNUM, Rng, UPPER, type DetectorCase } from './fake.js';
import { SAAS_DETECTORS } from './saas.js';

const f = new Fake(new Rng(1111));
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];
const num = (n: number) => String(1 + f.rng.int(9)) + f.str(DIGITS, n - 1);

const CASES: DetectorCase[] = [
  { id: 'atlassian-api-token', pos: [env('JIRA_API_TOKEN', `ATATT3xFfGF0${f.str(B64URL, 171)}=${f.str(HEX_UPPER, 8)}`)], neg: [`ATATT3${f.str(B64URL, 60)}`] },
  { id: 'atlassian-legacy-api-token', pos: [env('JIRA_API_TOKEN', f.str(ALNUM, 24)), env('CONFLUENCE_TOKEN', f.str(ALNUM, 24))], neg: ['JIRA_BASE_URL=https://acme.atlassian.net', `JIRA_PROJECT_KEY=${f.str(UPPER, 4)}`] },
  { id: 'linear-api-key', pos: [env('LINEAR_API_KEY', `lin_api_${f.str(ALNUM, 40)}`)], neg: [`lin_api_${f.str(ALNUM, 20)}`] },
  { id: 'linear-oauth-token', pos: [env('LINEAR_TOKEN', `lin_oauth_${f.str(HEX, 64)}`)], neg: [`lin_oauth_${f.str(HEX, 30)}`] },
  { id: 'notion-integration-token', pos: [env('NOTION_TOKEN', `secret_${f.str(ALNUM, 43)}`)], neg: ['secret_key_base_for_development_only_please_change_it', `secret_${f.str(ALNUM, 20)}`] },
  { id: 'notion-api-token', pos: [env('NOTION_TOKEN', `ntn_${f.str(DIGITS, 11)}${f.str(ALNUM, 35)}`)], neg: [`ntn_${f.str(ALNUM, 20)}`] },
  { id: 'postman-api-key', pos: [env('POSTMAN_API_KEY', `PMAK-${f.str(HEX, 24)}-${f.str(HEX, 34)}`)], neg: [`PMAK-${f.str(HEX, 24)}`] },
  { id: 'asana-pat', pos: [env('ASANA_PAT', `2/${num(16)}/${num(16)}:${f.str(HEX, 32)}`), env('ASANA_TOKEN', `1/${num(13)}:${f.str(HEX, 32)}`)], neg: ['ratio 1/2: half', `2/${num(16)}:${f.str(HEX, 20)}`] },
  { id: 'airtable-pat', pos: [env('AIRTABLE_TOKEN', `pat${f.str(ALNUM, 14)}.${f.str(HEX, 64)}`)], neg: [`pat${f.str(ALNUM, 14)}.${f.str(HEX, 20)}`] },
  { id: 'figma-pat', pos: [env('FIGMA_TOKEN', `figd_${f.str(B64URL, 40)}`)], neg: [`figd_${f.str(B64URL, 20)}`] },
  { id: 'shopify-access-token', pos: [env('SHOPIFY_ACCESS_TOKEN', `shpat_${f.str(HEX, 32)}`)], neg: [`shpat_${f.str(HEX, 20)}`] },
  { id: 'shopify-custom-app-token', pos: [env('SHOPIFY_TOKEN', `shpca_${f.str(HEX, 32)}`)], neg: [`shpca_${'0'.repeat(32)}`] },
  { id: 'shopify-private-app-token', pos: [env('SHOPIFY_PASSWORD', `shppa_${f.str(HEX, 32)}`)], neg: [`shppa_${f.str(HEX, 31)}`] },
  { id: 'shopify-shared-secret', pos: [env('SHOPIFY_API_SECRET', `shpss_${f.str(HEX, 32)}`)], neg: [`shpss_${f.str(HEX, 16)}`] },
  { id: 'hubspot-private-app-token', pos: [env('HUBSPOT_ACCESS_TOKEN', `pat-na1-${f.uuid()}`)], neg: ['pat-na1-1234'] },
  { id: 'hubspot-api-key', pos: [env('HUBSPOT_API_KEY', f.uuid()), line(f.uuid(), (s) => `https://api.hubapi.com/contacts/v1/lists/all?hapikey=${s}`)], neg: [`HUBSPOT_PORTAL_ID=${num(8)}`] },
  { id: 'typeform-token', pos: [env('TYPEFORM_TOKEN', `tfp_${f.str(B64URL, 44)}_${f.str(B64URL, 14)}`)], neg: [`tfp_${f.str(B64URL, 20)}`] },
  { id: 'contentful-pat', pos: [env('CONTENTFUL_MANAGEMENT_TOKEN', `CFPAT-${f.str(B64URL, 43)}`)], neg: [`CFPAT-${f.str(B64URL, 20)}`] },
  { id: 'dropbox-short-lived-token', pos: [env('DROPBOX_TOKEN', `sl.${f.str(B64URL, 138)}`)], neg: [`sl.${f.str(B64URL, 40)}`] },
  { id: 'dropbox-long-lived-token', pos: [env('DROPBOX_ACCESS_TOKEN', `${f.str(ALNUM, 11)}AAAAAAAAAA${f.str(B64URL, 43)}`)], neg: [`DROPBOX_APP_KEY=${f.str(LOWER_ALNUM, 15)}`] },
  {
    id: 'mapbox-secret-token',
    pos: [env('MAPBOX_SECRET_TOKEN', `sk.${f.b64json({ u: 'acme', a: f.str(LOWER_ALNUM, 25) }, true)}.${f.str(B64URL, 22)}`)],
    neg: [`pk.${f.b64json({ u: 'acme', a: f.str(LOWER_ALNUM, 25) }, true)}.${f.str(B64URL, 22)}`, `sk.eyJ1Ijoi${f.str(B64URL, 40)}.${f.str(B64URL, 22)}`],
  },
  { id: 'launchdarkly-key', pos: [env('LAUNCHDARKLY_SDK_KEY', `sdk-${f.uuid()}`), env('LD_API_KEY', `api-${f.uuid()}`)], neg: [`mob-${f.uuid()}`] },
  { id: 'okta-api-token', pos: [env('OKTA_API_TOKEN', `00${f.str(B64URL, 40)}`)], neg: ['OKTA_ORG_URL=https://acme.okta.com'] },
  { id: 'salesforce-access-token', pos: [env('SF_ACCESS_TOKEN', `00D${f.str(ALNUM, 15)}!${f.str(ALNUM + '.', 96)}`)], neg: [`00D${f.str(ALNUM, 15)}`] },
  { id: 'easypost-api-key', pos: [env('EASYPOST_API_KEY', `EZAK${f.str(ALNUM, 54)}`)], neg: [`EZAK${f.str(ALNUM, 20)}`] },
  { id: 'easypost-test-api-key', pos: [env('EASYPOST_TEST_KEY', `EZTK${f.str(ALNUM, 54)}`)], neg: [`EZTK${f.str(ALNUM, 30)}`] },
  { id: 'duffel-api-token', pos: [env('DUFFEL_TOKEN', `duffel_live_${f.str(B64URL, 43)}`)], neg: [`duffel_live_${f.str(B64URL, 20)}`] },
  { id: 'shippo-api-token', pos: [env('SHIPPO_API_TOKEN', `shippo_live_${f.str(HEX, 40)}`)], neg: [`shippo_live_${f.str(HEX, 20)}`] },
  { id: 'adobe-client-secret', pos: [env('ADOBE_CLIENT_SECRET', `p8e-${f.str(ALNUM, 32)}`)], neg: [`p8e-${f.str(ALNUM, 12)}`] },
  { id: 'readme-api-key', pos: [env('README_API_KEY', `rdme_${f.str(LOWER_ALNUM, 70)}`)], neg: [`rdme_${f.str(LOWER_ALNUM, 30)}`] },
  { id: 'frameio-api-token', pos: [env('FRAMEIO_TOKEN', `fio-u-${f.str(B64URL, 64)}`)], neg: [`fio-u-${f.str(B64URL, 30)}`] },
  { id: 'prefect-api-key', pos: [env('PREFECT_API_KEY', `pnu_${f.str(ALNUM, 36)}`)], neg: [`pnu_${f.str(ALNUM, 20)}`] },
  { id: 'intercom-access-token', pos: [env('INTERCOM_ACCESS_TOKEN', Buffer.from(`tok:${f.uuid()}:1:0`).toString('base64').replace(/=+$/, ''))], neg: [`dG9rO${f.str(B64, 50)}`] },
  { id: 'twitter-bearer-token', pos: [env('TWITTER_BEARER_TOKEN', `${'A'.repeat(22)}${f.str(ALNUM, 18)}%3D${f.str(ALNUM, 60)}`)], neg: [`${'A'.repeat(22)}${f.str(ALNUM, 20)}`] },
  { id: 'facebook-access-token', pos: [env('FB_ACCESS_TOKEN', `EAAG${f.str(ALNUM, 180)}`)], neg: [`EAAG${f.str(ALNUM, 40)}`] },
  { id: 'zendesk-api-token', pos: [env('ZENDESK_API_TOKEN', f.str(ALNUM, 40))], neg: ['ZENDESK_SUBDOMAIN=acme'] },
  { id: 'algolia-admin-key', pos: [env('ALGOLIA_ADMIN_KEY', f.str(HEX, 32))], neg: [`ALGOLIA_APP_ID=${f.str(UPPER, 10)}`] },
  { id: 'auth0-client-secret', pos: [env('AUTH0_CLIENT_SECRET', f.str(B64URL, 64))], neg: [`AUTH0_CLIENT_ID=${f.str(ALNUM, 32)}`] },
  { id: 'maxmind-license-key', pos: [env('MAXMIND_LICENSE_KEY', `${f.str(ALNUM, 6)}_${f.str(ALNUM, 29)}_mmk`)], neg: [`${f.str(ALNUM, 6)}_${f.str(ALNUM, 10)}_mmk`] },
  { id: 'zapier-webhook-url', pos: [((u: string) => [`ZAPIER_HOOK=${u}`, u] as [string, string])(`https://hooks.zapier.com/hooks/catch/${num(7)}/${f.str(LOWER_ALNUM, 6)}`)], neg: ['https://hooks.zapier.com/hooks/catch/'] },
  { id: 'cloudinary-url', pos: [line(f.str(B64URL, 27), (s) => `CLOUDINARY_URL=cloudinary://${num(15)}:${s}@acme-media`)], neg: ['CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name>'] },
  { id: 'trello-api-token', pos: [env('TRELLO_TOKEN', f.str(HEX, 64)), env('TRELLO_TOKEN', `ATTA${f.str(HEX, 64)}${f.str(HEX_UPPER, 8)}`)], neg: [`TRELLO_KEY=${f.str(HEX, 32)}`] },
  { id: 'mixpanel-api-secret', pos: [env('MIXPANEL_API_SECRET', f.str(HEX, 32))], neg: [`MIXPANEL_TOKEN=${f.str(HEX, 32)}`] },
  { id: 'twitch-client-secret', pos: [env('TWITCH_CLIENT_SECRET', f.str(LOWER_ALNUM, 30))], neg: [`TWITCH_CLIENT_ID=${f.str(LOWER_ALNUM, 30)}`] },
  { id: 'spotify-client-secret', pos: [env('SPOTIFY_CLIENT_SECRET', f.str(HEX, 32))], neg: [`SPOTIFY_CLIENT_ID=${f.str(HEX, 32)}`] },
  { id: 'portainer-access-token', pos: [env('PORTAINER_API_KEY', `ptr_${f.str(B64, 43)}=`)], neg: [`ptr_${f.str(B64, 20)}`, `ptr_${f.str(B64, 50)}`] },
  { id: 'ngrok-credential', pos: [env('NGROK_AUTHTOKEN', `${f.str(ALNUM, 27)}_${f.str(ALNUM, 21)}`), env('NGROK_API_KEY', `${f.str(ALNUM, 27)}_${f.str(ALNUM, 21)}`)], neg: [`NGROK_AUTHTOKEN=${f.str(ALNUM, 40)}`, 'NGROK_AUTHTOKEN=your_ngrok_authtoken'] },
  { id: 'etherscan-api-key', pos: [env('ETHERSCAN_API_KEY', f.str(UPPER + '0123456789', 34))], neg: [`ETHERSCAN_API_KEY=${f.str(UPPER, 20)}`, `ETHERSCAN_API_URL=${f.str(UPPER + '0123456789', 34)}`] },
  { id: 'cloudsmith-api-key', pos: [env('CLOUDSMITH_API_KEY', f.str(HEX, 40))], neg: [`CLOUDSMITH_API_KEY=${f.str(HEX, 32)}`, `CLOUDSMITH_REPO=${f.str(HEX, 40)}`] },
  { id: 'packagecloud-token', pos: [env('PACKAGECLOUD_TOKEN', f.str(HEX, 48))], neg: [`PACKAGECLOUD_TOKEN=${f.str(HEX, 40)}`, `PACKAGECLOUD_REPO=${f.str(HEX, 48)}`] },
  { id: 'facebook-app-token', pos: [env('FACEBOOK_APP_TOKEN', `${num(15)}|${f.str(HEX, 32)}`), env('FB_ACCESS_TOKEN', `${num(16)}|${f.str(HEX, 32)}`)], neg: [`FACEBOOK_APP_ID=${num(15)}`, `FACEBOOK_APP_TOKEN=${num(15)}|${f.str(HEX, 20)}`] },
  {
    id: 'atlassian-datacenter-pat',
    pos: [env('JIRA_PAT', Buffer.concat([Buffer.from(`${num(12)}:`), Buffer.from(f.rng.bytes(20))]).toString('base64'))],
    neg: [`JIRA_PAT=${Buffer.concat([Buffer.from('abc'), Buffer.from(f.rng.bytes(30))]).toString('base64')}`, `JIRA_URL=${f.str(B64, 44)}`],
  },
  { id: 'bitbucket-datacenter-token', pos: [env('BITBUCKET_TOKEN', `BBDC-${f.str(B64, 44)}`)], neg: [`BBDC-${f.str(B64, 20)}`, 'BITBUCKET_TOKEN=BBDC-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'] },
  { id: 'duo-secret-key', pos: [env('DUO_SECRET_KEY', f.str(ALNUM, 40)), env('DUO_SKEY', f.str(ALNUM, 40))], neg: [`DUO_INTEGRATION_KEY=${f.str(ALNUM, 20)}`, `DUO_SECRET_KEY=${f.str(ALNUM, 30)}`] },
  { id: 'onelogin-client-secret', pos: [env('ONELOGIN_CLIENT_SECRET', f.str(HEX, 64))], neg: [`ONELOGIN_CLIENT_ID=${f.str(HEX, 64)}`, `ONELOGIN_CLIENT_SECRET=${f.str(HEX, 40)}`] },
  { id: 'jumpcloud-api-key', pos: [env('JUMPCLOUD_API_KEY', f.str(HEX, 40))], neg: [`JUMPCLOUD_ORG_ID=${f.str(HEX, 24)}`, `JUMPCLOUD_API_KEY=${f.str(HEX, 30)}`] },
  { id: 'statuspage-api-key', pos: [env('STATUSPAGE_API_KEY', f.str(HEX, 32)), env('STATUSPAGE_API_KEY', f.uuid())], neg: [`STATUSPAGE_PAGE_ID=${f.str(HEX, 32)}`, `STATUSPAGE_API_KEY=${f.str(HEX, 20)}`] },
  { id: 'confluent-api-secret', pos: [env('CONFLUENT_CLOUD_API_SECRET', f.str(B64, 64))], neg: [`CONFLUENT_CLOUD_API_KEY=${f.str(UPPER, 16)}`, `CONFLUENT_CLOUD_API_SECRET=${f.str(B64, 40)}`] },
  { id: 'aiven-api-token', pos: [env('AIVEN_TOKEN', f.str(B64, 372))], neg: [`AIVEN_PROJECT=${f.str(B64, 372)}`, `AIVEN_TOKEN=${f.str(B64, 100)}`] },
  {
    id: 'godaddy-api-key',
    pos: [((k, sec) => [`curl -H "Authorization: sso-key ${k}:${sec}" https://api.godaddy.com/v1/domains`, `${k}:${sec}`] as [string, string])(`${f.str(ALNUM, 14)}_${f.str(ALNUM, 20)}`, f.str(ALNUM, 22))],
    neg: ['Authorization: sso-key $GODADDY_KEY:$GODADDY_SECRET', `sso-key ${f.str(ALNUM, 10)}:${f.str(ALNUM, 22)}`, 'sso-key UzQxLbLxZRx_46Uw8F4vu7Jxp9xy:abcdefghijklmnopqrstuv', `sso-key ${f.str(ALNUM, 34)}:${'ab'.repeat(11)}`],
  },
  { id: 'checkly-api-key', pos: [env('CHECKLY_API_KEY', `cu_${f.str(HEX, 32)}`)], neg: [`cu_${f.str(HEX, 20)}`, `cu_${f.str(HEX, 40)}`, 'CHECKLY_API_KEY=cu_xxx'] },
  { id: 'rootly-api-key', pos: [env('ROOTLY_API_TOKEN', `rootly_${f.str(HEX, 64)}`)], neg: [`rootly_${f.str(HEX, 40)}`, `rootly_${'0'.repeat(64)}`] },
  {
    id: 'segment-public-api-token',
    pos: [line(`sgp_${f.str(ALNUM, 64)}`, (s) => `Authorization: Bearer ${s}`)],
    // Sourcegraph's tokens share the prefix (40 hex): not Segment's
    neg: [`sgp_${f.str(HEX, 40)}`, `sgp_${f.str(ALNUM, 50)}`],
  },
  { id: 'segment-write-key', pos: [env('SEGMENT_WRITE_KEY', f.str(ALNUM, 32))], neg: [`SEGMENT_WORKSPACE=${f.str(ALNUM, 32)}`, `SEGMENT_WRITE_KEY=${f.str(ALNUM, 20)}`] },
];

describe('saas detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(SAAS_DETECTORS, CASES)).toEqual([]));

  it('bitbucket-datacenter-token: a body that decodes to <id>:<secret> passes the format check, a corrupted one is only reported', () => {
    const body = Buffer.concat([Buffer.from(`${num(12)}:`), Buffer.from(f.rng.bytes(20))]).toString('base64');
    expect(body).toHaveLength(44);
    const good = detectSecrets(`BITBUCKET_TOKEN=BBDC-${body}`).find((m) => m.detectorId === 'bitbucket-datacenter-token');
    expect(good?.validation.status).toBe('valid');
    const bad = detectSecrets(`BITBUCKET_TOKEN=BBDC-A${body.slice(1)}`).find((m) => m.detectorId === 'bitbucket-datacenter-token');
    expect(bad?.validation.status).toBe('unknown');
  });
});
