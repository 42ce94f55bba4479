import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { ALNUM, B64URL, checkCase, coverageGaps, Fake, HEX, LETTERS, LOWER_ALNUM, Rng, UPPER_ALNUM, type DetectorCase } from './fake.js';
import { OBSERVABILITY_DETECTORS } from './observability.js';

const f = new Fake(new Rng(1010));
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];
const yaml = (key: string, secret: string): [string, string] => [`  ${key}: "${secret}"`, secret];
const sentryOrg = () => `sntrys_${f.b64json({ iat: 1700000000 + f.rng.int(1e7), url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'acme' })}_${f.str(ALNUM + '+/', 43)}`;

const CASES: DetectorCase[] = [
  { id: 'datadog-api-key', pos: [env('DD_API_KEY', f.str(HEX, 32)), yaml('datadog_api_key', f.str(HEX, 32))], neg: [`DD_SITE=datadoghq.eu`, `DD_API_KEY=${f.str(HEX, 20)}`] },
  { id: 'datadog-app-key', pos: [env('DD_APP_KEY', f.str(HEX, 40)), env('DATADOG_APPLICATION_KEY', f.str(HEX, 40))], neg: [`DD_APP_KEY=${f.str(HEX, 32)}`] },
  { id: 'new-relic-user-api-key', pos: [env('NEW_RELIC_API_KEY', `NRAK-${f.str(UPPER_ALNUM, 27)}`)], neg: [`NRAK-${f.str(UPPER_ALNUM, 10)}`] },
  {
    id: 'new-relic-license-key',
    pos: [env('NEW_RELIC_LICENSE_KEY', `${f.str(HEX, 36)}NRAL`), env('NEW_RELIC_LICENSE_KEY', `${f.str(HEX, 36).toUpperCase()}NRAL`), line(`eu01xx${f.str(HEX, 30)}NRAL`, (s) => `  license_key: ${s}`)],
    neg: [`${f.str(HEX, 30)}NRAL`, `eu01xx${f.str(HEX, 24)}NRAL`, `eu01xx${f.str(HEX, 30)}NRALX`, `NEW_RELIC_LICENSE_KEY=${f.str(HEX, 35)}gNRAL`],
  },
  { id: 'new-relic-browser-key', pos: [env('NR_BROWSER_KEY', `NRJS-${f.str(HEX, 19)}`)], neg: [`NRJS-${f.str(HEX, 10)}`] },
  { id: 'new-relic-insights-key', pos: [env('NEW_RELIC_INSERT_KEY', `NRII-${f.str(B64URL, 32)}`)], neg: [`NRII-${f.str(B64URL, 12)}`] },
  { id: 'new-relic-legacy-license-key', pos: [yaml('newrelic_license_key', f.str(HEX, 40))], neg: [`newrelic_app_name: ${f.str(LOWER_ALNUM, 12)}`] },
  { id: 'sentry-org-token', pos: [env('SENTRY_AUTH_TOKEN', sentryOrg())], neg: [`sntrys_${f.b64json({ url: 'x' })}_${f.str(ALNUM, 43)}`] },
  { id: 'sentry-user-token', pos: [env('SENTRY_AUTH_TOKEN', `sntryu_${f.str(HEX, 64)}`)], neg: [`sntryu_${f.str(HEX, 30)}`] },
  { id: 'sentry-legacy-auth-token', pos: [env('SENTRY_AUTH_TOKEN', f.str(HEX, 64))], neg: [`SENTRY_DSN=https://${f.str(HEX, 32)}@o1.ingest.sentry.io/1`] },
  {
    id: 'grafana-cloud-token',
    pos: [env('GRAFANA_CLOUD_TOKEN', `glc_${f.b64json({ o: String(1e5 + f.rng.int(1e6)), n: 'ci-publisher', k: f.str(ALNUM, 24), m: { r: 'prod-eu-west-2' } })}`)],
    neg: [`glc_${f.str(ALNUM, 60)}`],
  },
  { id: 'grafana-service-account-token', pos: [env('GRAFANA_TOKEN', `glsa_${f.str(ALNUM, 32)}_${f.str(HEX, 8)}`)], neg: [`glsa_${f.str(ALNUM, 20)}_${f.str(HEX, 8)}`] },
  { id: 'grafana-api-key', pos: [env('GRAFANA_API_KEY', f.b64json({ k: f.str(ALNUM, 32), n: 'deploy', id: 1 }))], neg: [`eyJrIjoi${f.str(ALNUM, 70)}`] },
  { id: 'dynatrace-api-token', pos: [env('DT_API_TOKEN', `dt0c01.${f.str(UPPER_ALNUM, 24)}.${f.str(UPPER_ALNUM, 64)}`)], neg: [`dt0c01.${f.str(UPPER_ALNUM, 24)}.${f.str(UPPER_ALNUM, 20)}`] },
  { id: 'splunk-hec-token', pos: [env('SPLUNK_HEC_TOKEN', f.uuid())], neg: [`SPLUNK_INDEX=${f.str(LOWER_ALNUM, 10)}`] },
  { id: 'pagerduty-api-key', pos: [env('PAGERDUTY_API_KEY', `u+${f.str(B64URL, 18)}`), env('PAGERDUTY_ROUTING_KEY', f.str(HEX, 32))], neg: [`PAGERDUTY_SERVICE_ID=P${f.str(UPPER_ALNUM, 6)}`] },
  { id: 'rollbar-access-token', pos: [env('ROLLBAR_ACCESS_TOKEN', f.str(HEX, 32))], neg: ['ROLLBAR_ENVIRONMENT=production'] },
  { id: 'bugsnag-api-key', pos: [env('BUGSNAG_API_KEY', f.str(HEX, 32))], neg: [`BUGSNAG_API_KEY=${f.str(HEX, 12)}`] },
  { id: 'posthog-personal-api-key', pos: [env('POSTHOG_PERSONAL_API_KEY', `phx_${f.str(ALNUM, 43)}`)], neg: [`phc_${f.str(ALNUM, 43)}`] },
  { id: 'axiom-token', pos: [env('AXIOM_TOKEN', `xaat-${f.uuid()}`)], neg: ['xaat-not-a-uuid'] },
  { id: 'honeycomb-api-key', pos: [env('HONEYCOMB_API_KEY', f.str(ALNUM, 22)), env('HONEYCOMB_KEY', `hcaik_${f.str(LOWER_ALNUM, 58)}`)], neg: ['HONEYCOMB_DATASET=prod'] },
  { id: 'opsgenie-api-key', pos: [env('OPSGENIE_API_KEY', f.uuid())], neg: [`OPSGENIE_TEAM_ID=${f.uuid()}`] },
  { id: 'sumologic-access-key', pos: [env('SUMO_ACCESS_KEY', f.str(ALNUM, 64))], neg: [`SUMO_ACCESS_ID=su${f.str(ALNUM, 12)}`] },
  { id: 'logzio-token', pos: [env('LOGZIO_TOKEN', f.str(LETTERS, 32))], neg: ['LOGZIO_URL=https://listener.logz.io:8071'] },
  { id: 'loggly-token', pos: [env('LOGGLY_TOKEN', f.uuid())], neg: ['LOGGLY_TAG=app'] },
  { id: 'betterstack-token', pos: [env('BETTERSTACK_API_TOKEN', f.str(ALNUM, 24)), env('LOGTAIL_SOURCE_TOKEN', f.str(ALNUM, 24))], neg: [`BETTERSTACK_TEAM=${f.str(ALNUM, 24)}`, `LOGTAIL_SOURCE_TOKEN=${f.str(ALNUM, 12)}`] },
];

describe('observability detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(OBSERVABILITY_DETECTORS, CASES)).toEqual([]));

  it('decodes the Sentry org token payload', () => {
    const m = detectSecrets(sentryOrg()).find((x) => x.detectorId === 'sentry-org-token');
    expect(m?.validation).toMatchObject({ status: 'valid', properties: { url: 'https://sentry.io', org: 'acme' } });
  });
});
