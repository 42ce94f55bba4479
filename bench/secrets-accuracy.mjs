#!/usr/bin/env node
/**
 * Accuracy of the secrets detectors on a labelled corpus.
 *
 * The corpus is built in memory: realistic files (.env, YAML, GitHub workflows, JSON, JS/TS,
 * Python, properties, Terraform, Dockerfiles, shell, key files) with filler lines, a real-format
 * secret planted for every detector (right prefix, length, alphabet and checksum; generated
 * here from a seed, never issued by anyone) and look-alike decoys (wrong checksums,
 * placeholders, references to secret stores, hashes, ids, public keys...). The hand-written
 * decoy files in test/secrets-corpus/decoys/ are scanned too: every report there is a false
 * positive. Nothing token-shaped is written to the repository; `--write DIR` dumps the
 * generated files for inspection (test/secrets-corpus/generated/ is git-ignored).
 *
 * Recall: a planted secret counts as found when the detector it was planted for reports a span
 * overlapping it. Precision: a report is correct when it overlaps a planted secret.
 *
 * `--clean DIR` also scans every text file under DIR, a tree assumed to hold no secrets (say
 * node_modules), and counts what is reported there: false positives on real-world code.
 *
 *   npx tsc -p tsconfig.build.json && node bench/secrets-accuracy.mjs [--seed N] [--rounds N] [--write DIR] [--clean DIR] [--verbose]
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { detectSecrets } from '../dist/secrets/detect.js';
import { ALNUM, B64, B64URL, BASE32, DIGITS, Fake, HEX, HEX_UPPER, LETTERS, LOWER, LOWER_ALNUM, Rng, UPPER_ALNUM } from '../dist/secrets/detectors/fake.js';
import { DETECTOR_FAMILIES, DETECTORS } from '../dist/secrets/detectors/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? def : argv[i + 1];
};
const seed = Number(opt('seed', 20240601));
const rounds = Number(opt('rounds', 3));
const writeDir = opt('write', undefined);
const verbose = argv.includes('--verbose');
const cleanDir = opt('clean', undefined);

const f = new Fake(new Rng(seed));
const rng = f.rng;
const s = (alphabet, n) => f.str(alphabet, n);
const num = (n) => String(1 + rng.int(9)) + s(DIGITS, n - 1);
const pick = (xs) => rng.pick(xs);
/** A password a person might set: letters, digits and a symbol or two. */
const password = () => `${pick(['Tr', 'Qx', 'Mz', 'Kp', 'Lv', 'Bw'])}${s(ALNUM, 8 + rng.int(6))}${pick(['!', '#', '%', '^', '*', '_', '~', '.'])}${s(DIGITS, 2)}`;
const corrupt = (t) => t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
const b64 = (text) => Buffer.from(text).toString('base64');

// ---------------------------------------------------------------------------------------------
// What to plant for each detector. `key` + `make()` → a value assigned to that key in any file
// syntax; make() may return { value, secret } when the secret is part of the value (a URL).
// `line()` → a custom line (or block) with the secret inside; `kinds` restricts file types.
// ---------------------------------------------------------------------------------------------
const SPECS = {};
const tok = (id, key, make, extra = {}) => (SPECS[id] = { key, make, ...extra });
const custom = (id, line, kinds) => (SPECS[id] = { line, kinds });
const url = (value, secret = value) => ({ value, secret });

// vcs
tok('github-pat-classic', 'GITHUB_TOKEN', () => f.checksummed('ghp_'));
tok('github-oauth-token', 'GH_OAUTH_TOKEN', () => f.checksummed('gho_'));
tok('github-user-to-server-token', 'GITHUB_USER_TOKEN', () => f.checksummed('ghu_'));
tok('github-server-to-server-token', 'GITHUB_INSTALLATION_TOKEN', () => f.checksummed('ghs_'));
tok('github-refresh-token', 'GITHUB_REFRESH_TOKEN', () => (rng.int(2) ? f.checksummed('ghr_') : `ghr_${s(ALNUM, 76)}`));
tok('github-fine-grained-pat', 'GH_PAT', () => `github_pat_${s(ALNUM, 22)}_${s(ALNUM, 59)}`);
tok('github-oauth-app-secret', 'GITHUB_CLIENT_SECRET', () => s(HEX, 40));
tok('gitlab-pat', 'GITLAB_TOKEN', () => (rng.int(2) ? f.gitlabRoutable('glpat-') : `glpat-${s(B64URL, 20)}`));
tok('gitlab-deploy-token', 'CI_DEPLOY_PASSWORD', () => (rng.int(2) ? f.gitlabRoutable('gldt-') : `gldt-${s(B64URL, 20)}`));
tok('gitlab-runner-token', 'RUNNER_TOKEN', () => (rng.int(2) ? f.gitlabRoutable('glrt-t1_') : `glrt-${s(B64URL, 20)}`));
tok('gitlab-runner-registration-token', 'REGISTRATION_TOKEN', () => `GR1348941${s(B64URL, 20)}`);
tok('gitlab-pipeline-trigger-token', 'TRIGGER_TOKEN', () => `glptt-${s(HEX, 40)}`);
tok('gitlab-ci-job-token', 'JOB_TOKEN', () => `glcbt-${s(ALNUM, 2)}_${s(B64URL, 20)}`);
tok('gitlab-scim-token', 'GITLAB_SCIM_TOKEN', () => `glsoat-${s(B64URL, 20)}`);
tok('gitlab-feed-token', 'FEED_TOKEN', () => `glft-${s(B64URL, 20)}`);
tok('gitlab-incoming-mail-token', 'INCOMING_EMAIL_TOKEN', () => `glimt-${s(B64URL, 25)}`);
tok('gitlab-agent-token', 'AGENT_TOKEN', () => `glagent-${s(B64URL, 50)}`);
tok('gitlab-oauth-app-secret', 'GITLAB_APP_SECRET', () => `gloas-${s(B64URL, 64)}`);
tok('gitlab-feature-flag-client-token', 'UNLEASH_INSTANCE_ID', () => `glffct-${s(B64URL, 20)}`);
custom('gitlab-session-cookie', () => {
  const c = s(HEX, 32);
  return { text: `curl -sS -b "_gitlab_session=${c}" https://gitlab.internal/api/v4/user`, secret: c };
}, ['sh']);
tok('bitbucket-app-password', 'BITBUCKET_APP_PASSWORD', () => `ATBB${s(ALNUM, 32)}`);
tok('bitbucket-client-secret', 'BITBUCKET_CLIENT_SECRET', () => s(ALNUM, 32));
tok('sourcegraph-access-token', 'SRC_ACCESS_TOKEN', () => `sgp_${s(HEX, 16)}_${s(HEX, 40)}`);
tok('gitea-access-token', 'GITEA_TOKEN', () => s(HEX, 40));

// cloud
tok('aws-access-key-id', 'AWS_ACCESS_KEY_ID', () => f.awsKeyId(pick(['AKIA', 'ASIA']), 100000000000 + rng.int(899999999999)));
tok('aws-secret-access-key', 'AWS_SECRET_ACCESS_KEY', () => f.awsSecret());
tok('aws-session-token', 'AWS_SESSION_TOKEN', () => `IQoJb3JpZ2luX2Vj${s(B64, 320)}`);
tok('aws-mws-key', 'MWS_AUTH_TOKEN', () => `amzn.mws.${f.uuid()}`);
tok('aws-appsync-api-key', 'APPSYNC_API_KEY', () => `da2-${s(LOWER_ALNUM, 26)}`);
tok('gcp-api-key', 'GOOGLE_MAPS_API_KEY', () => `AIza${s(B64URL, 35)}`);
custom('gcp-service-account-key', () => {
  const sa = f.gcpServiceAccount();
  return { text: sa.json, secret: sa.privateKey };
}, ['json-file']);
tok('gcp-oauth-client-secret', 'GOOGLE_CLIENT_SECRET', () => `GOCSPX-${s(B64URL, 28)}`);
tok('google-oauth-access-token', 'GOOGLE_ACCESS_TOKEN', () => `ya29.${s(B64URL, 160)}`);
tok('google-oauth-refresh-token', 'GOOGLE_REFRESH_TOKEN', () => `1//0${s(B64URL, 100)}`);
tok('firebase-cloud-messaging-key', 'FCM_SERVER_KEY', () => `AAAA${s(B64URL, 7)}:APA91b${s(B64URL, 134)}`);
tok('azure-storage-connection-string', 'AZURE_STORAGE_CONNECTION_STRING', () => {
  const k = s(B64, 86) + '==';
  return url(`DefaultEndpointsProtocol=https;AccountName=acme${s(LOWER, 6)};AccountKey=${k};EndpointSuffix=core.windows.net`, k);
});
tok('azure-storage-account-key', 'AZURE_STORAGE_KEY', () => s(B64, 86) + '==');
tok('azure-sas-token', 'ARTIFACTS_SAS_URL', () => {
  const sig = encodeURIComponent(s(B64, 43) + '=');
  return url(`https://acme.blob.core.windows.net/artifacts?sv=2022-11-02&ss=b&srt=co&sp=rwl&se=2031-01-01T00:00:00Z&spr=https&sig=${sig}`, sig);
});
// Current 8Q~ secrets (with their checksum) and older 7Q~ ones (none), half and half.
tok('azure-ad-client-secret', 'AZURE_CLIENT_SECRET', () => (rng.int(2) ? f.entraSecret() : `${s(ALNUM, 3)}7Q~${s(ALNUM + '_.-~', 34)}`));
tok('azure-service-bus-connection-string', 'SERVICEBUS_CONNECTION', () => {
  const k = s(B64, 43) + '=';
  return url(`Endpoint=sb://acme-${s(LOWER, 5)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${k}`, k);
});
tok('azure-iot-hub-connection-string', 'IOTHUB_CONNECTION_STRING', () => {
  const k = s(B64, 43) + '=';
  return url(`HostName=acme-hub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=${k}`, k);
});
tok('azure-cosmosdb-key', 'COSMOS_CONNECTION', () => {
  const k = s(B64, 86) + '==';
  return url(`AccountEndpoint=https://acme-${s(LOWER, 4)}.documents.azure.com:443/;AccountKey=${k};`, k);
});
tok('azure-app-configuration-connection-string', 'APPCONFIG_CONNECTION', () => {
  const k = s(B64, 43) + '=';
  return url(`Endpoint=https://acme-config.azconfig.io;Id=${s(ALNUM, 4)}-l0-s0:${s(ALNUM, 20)};Secret=${k}`, k);
});
tok('alibaba-access-key-id', 'ALIBABA_CLOUD_ACCESS_KEY_ID', () => `LTAI${s(ALNUM, 20)}`);
tok('alibaba-access-key-secret', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', () => s(ALNUM, 30));
tok('tencent-cloud-secret-id', 'TENCENTCLOUD_SECRET_ID', () => `AKID${s(ALNUM, 32)}`);
tok('tencent-cloud-secret-key', 'TENCENTCLOUD_SECRET_KEY', () => s(ALNUM, 32));
tok('ibm-cloud-api-key', 'IBMCLOUD_API_KEY', () => s(B64URL, 44));
tok('digitalocean-pat', 'DIGITALOCEAN_ACCESS_TOKEN', () => `dop_v1_${s(HEX, 64)}`);
tok('digitalocean-oauth-token', 'DO_OAUTH_TOKEN', () => `doo_v1_${s(HEX, 64)}`);
tok('digitalocean-refresh-token', 'DO_REFRESH_TOKEN', () => `dor_v1_${s(HEX, 64)}`);
tok('heroku-api-key', 'HEROKU_API_KEY', () => f.uuid());
tok('heroku-api-key-v2', 'HEROKU_API_KEY', () => `HRKU-AA${s(B64URL, 58)}`);
tok('cloudflare-scannable-token', 'CLOUDFLARE_API_TOKEN', () => `${pick(['cfut', 'cfat', 'cfk'])}_${s(ALNUM, 40)}${s(HEX, 8)}`);
tok('cloudflare-api-token', 'CLOUDFLARE_API_TOKEN', () => s(B64URL, 40));
tok('cloudflare-global-api-key', 'CLOUDFLARE_API_KEY', () => s(HEX, 37));
tok('cloudflare-origin-ca-key', 'CF_ORIGIN_CA_KEY', () => `v1.0-${s(HEX, 24)}-${s(HEX, 146)}`);
tok('flyio-access-token', 'FLY_API_TOKEN', () => (rng.int(2) ? `fo1_${s(B64URL, 43)}` : `fm2_${s(B64, 400)}==`));
tok('scaleway-secret-key', 'SCW_SECRET_KEY', () => f.uuid());
tok('linode-api-token', 'LINODE_TOKEN', () => s(HEX, 64));
tok('hetzner-cloud-token', 'HCLOUD_TOKEN', () => s(ALNUM, 64));
tok('vultr-api-key', 'VULTR_API_KEY', () => s(UPPER_ALNUM, 36));
tok('vercel-token', 'VERCEL_TOKEN', () => s(ALNUM, 24));
tok('netlify-token', 'NETLIFY_AUTH_TOKEN', () => `nfp_${s(ALNUM, 36)}`);
tok('supabase-access-token', 'SUPABASE_ACCESS_TOKEN', () => `sbp_${s(HEX, 40)}`);
tok('supabase-secret-key', 'SUPABASE_SECRET_KEY', () => `sb_secret_${s(B64URL, 31)}`);
tok('render-api-key', 'RENDER_API_KEY', () => `rnd_${s(ALNUM, 32)}`);
tok('openshift-user-token', 'OPENSHIFT_TOKEN', () => `sha256~${s(B64URL, 43)}`);
tok('yandex-api-key', 'YC_API_KEY', () => `AQVN${s(B64URL, 36)}`);
tok('yandex-iam-token', 'YC_IAM_TOKEN', () => `t1.${s(B64URL, 80)}.${s(B64URL, 86)}`);
tok('yandex-static-key-secret', 'YANDEX_SECRET_ACCESS_KEY', () => `YC${s(B64URL, 38)}`);
// Well-formed keys: service signature at its offset and a valid Marvin32 checksum.
tok('azure-identifiable-key', 'AZURE_SERVICE_KEY', () => f.azureKey(pick(['+ASt', 'ACDb', '+ABa', 'APIM', '+AMC', '+ASb', '+AEh', '+ARm', 'AzCa', 'AIoT', '+ACR', 'AzSe', 'AzFu'])));
tok('azure-entra-refresh-token', 'AZURE_REFRESH_TOKEN', () => `${pick(['0', '1'])}.A${s(B64URL, 120)}.AgABAAEAAAD${s(B64URL, 420)}`);
tok('tailscale-key', 'TS_AUTHKEY', () => `tskey-${pick(['auth', 'api', 'client'])}-${s(ALNUM, 12)}CNTRL-${s(ALNUM, 33)}`);
tok('scalingo-api-token', 'SCALINGO_API_TOKEN', () => `tk-us-${s(B64URL, 48)}`);
tok('deno-deploy-token', 'DENO_DEPLOY_TOKEN', () => `${pick(['ddp', 'ddo'])}_${s(ALNUM, 36)}`);
tok('railway-token', 'RAILWAY_TOKEN', () => f.uuid());
tok('fastly-api-token', 'FASTLY_API_TOKEN', () => s(B64URL, 32));
tok('aws-bedrock-api-key', 'AWS_BEARER_TOKEN_BEDROCK', () => `ABSK${b64(`BedrockAPIKey-${s(LOWER_ALNUM, 4)}-at-${num(12)}:${s(B64, 40)}`)}`);

// ci
tok('circleci-personal-token', 'CIRCLE_TOKEN', () => `CCIPAT_${s(ALNUM, 22)}_${s(HEX, 40)}`);
tok('circleci-project-token', 'CIRCLECI_PROJECT_TOKEN', () => `CCIPRJ_${s(ALNUM, 22)}_${s(HEX, 40)}`);
tok('circleci-legacy-token', 'CIRCLECI_API_TOKEN', () => s(HEX, 40));
tok('travis-ci-token', 'TRAVIS_API_TOKEN', () => s(B64URL, 22));
tok('jenkins-api-token', 'JENKINS_API_TOKEN', () => `11${s(HEX, 32)}`);
tok('buildkite-api-token', 'BUILDKITE_API_TOKEN', () => `bkua_${s(HEX, 40)}`);
tok('drone-ci-token', 'DRONE_TOKEN', () => s(ALNUM, 32));
tok('terraform-cloud-token', 'TF_TOKEN_app_terraform_io', () => `${s(ALNUM, 14)}.atlasv1.${s(B64URL, 67)}`);
tok('vault-service-token', 'VAULT_TOKEN', () => `hvs.CAESI${s(B64URL, 86)}`);
tok('vault-batch-token', 'VAULT_BATCH_TOKEN', () => `hvb.${s(B64URL, 140)}`);
tok('vault-recovery-token', 'VAULT_RECOVERY_TOKEN', () => `hvr.${s(B64URL, 24)}`);
tok('vault-legacy-token', 'VAULT_TOKEN', () => `s.${s(ALNUM, 24)}`);
tok('doppler-token', 'DOPPLER_TOKEN', () => pick([`dp.st.prd.${s(ALNUM, 43)}`, `dp.pt.${s(ALNUM, 43)}`, `dp.said.${s(ALNUM, 44)}`]));
const K8S_RAND = 'bcdfghjklmnpqrstvwxz2456789';
tok('bitwarden-sm-access-token', 'BWS_ACCESS_TOKEN', () => `0.${f.uuid()}.${s(ALNUM, 30)}:${Buffer.from(rng.bytes(16)).toString('base64')}`);
tok('infisical-service-token', 'INFISICAL_TOKEN', () => `st.${s(HEX, 24)}.${s(HEX, 32)}.${s(HEX, 32)}`);
tok('rancher-api-token', 'CATTLE_TOKEN', () => `token-${s(K8S_RAND, 5)}:${s(K8S_RAND, 54)}`);
tok('pulumi-access-token', 'PULUMI_ACCESS_TOKEN', () => `pul-${s(HEX, 40)}`);
tok('octopus-deploy-api-key', 'OCTOPUS_API_KEY', () => `API-${s(UPPER_ALNUM, 26)}`);
tok('harness-access-token', 'HARNESS_API_KEY', () => `pat.${s(B64URL, 22)}.${s(ALNUM, 24)}.${s(ALNUM, 20)}`);
tok('sonarqube-token', 'SONAR_TOKEN', () => `${pick(['sqp', 'squ', 'sqa'])}_${s(HEX, 40)}`);
custom('sonar-legacy-token', () => {
  const t = s(HEX, 40);
  return { text: `mvn -B verify sonar:sonar -Dsonar.host.url=https://sonar.internal -Dsonar.login=${t}`, secret: t };
}, ['sh', 'yml']);
tok('snyk-token', 'SNYK_TOKEN', () => f.uuid());
tok('codecov-token', 'CODECOV_TOKEN', () => f.uuid());
tok('infracost-api-key', 'INFRACOST_API_KEY', () => `ico-${s(ALNUM, 32)}`);
tok('teamcity-access-token', 'TEAMCITY_TOKEN', () => `eyJ0eXAiOiAiVENWMiJ9.${s(B64URL, 36)}.${s(B64URL, 48)}`);
tok('azure-devops-pat', 'AZURE_DEVOPS_EXT_PAT', () => `${s(ALNUM, 76)}AZDO${s(ALNUM, 4)}`);
tok('azure-devops-pat-legacy', 'AZURE_DEVOPS_PAT', () => s(BASE32.toLowerCase(), 52));
tok('onepassword-service-account-token', 'OP_SERVICE_ACCOUNT_TOKEN', () =>
  `ops_${f.b64json({ signInAddress: 'acme.1password.com', email: `${s(LOWER_ALNUM, 12)}@1passwordserviceaccounts.com`, srpX: s(HEX, 64), muk: { kty: 'oct', k: s(B64URL, 43) }, secretKey: `A3-${s(UPPER_ALNUM, 6)}-${s(UPPER_ALNUM, 11)}`, deviceUuid: s(LOWER_ALNUM, 26) })}`,
);

tok('browserstack-access-key', 'BROWSERSTACK_ACCESS_KEY', () => s(ALNUM, 20));
tok('saucelabs-access-key', 'SAUCE_ACCESS_KEY', () => f.uuid());
tok('coveralls-repo-token', 'COVERALLS_REPO_TOKEN', () => s(ALNUM, 32));
tok('codacy-token', 'CODACY_PROJECT_TOKEN', () => s(ALNUM, 32));
custom('codeclimate-reporter-id', () => {
  const t = s(HEX, 64);
  return { text: pick([`CC_TEST_REPORTER_ID=${t}`, `  CC_TEST_REPORTER_ID: "${t}"`, `export CC_TEST_REPORTER_ID='${t}'`]), secret: t };
}, ['env', 'yml', 'sh']);
tok('percy-token', 'PERCY_TOKEN', () => `${pick(['', 'web_', 'app_'])}${s(HEX, 64)}`);
tok('codemagic-api-token', 'CODEMAGIC_API_TOKEN', () => s(B64URL, 48));
tok('semaphore-api-token', 'SEMAPHORE_API_TOKEN', () => s(B64URL, 32));
const scalrJwt = () => f.jwt({ iss: 'https://acme.scalr.io', jti: s(LOWER_ALNUM, 20), typ: 'access-token' });
tok('scalr-token', 'SCALR_TOKEN', scalrJwt);
custom('scalr-cli-credentials', () => {
  const t = scalrJwt();
  return { text: `credentials "acme.scalr.io" {\n  token = "${t}"\n}`, secret: t };
}, ['tf']);

// registry
tok('npm-access-token', 'NPM_TOKEN', () => f.checksummed('npm_'));
tok('pypi-upload-token', 'TWINE_PASSWORD', () => f.pypi());
tok('testpypi-upload-token', 'TEST_PYPI_API_TOKEN', () => f.pypi('test.pypi.org'));
tok('packagist-token', 'PACKAGIST_TOKEN', () => `packagist_${pick(['ort', 'out', 'uut'])}_${s(HEX, 68)}`);
tok('rubygems-api-key', 'GEM_HOST_API_KEY', () => `rubygems_${s(HEX, 48)}`);
tok('docker-hub-pat', 'DOCKERHUB_TOKEN', () => `dckr_pat_${s(B64URL, 27)}`);
tok('docker-hub-oat', 'DOCKERHUB_ORG_TOKEN', () => `dckr_oat_${s(B64URL, 32)}`);
tok('nuget-api-key', 'NUGET_API_KEY', () => `oy2${s(LOWER_ALNUM, 43)}`);
tok('clojars-api-token', 'CLOJARS_PASSWORD', () => `CLOJARS_${s(LOWER_ALNUM, 60)}`);
tok('crates-io-api-token', 'CARGO_REGISTRY_TOKEN', () => `cio${s(ALNUM, 32)}`);
tok('jfrog-api-key', 'ARTIFACTORY_API_KEY', () => `AKCp${s(ALNUM, 69)}`);
tok('jfrog-reference-token', 'JFROG_ACCESS_TOKEN', () => b64(`reftkn:01:${1900000000 + rng.int(1e6)}:${s(ALNUM, 30)}`).replace(/=+$/, ''));
custom('gradle-plugin-portal-secret', () => {
  const t = s(ALNUM, 32);
  return { text: `gradle.publish.key=${s(ALNUM, 32)}\ngradle.publish.secret=${t}`, secret: t };
}, ['properties']);
custom('bundler-credentials', () => {
  const t = `${s(HEX, 8)}:${s(HEX, 8)}`;
  return { text: `BUNDLE_ENTERPRISE__CONTRIBSYS__COM: "${t}"`, secret: t };
}, ['yml', 'env']);
tok('quay-robot-token', 'QUAY_ROBOT_TOKEN', () => s(UPPER_ALNUM, 64));
custom('nuget-cleartext-password', () => {
  const v = password();
  return { text: `<packageSourceCredentials>\n  <acme-feed>\n    <add key="Username" value="ci-bot" />\n    <add key="ClearTextPassword" value="${v}" />\n  </acme-feed>\n</packageSourceCredentials>`, secret: v };
}, ['xml']);

// payment
tok('stripe-secret-key', 'STRIPE_SECRET_KEY', () => `sk_live_${s(ALNUM, pick([24, 99]))}`);
tok('stripe-restricted-key', 'STRIPE_RESTRICTED_KEY', () => `rk_live_${s(ALNUM, 99)}`);
tok('stripe-test-key', 'STRIPE_SECRET_KEY', () => `sk_test_${s(ALNUM, 99)}`);
tok('stripe-webhook-secret', 'STRIPE_WEBHOOK_SECRET', () => `whsec_${s(ALNUM, 32)}`);
tok('braintree-access-token', 'BRAINTREE_ACCESS_TOKEN', () => `access_token$production$${s(LOWER_ALNUM, 16)}$${s(HEX, 32)}`);
tok('square-access-token', 'SQUARE_ACCESS_TOKEN', () => `EAAA${s(B64URL, 60)}`);
tok('square-oauth-secret', 'SQUARE_APPLICATION_SECRET', () => `sq0csp-${s(B64URL, 43)}`);
tok('razorpay-key-secret', 'RAZORPAY_KEY_SECRET', () => s(ALNUM, 24));
tok('flutterwave-secret-key', 'FLW_SECRET_KEY', () => `FLWSECK-${s('abcdefgh0123456789', 32)}-X`);
tok('plaid-access-token', 'PLAID_ACCESS_TOKEN', () => `access-production-${f.uuid()}`);
tok('plaid-secret', 'PLAID_SECRET', () => s(HEX, 30));
tok('paypal-client-secret', 'PAYPAL_CLIENT_SECRET', () => `E${s(B64URL, 79)}`);
tok('gocardless-api-token', 'GOCARDLESS_ACCESS_TOKEN', () => `live_${s(B64URL, 40)}`);
tok('mollie-api-key', 'MOLLIE_API_KEY', () => `live_${s(ALNUM, 30)}`);
tok('adyen-api-key', 'ADYEN_API_KEY', () => `AQE${s(B64, 120)}`);
const B32_LOWER = 'abcdefghijklmnopqrstuvwxyz234567';
tok('checkout-sandbox-secret-key', 'CKO_SECRET_KEY', () => `sk_sbox_${s(B32_LOWER, 26)}${pick([...B32_LOWER, '*', '#', '$', '='])}`);
tok('checkout-secret-key', 'CHECKOUT_SECRET_KEY', () => `sk_${s(B32_LOWER, 26)}${pick([...B32_LOWER, '*', '#', '$', '='])}`);
tok('checkout-legacy-secret-key', 'CHECKOUT_SECRET_KEY', () => `sk_${pick(['', 'test_'])}${f.uuid()}`);
custom('coinbase-cdp-api-key', () => {
  const pem = JSON.stringify(f.pem('ec')).slice(1, -1);
  return { text: `{\n  "name": "organizations/${f.uuid()}/apiKeys/${f.uuid()}",\n  "privateKey": "${pem}"\n}`, secret: pem.replace(/\\n$/, '') };
}, ['json-file']);
tok('coinbase-cdp-ed25519-key', 'CDP_API_KEY_SECRET', () => f.ed25519Cdp());

// chat
tok('slack-bot-token', 'SLACK_BOT_TOKEN', () => `xoxb-${num(12)}-${num(13)}-${s(ALNUM, 24)}`);
tok('slack-user-token', 'SLACK_USER_TOKEN', () => `xoxp-${num(12)}-${num(12)}-${num(13)}-${s(HEX, 32)}`);
tok('slack-app-token', 'SLACK_APP_TOKEN', () => `xapp-1-A${s(UPPER_ALNUM, 10)}-${num(13)}-${s(HEX, 64)}`);
tok('slack-config-token', 'SLACK_CONFIG_TOKEN', () => `xoxe.xoxp-1-${s(ALNUM, 164)}`);
tok('slack-config-refresh-token', 'SLACK_CONFIG_REFRESH_TOKEN', () => `xoxe-1-${s(ALNUM, 146)}`);
tok('slack-legacy-token', 'SLACK_LEGACY_TOKEN', () => `xoxs-${num(11)}-${num(11)}-${num(12)}-${s(HEX, 64)}`);
tok('slack-webhook-url', 'SLACK_WEBHOOK_URL', () => url(`https://hooks.slack.com/services/T${s(UPPER_ALNUM, 10)}/B${s(UPPER_ALNUM, 10)}/${s(ALNUM, 24)}`));
tok('discord-bot-token', 'DISCORD_BOT_TOKEN', () => f.discordBot());
tok('discord-webhook-url', 'DISCORD_WEBHOOK', () => url(`https://discord.com/api/webhooks/${num(19)}/${s(B64URL, 68)}`));
tok('telegram-bot-token', 'TELEGRAM_BOT_TOKEN', () => `${num(10)}:AA${s(B64URL, 33)}`);
tok('microsoft-teams-webhook', 'TEAMS_WEBHOOK_URL', () => url(`https://acme.webhook.office.com/webhookb2/${f.uuid()}@${f.uuid()}/IncomingWebhook/${s(HEX, 32)}/${f.uuid()}`));
tok('power-automate-webhook', 'FLOW_URL', () => {
  const sig = s(B64URL, 43);
  return url(`https://prod-${num(2)}.westeurope.logic.azure.com:443/workflows/${s(HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`, sig);
});
tok('mattermost-access-token', 'MATTERMOST_TOKEN', () => s(LOWER_ALNUM, 26));
tok('pusher-app-secret', 'PUSHER_APP_SECRET', () => s(HEX, 20));
tok('microsoft-teams-workflow-webhook', 'TEAMS_WORKFLOW_URL', () => {
  const sig = s(B64URL, 43);
  return url(`https://${s(HEX, 30)}.${s(HEX, 2)}.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/${s(HEX, 32)}/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`, sig);
});
tok('webex-access-token', 'WEBEX_ACCESS_TOKEN', () => `${s(ALNUM, 64)}_${s(UPPER_ALNUM, 4)}_${f.uuid()}`);
tok('lark-webhook-url', 'LARK_WEBHOOK', () => url(`https://open.${pick(['feishu.cn', 'larksuite.com'])}/open-apis/bot/v2/hook/${f.uuid()}`));
tok('zulip-api-key', 'ZULIP_API_KEY', () => s(ALNUM, 32));
tok('gitter-token', 'GITTER_TOKEN', () => s(HEX, 40));

// messaging
tok('twilio-api-key', 'TWILIO_API_KEY', () => `SK${s(HEX, 32)}`);
tok('twilio-auth-token', 'TWILIO_AUTH_TOKEN', () => s(HEX, 32));
tok('sendgrid-api-key', 'SENDGRID_API_KEY', () => `SG.${s(B64URL, 22)}.${s(B64URL, 43)}`);
tok('mailgun-api-key', 'MAILGUN_API_KEY', () => `key-${s(HEX, 32)}`);
tok('mailgun-private-key', 'MAILGUN_PRIVATE_KEY', () => `${s(HEX, 32)}-${s(HEX, 8)}-${s(HEX, 8)}`);
tok('mailchimp-api-key', 'MAILCHIMP_API_KEY', () => `${s(HEX, 32)}-us${1 + rng.int(21)}`);
tok('brevo-api-key', 'BREVO_API_KEY', () => `xkeysib-${s(HEX, 64)}-${s(ALNUM, 16)}`);
tok('brevo-smtp-key', 'BREVO_SMTP_KEY', () => `xsmtpsib-${s(HEX, 64)}-${s(ALNUM, 16)}`);
tok('postmark-server-token', 'POSTMARK_SERVER_TOKEN', () => f.uuid());
tok('mandrill-api-key', 'MANDRILL_API_KEY', () => s(B64URL, 22));
tok('mailjet-secret-key', 'MAILJET_SECRET_KEY', () => s(HEX, 32));
tok('sparkpost-api-key', 'SPARKPOST_API_KEY', () => s(HEX, 40));
tok('vonage-api-secret', 'VONAGE_API_SECRET', () => s(ALNUM, 16));
tok('messagebird-api-key', 'MESSAGEBIRD_API_KEY', () => s(ALNUM, 25));
tok('plivo-auth-token', 'PLIVO_AUTH_TOKEN', () => s(ALNUM, 40));
tok('sendbird-api-token', 'SENDBIRD_API_TOKEN', () => s(HEX, 40));

// ai
const openai = (kind) => `sk-${kind}-${s(B64URL, 74)}T3BlbkFJ${s(B64URL, 74)}`;
tok('openai-api-key', 'OPENAI_API_KEY', () => `sk-${s(ALNUM, 20)}T3BlbkFJ${s(ALNUM, 20)}`);
tok('openai-project-key', 'OPENAI_API_KEY', () => openai('proj'));
tok('openai-service-account-key', 'OPENAI_API_KEY', () => openai('svcacct'));
tok('openai-admin-key', 'OPENAI_ADMIN_KEY', () => openai('admin'));
tok('anthropic-api-key', 'ANTHROPIC_API_KEY', () => `sk-ant-api03-${s(B64URL, 93)}AA`);
tok('anthropic-admin-key', 'ANTHROPIC_ADMIN_KEY', () => `sk-ant-admin01-${s(B64URL, 93)}AA`);
tok('huggingface-access-token', 'HF_TOKEN', () => `hf_${s(LETTERS, 34)}`);
tok('huggingface-org-token', 'HF_ORG_TOKEN', () => `api_org_${s(LETTERS, 34)}`);
tok('groq-api-key', 'GROQ_API_KEY', () => `gsk_${s(ALNUM, 52)}`);
tok('replicate-api-token', 'REPLICATE_API_TOKEN', () => `r8_${s(ALNUM, 37)}`);
tok('perplexity-api-key', 'PERPLEXITY_API_KEY', () => `pplx-${s(ALNUM, 48)}`);
tok('xai-api-key', 'XAI_API_KEY', () => `xai-${s(ALNUM, 80)}`);
tok('langsmith-api-key', 'LANGSMITH_API_KEY', () => `lsv2_${pick(['pt', 'sk'])}_${s(HEX, 32)}_${s(HEX, 10)}`);
tok('pinecone-api-key', 'PINECONE_API_KEY', () => `pcsk_${s(ALNUM, 6)}_${s(ALNUM, 64)}`);
tok('openrouter-api-key', 'OPENROUTER_API_KEY', () => `sk-or-v1-${s(HEX, 64)}`);
tok('nvidia-api-key', 'NVIDIA_API_KEY', () => `nvapi-${s(B64URL, 64)}`);
tok('langfuse-secret-key', 'LANGFUSE_SECRET_KEY', () => `sk-lf-${f.uuid()}`);
tok('elevenlabs-api-key', 'ELEVENLABS_API_KEY', () => `sk_${s(HEX, 48)}`);
tok('cohere-api-key', 'COHERE_API_KEY', () => s(ALNUM, 40));
tok('mistral-api-key', 'MISTRAL_API_KEY', () => s(ALNUM, 32));
tok('deepseek-api-key', 'DEEPSEEK_API_KEY', () => `sk-${s(HEX, 32)}`);
tok('azure-openai-key', 'AZURE_OPENAI_API_KEY', () => s(HEX, 32));
tok('stability-api-key', 'STABILITY_API_KEY', () => `sk-${s(ALNUM, 48)}`);
tok('wandb-api-key', 'WANDB_API_KEY', () => s(HEX, 40));
tok('together-api-key', 'TOGETHER_API_KEY', () => s(HEX, 64));
tok('assemblyai-api-key', 'ASSEMBLYAI_API_KEY', () => s(HEX, 32));
tok('deepgram-api-key', 'DEEPGRAM_API_KEY', () => s(HEX, 40));
tok('clarifai-pat', 'CLARIFAI_PAT', () => s(HEX, 32));

// database
const dbUri = (scheme, user, host) => () => {
  const p = password();
  return url(`${scheme}://${user}:${p}@${host}`, p);
};
tok('postgres-connection-uri', 'DATABASE_URL', dbUri('postgresql', 'orders_svc', 'pg-primary.internal:5432/orders?sslmode=require'));
tok('mysql-connection-uri', 'MYSQL_URL', dbUri('mysql', 'shop', 'mysql.prod.internal:3306/shop'));
tok('mongodb-connection-uri', 'MONGODB_URI', dbUri('mongodb+srv', 'svc-api', 'cluster0.ab1cd.mongodb.net/prod?retryWrites=true&w=majority'));
tok('redis-connection-uri', 'REDIS_URL', dbUri('rediss', 'default', 'cache.prod.internal:6380/0'));
tok('amqp-connection-uri', 'BROKER_URL', dbUri('amqps', 'worker', 'mq.prod.internal:5671/prod'));
tok('neo4j-connection-uri', 'NEO4J_URI', dbUri('neo4j+s', 'neo4j', 'a1b2c3d4.databases.neo4j.io'));
tok('sqlserver-connection-uri', 'MSSQL_DSN', dbUri('sqlserver', 'app', 'sql.prod.internal:1433?database=orders'));
tok('jdbc-connection-password', 'SPRING_DATASOURCE_URL', () => {
  const p = password();
  return url(`jdbc:mysql://db.prod.internal:3306/app?user=app&password=${p}&useSSL=true`, p);
});
tok('planetscale-api-token', 'PLANETSCALE_SERVICE_TOKEN', () => `pscale_tkn_${s(B64URL, 43)}`);
tok('planetscale-password', 'PLANETSCALE_PASSWORD', () => `pscale_pw_${s(B64URL, 43)}`);
tok('planetscale-oauth-token', 'PLANETSCALE_OAUTH_TOKEN', () => `pscale_oauth_${s(B64URL, 43)}`);
tok('databricks-token', 'DATABRICKS_TOKEN', () => `dapi${s(HEX, 32)}`);
tok('clickhouse-cloud-api-secret', 'CLICKHOUSE_KEY_SECRET', () => `4b1d${s(ALNUM, 38)}`);
tok('mongodb-atlas-private-key', 'MONGODB_ATLAS_PRIVATE_KEY', () => f.uuid());
tok('influxdb-token', 'INFLUXDB_TOKEN', () => `${s(B64URL, 86)}==`);
tok('elasticsearch-api-key', 'ELASTIC_API_KEY', () => b64(`${s(B64URL, 20)}:${s(B64URL, 22)}`));
tok('upstash-redis-token', 'UPSTASH_REDIS_REST_TOKEN', () => `A${s(B64URL, 60)}=`);
tok('snowflake-connection-uri', 'SNOWFLAKE_URL', dbUri('snowflake', 'etl_user', 'acme-xy12345.snowflakecomputing.com/ANALYTICS?warehouse=COMPUTE_WH'));
tok('couchbase-connection-uri', 'COUCHBASE_URL', dbUri('couchbases', 'app', 'cb.ab1cd2ef3gh.cloud.couchbase.com'));
tok('snowflake-password', 'SNOWFLAKE_PASSWORD', password);
tok('couchbase-password', 'COUCHBASE_PASSWORD', password);

// observability
tok('datadog-api-key', 'DD_API_KEY', () => s(HEX, 32));
tok('datadog-app-key', 'DD_APP_KEY', () => s(HEX, 40));
tok('new-relic-user-api-key', 'NEW_RELIC_API_KEY', () => `NRAK-${s(UPPER_ALNUM, 27)}`);
tok('new-relic-license-key', 'NEW_RELIC_LICENSE_KEY', () => `${s(HEX, 36)}NRAL`);
tok('new-relic-browser-key', 'NEW_RELIC_BROWSER_KEY', () => `NRJS-${s(HEX, 19)}`);
tok('new-relic-insights-key', 'NEW_RELIC_INSERT_KEY', () => `NRII-${s(B64URL, 32)}`);
tok('new-relic-legacy-license-key', 'NEW_RELIC_LICENSE_KEY', () => s(HEX, 40));
tok('sentry-org-token', 'SENTRY_AUTH_TOKEN', () => `sntrys_${f.b64json({ iat: 1700000000 + rng.int(1e7), url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'acme' })}_${s(ALNUM + '+/', 43)}`);
tok('sentry-user-token', 'SENTRY_AUTH_TOKEN', () => `sntryu_${s(HEX, 64)}`);
tok('sentry-legacy-auth-token', 'SENTRY_AUTH_TOKEN', () => s(HEX, 64));
tok('grafana-cloud-token', 'GRAFANA_CLOUD_TOKEN', () => `glc_${f.b64json({ o: String(100000 + rng.int(900000)), n: 'ci', k: s(ALNUM, 24), m: { r: 'prod-eu-west-2' } })}`);
tok('grafana-service-account-token', 'GRAFANA_SA_TOKEN', () => `glsa_${s(ALNUM, 32)}_${s(HEX, 8)}`);
tok('grafana-api-key', 'GRAFANA_API_KEY', () => f.b64json({ k: s(ALNUM, 32), n: 'deploy', id: 1 }));
tok('dynatrace-api-token', 'DT_API_TOKEN', () => `dt0c01.${s(UPPER_ALNUM, 24)}.${s(UPPER_ALNUM, 64)}`);
tok('splunk-hec-token', 'SPLUNK_HEC_TOKEN', () => f.uuid());
tok('pagerduty-api-key', 'PAGERDUTY_ROUTING_KEY', () => s(HEX, 32));
tok('rollbar-access-token', 'ROLLBAR_ACCESS_TOKEN', () => s(HEX, 32));
tok('bugsnag-api-key', 'BUGSNAG_API_KEY', () => s(HEX, 32));
tok('posthog-personal-api-key', 'POSTHOG_PERSONAL_API_KEY', () => `phx_${s(ALNUM, 43)}`);
tok('axiom-token', 'AXIOM_TOKEN', () => `xaat-${f.uuid()}`);
tok('honeycomb-api-key', 'HONEYCOMB_API_KEY', () => s(ALNUM, 22));
tok('opsgenie-api-key', 'OPSGENIE_API_KEY', () => f.uuid());
tok('sumologic-access-key', 'SUMO_ACCESS_KEY', () => s(ALNUM, 64));
tok('logzio-token', 'LOGZIO_TOKEN', () => s(LETTERS, 32));
tok('loggly-token', 'LOGGLY_TOKEN', () => f.uuid());
tok('betterstack-token', 'BETTERSTACK_API_TOKEN', () => s(ALNUM, 24 + rng.int(9)));

// saas
tok('atlassian-api-token', 'JIRA_API_TOKEN', () => `ATATT3xFfGF0${s(B64URL, 171)}=${s(HEX_UPPER, 8)}`);
tok('atlassian-legacy-api-token', 'CONFLUENCE_API_TOKEN', () => s(ALNUM, 24));
tok('linear-api-key', 'LINEAR_API_KEY', () => `lin_api_${s(ALNUM, 40)}`);
tok('linear-oauth-token', 'LINEAR_OAUTH_TOKEN', () => `lin_oauth_${s(HEX, 64)}`);
tok('notion-integration-token', 'NOTION_TOKEN', () => `secret_${s(ALNUM, 43)}`);
tok('notion-api-token', 'NOTION_API_KEY', () => `ntn_${s(DIGITS, 11)}${s(ALNUM, 35)}`);
tok('postman-api-key', 'POSTMAN_API_KEY', () => `PMAK-${s(HEX, 24)}-${s(HEX, 34)}`);
tok('asana-pat', 'ASANA_ACCESS_TOKEN', () => `2/${num(16)}/${num(16)}:${s(HEX, 32)}`);
tok('airtable-pat', 'AIRTABLE_TOKEN', () => `pat${s(ALNUM, 14)}.${s(HEX, 64)}`);
tok('figma-pat', 'FIGMA_TOKEN', () => `figd_${s(B64URL, 40)}`);
tok('shopify-access-token', 'SHOPIFY_ACCESS_TOKEN', () => `shpat_${s(HEX, 32)}`);
tok('shopify-custom-app-token', 'SHOPIFY_CUSTOM_TOKEN', () => `shpca_${s(HEX, 32)}`);
tok('shopify-private-app-token', 'SHOPIFY_PASSWORD', () => `shppa_${s(HEX, 32)}`);
tok('shopify-shared-secret', 'SHOPIFY_API_SECRET', () => `shpss_${s(HEX, 32)}`);
tok('hubspot-private-app-token', 'HUBSPOT_ACCESS_TOKEN', () => `pat-${pick(['na1', 'eu1'])}-${f.uuid()}`);
tok('hubspot-api-key', 'HUBSPOT_API_KEY', () => f.uuid());
tok('typeform-token', 'TYPEFORM_TOKEN', () => `tfp_${s(B64URL, 44)}_${s(B64URL, 14)}`);
tok('contentful-pat', 'CONTENTFUL_MANAGEMENT_TOKEN', () => `CFPAT-${s(B64URL, 43)}`);
tok('dropbox-short-lived-token', 'DROPBOX_ACCESS_TOKEN', () => `sl.${s(B64URL, 138)}`);
tok('dropbox-long-lived-token', 'DROPBOX_TOKEN', () => `${s(ALNUM, 11)}AAAAAAAAAA${s(B64URL, 43)}`);
tok('mapbox-secret-token', 'MAPBOX_SECRET_TOKEN', () => `sk.${f.b64json({ u: 'acme', a: s(LOWER_ALNUM, 25) }, true)}.${s(B64URL, 22)}`);
tok('launchdarkly-key', 'LAUNCHDARKLY_SDK_KEY', () => `sdk-${f.uuid()}`);
tok('okta-api-token', 'OKTA_API_TOKEN', () => `00${s(B64URL, 40)}`);
tok('salesforce-access-token', 'SF_ACCESS_TOKEN', () => `00D${s(ALNUM, 15)}!${s(ALNUM + '.', 96)}`);
tok('easypost-api-key', 'EASYPOST_API_KEY', () => `EZAK${s(ALNUM, 54)}`);
tok('easypost-test-api-key', 'EASYPOST_TEST_API_KEY', () => `EZTK${s(ALNUM, 54)}`);
tok('duffel-api-token', 'DUFFEL_ACCESS_TOKEN', () => `duffel_live_${s(B64URL, 43)}`);
tok('shippo-api-token', 'SHIPPO_API_TOKEN', () => `shippo_live_${s(HEX, 40)}`);
tok('adobe-client-secret', 'ADOBE_CLIENT_SECRET', () => `p8e-${s(ALNUM, 32)}`);
tok('readme-api-key', 'README_API_KEY', () => `rdme_${s(LOWER_ALNUM, 70)}`);
tok('frameio-api-token', 'FRAMEIO_TOKEN', () => `fio-u-${s(B64URL, 64)}`);
tok('prefect-api-key', 'PREFECT_API_KEY', () => `pnu_${s(ALNUM, 36)}`);
tok('intercom-access-token', 'INTERCOM_ACCESS_TOKEN', () => b64(`tok:${f.uuid()}:1:0`).replace(/=+$/, ''));
tok('twitter-bearer-token', 'TWITTER_BEARER_TOKEN', () => `${'A'.repeat(22)}${s(ALNUM, 18)}%3D${s(ALNUM, 60)}`);
tok('facebook-access-token', 'FACEBOOK_ACCESS_TOKEN', () => `EAAG${s(ALNUM, 180)}`);
tok('zendesk-api-token', 'ZENDESK_API_TOKEN', () => s(ALNUM, 40));
tok('algolia-admin-key', 'ALGOLIA_ADMIN_KEY', () => s(HEX, 32));
tok('auth0-client-secret', 'AUTH0_CLIENT_SECRET', () => s(B64URL, 64));
tok('maxmind-license-key', 'MAXMIND_LICENSE_KEY', () => `${s(ALNUM, 6)}_${s(ALNUM, 29)}_mmk`);
tok('zapier-webhook-url', 'ZAPIER_WEBHOOK', () => url(`https://hooks.zapier.com/hooks/catch/${num(7)}/${s(LOWER_ALNUM, 6)}`));
tok('cloudinary-url', 'CLOUDINARY_URL', () => {
  const k = s(B64URL, 27);
  return url(`cloudinary://${num(15)}:${k}@acme-media`, k);
});
tok('trello-api-token', 'TRELLO_TOKEN', () => `ATTA${s(HEX, 64)}${s(HEX_UPPER, 8)}`);
tok('mixpanel-api-secret', 'MIXPANEL_API_SECRET', () => s(HEX, 32));
tok('twitch-client-secret', 'TWITCH_CLIENT_SECRET', () => s(LOWER_ALNUM, 30));
tok('spotify-client-secret', 'SPOTIFY_CLIENT_SECRET', () => s(HEX, 32));
tok('aiven-api-token', 'AIVEN_API_TOKEN', () => `${s(B64, 370)}==`);
const dataCenterToken = () => Buffer.concat([Buffer.from(`${num(12)}:`), Buffer.from(rng.bytes(20))]).toString('base64');
tok('atlassian-datacenter-pat', 'JIRA_PAT', dataCenterToken);
tok('bitbucket-datacenter-token', 'BITBUCKET_HTTP_ACCESS_TOKEN', () => `BBDC-${dataCenterToken()}`);
tok('checkly-api-key', 'CHECKLY_API_KEY', () => `cu_${s(HEX, 32)}`);
tok('cloudsmith-api-key', 'CLOUDSMITH_API_KEY', () => s(HEX, 40));
tok('confluent-api-secret', 'CONFLUENT_CLOUD_API_SECRET', () => s(B64, 64));
tok('duo-secret-key', 'DUO_SECRET_KEY', () => s(ALNUM, 40));
tok('etherscan-api-key', 'ETHERSCAN_API_KEY', () => s(UPPER_ALNUM, 34));
tok('facebook-app-token', 'FACEBOOK_APP_TOKEN', () => `${num(16)}|${s(HEX, 32)}`);
custom('godaddy-api-key', () => {
  // The credential is the key:secret pair, and the pair is what the detector reports.
  const secret = `${s(ALNUM, 12)}_${s(ALNUM, 22)}:${s(ALNUM, 22)}`;
  return { text: `curl -sS -H "Authorization: sso-key ${secret}" https://api.godaddy.com/v1/domains`, secret };
}, ['sh']);
tok('jumpcloud-api-key', 'JUMPCLOUD_API_KEY', () => s(HEX, 40));
tok('ngrok-credential', 'NGROK_AUTHTOKEN', () => `${s(ALNUM, 27)}_${s(ALNUM, 21)}`);
tok('onelogin-client-secret', 'ONELOGIN_CLIENT_SECRET', () => s(HEX, 64));
tok('packagecloud-token', 'PACKAGECLOUD_TOKEN', () => s(HEX, 48));
tok('portainer-access-token', 'PORTAINER_API_KEY', () => `ptr_${s(B64, 43)}=`);
tok('rootly-api-key', 'ROOTLY_API_TOKEN', () => `rootly_${s(HEX, 64)}`);
tok('segment-public-api-token', 'SEGMENT_PUBLIC_API_TOKEN', () => `sgp_${s(ALNUM, 64)}`);
tok('segment-write-key', 'SEGMENT_WRITE_KEY', () => s(ALNUM, 32));
tok('statuspage-api-key', 'STATUSPAGE_API_KEY', () => (rng.int(2) ? s(HEX, 32) : f.uuid()));

// crypto
const block = (make) => () => {
  const v = make().trimEnd();
  return { value: v, secret: v, block: true };
};
tok('private-key', 'TLS_PRIVATE_KEY', block(() => f.pem(pick(['pkcs8', 'rsa', 'ec']))));
tok('encrypted-private-key', 'SIGNING_KEY', block(() => f.pem(pick(['encrypted', 'rsa-encrypted']))));
tok('openssh-private-key', 'DEPLOY_SSH_KEY', block(() => f.openssh(pick(['none', 'aes256-ctr']))));
tok('pgp-private-key', 'GPG_PRIVATE_KEY', block(() => f.pgp()));
custom('ppk-private-key', () => {
  const k = f.ppk(pick(['none', 'aes256-cbc']));
  return { text: k, secret: /Private-Lines: \d+\n([\s\S]*?)\nPrivate-MAC/.exec(k)[1] };
}, ['key-file']);
tok('jwt', 'SERVICE_JWT', () => f.jwt({ iss: pick(['https://auth.acme.example', 'https://token.actions.githubusercontent.com']), exp: 1900000000 + rng.int(1e7), role: 'service' }, { alg: pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' }));
tok('age-secret-key', 'SOPS_AGE_KEY', () => f.age());
custom('wireguard-private-key', () => {
  const k = s(B64, 42) + pick(['A', 'E', 'I', 'M', 'Q', 'U', 'Y', 'c', 'g', 'k', 'o', 's', 'w', '0', '4', '8']) + '=';
  return { text: `[Interface]\nPrivateKey = ${k}\nAddress = 10.8.0.${2 + rng.int(200)}/32\nDNS = 1.1.1.1`, secret: k };
}, ['ini']);
tok('hex-private-key', 'DEPLOYER_PRIVATE_KEY', () => `0x${s(HEX, 64)}`);

// generic
const GENERIC_KEYS = {
  'generic-password': ['DB_PASSWORD', 'SMTP_PASSWORD', 'ADMIN_PASS', 'mysql_root_password', 'ldapBindPassword', 'KEYSTORE_PASSWORD', 'redis_pass', 'REGISTRY_PASSWORD'],
  'generic-api-key': ['API_KEY', 'apiKey', 'X_API_KEY', 'internal_api_key', 'PAYMENTS_API_KEY', 'ACCESS_KEY'],
  'generic-secret': ['CLIENT_SECRET', 'SECRET_KEY', 'jwt_secret', 'webhookSecret', 'SESSION_SECRET', 'ENCRYPTION_KEY', 'signing_key'],
  'generic-token': ['AUTH_TOKEN', 'ACCESS_TOKEN', 'refresh_token', 'SERVICE_TOKEN', 'apiToken', 'INTERNAL_TOKEN'],
};
SPECS['generic-password'] = { keys: GENERIC_KEYS['generic-password'], make: password };
for (const id of ['generic-api-key', 'generic-secret', 'generic-token']) {
  SPECS[id] = { keys: GENERIC_KEYS[id], make: () => pick([() => s(ALNUM, 32), () => s(HEX, 40), () => s(B64URL, 43), () => s(B64, 44)])() };
}
custom('authorization-basic', () => {
  const v = b64(`ci-bot:${password()}`);
  return { text: pick([`curl -fsS -H "Authorization: Basic ${v}" https://artifacts.internal/api/upload`, `    headers: { Authorization: 'Basic ${v}' },`]), secret: v };
}, ['sh', 'js']);
custom('authorization-bearer', () => {
  const v = s(B64URL, 40);
  return { text: pick([`curl -H "Authorization: Bearer ${v}" https://api.internal/v1/deploy`, `    headers = {"Authorization": "Bearer ${v}"}`]), secret: v };
}, ['sh', 'py']);
custom('xml-secret', () => {
  const v = password();
  return { text: `<servers>\n  <server>\n    <id>nexus-releases</id>\n    <username>deployer</username>\n    <password>${v}</password>\n  </server>\n</servers>`, secret: v };
}, ['xml']);
custom('netrc-password', () => {
  const v = password();
  return { text: `machine artifacts.acme.internal\n  login ci-bot\n  password ${v}`, secret: v };
}, ['netrc']);
custom('curl-user-password', () => {
  const v = password();
  return { text: pick([`curl -fsS -u ci-bot:${v} https://artifacts.internal/api/upload`, `curl --retry 3 --user "ci-bot:${v}" -T dist.tgz https://artifacts.internal/upload/`]), secret: v };
}, ['sh']);
custom('wget-password', () => {
  const v = password();
  return { text: pick([`wget -q --user=ci-bot --password=${v} https://artifacts.internal/dist.tgz`, `wget --http-user ci-bot --http-password "${v}" -O dist.tgz https://artifacts.internal/dist.tgz`]), secret: v };
}, ['sh']);
custom('ldap-bind-password', () => {
  const v = password();
  return { text: pick([`binddn cn=nslcd,ou=services,dc=acme,dc=internal\nbindpw ${v}`, `[domain/acme]\nldap_default_bind_dn = cn=sssd,ou=services,dc=acme,dc=internal\nldap_default_authtok = ${v}`]), secret: v };
}, ['ini']);

// ---------------------------------------------------------------------------------------------
// Decoys: look-alikes that must not be reported. Grouped by the family they imitate.
// ---------------------------------------------------------------------------------------------
const DECOYS = {
  vcs: [
    ['GITHUB_TOKEN', () => corrupt(f.checksummed('ghp_'))],
    ['GITHUB_TOKEN', () => 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['GH_TOKEN', () => '${{ secrets.GITHUB_TOKEN }}'],
    ['GITHUB_SHA', () => s(HEX, 40)],
    ['GITLAB_TOKEN', () => corrupt(f.gitlabRoutable('glpat-'))],
    ['NPM_OR_GH', () => corrupt(f.checksummed('gho_'))],
    ['CI_COMMIT_SHA', () => s(HEX, 40)],
    ['GITHUB_PAT', () => 'github_pat_<your-token>'],
  ],
  cloud: [
    ['AWS_ACCESS_KEY_ID', () => 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS_SECRET_ACCESS_KEY', () => 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['AWS_SECRET_ACCESS_KEY', () => '${AWS_SECRET_ACCESS_KEY}'],
    ['AWS_SECRET_ACCESS_KEY', () => s(HEX, 40)],
    ['AZURE_TENANT_ID', () => f.uuid()],
    ['AZURE_CLIENT_ID', () => f.uuid()],
    ['HEROKU_APP_ID', () => f.uuid()],
    ['AZURE_STORAGE_KEY', () => '<storage-account-key>'],
    ['GOOGLE_API_KEY', () => `AIza${s(B64URL, 20)}`],
    ['ROLE_ARN', () => `arn:aws:iam::${s(DIGITS, 12)}:role/deploy`],
    ['CLOUDFLARE_ZONE_ID', () => s(HEX, 32)],
    ['INSTANCE_TYPE', () => 't1.micro'],
  ],
  ci: [
    ['VAULT_TOKEN', () => 'hvs.example'],
    ['VAULT_ADDR', () => 'https://vault.internal:8200'],
    ['CIRCLE_SHA1', () => s(HEX, 40)],
    ['SNYK_ORG', () => f.uuid()],
    ['TF_TOKEN', () => 'var.tfc_token'],
    ['SONAR_PROJECT_KEY', () => `acme_${s(LOWER, 8)}`],
    ['DOPPLER_TOKEN', () => `dp.pt.${s(ALNUM, 10)}`],
    ['CODECOV_TOKEN', () => '${{ secrets.CODECOV_TOKEN }}'],
  ],
  registry: [
    ['NPM_TOKEN', () => corrupt(f.checksummed('npm_'))],
    ['NPM_TOKEN', () => '${NPM_TOKEN}'],
    ['TWINE_PASSWORD', () => f.pypi().slice(0, -24)],
    ['TWINE_PASSWORD', () => `pypi-AgEIcHlwaS5vcmc${s(B64URL, 80)}`],
    ['DOCKERHUB_TOKEN', () => 'dckr_pat_<token>'],
    ['NUGET_SOURCE', () => 'https://api.nuget.org/v3/index.json'],
    ['CARGO_REGISTRY_TOKEN', () => '${{ secrets.CARGO_TOKEN }}'],
  ],
  payment: [
    ['STRIPE_PUBLISHABLE_KEY', () => `pk_live_${s(ALNUM, 99)}`],
    ['STRIPE_SECRET_KEY', () => 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['STRIPE_SECRET_KEY', () => 'sk_live_' + '0'.repeat(24)],
    ['PLAID_CLIENT_ID', () => s(HEX, 24)],
    ['RAZORPAY_KEY_ID', () => `rzp_live_${s(ALNUM, 14)}`],
    ['SQUARE_LOCATION_ID', () => `L${s(UPPER_ALNUM, 12)}`],
    ['PAYPAL_CLIENT_ID', () => `A${s(B64URL, 79)}`],
  ],
  chat: [
    ['SLACK_WEBHOOK_URL', () => 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['SLACK_BOT_TOKEN', () => 'xoxb-your-bot-token'],
    ['SLACK_CHANNEL_ID', () => `C${s(UPPER_ALNUM, 10)}`],
    ['DISCORD_BOT_TOKEN', () => `MTIzNDU2Nzg5MDEyMzQ1Njc4.${s(B64URL, 6)}.${'x'.repeat(38)}`],
    ['DISCORD_CLIENT_ID', () => num(18)],
    ['TELEGRAM_CHAT_ID', () => `-100${num(10)}`],
    ['TELEGRAM_BOT_TOKEN', () => '123456789:ABCdefGhIJKlmNoPQRsTUVwxyZ'],
  ],
  messaging: [
    ['TWILIO_ACCOUNT_SID', () => `AC${s(HEX, 32)}`],
    ['TWILIO_PHONE_NUMBER', () => `+1${num(10)}`],
    ['SENDGRID_API_KEY', () => 'SG.xxxxxxxx.yyyyyyyy'],
    ['MAILGUN_DOMAIN', () => 'mg.acme.example'],
    ['MAILCHIMP_LIST_ID', () => s(HEX, 10)],
    ['POSTMARK_SERVER_TOKEN', () => 'POSTMARK_API_TEST'],
  ],
  ai: [
    ['OPENAI_API_KEY', () => 'sk-proj-REPLACE_ME'],
    ['OPENAI_API_KEY', () => 'sk-...'],
    ['OPENAI_MODEL', () => 'gpt-4o-mini'],
    ['HF_TOKEN', () => 'hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['ANTHROPIC_API_KEY', () => '<your-anthropic-key>'],
    ['AZURE_OPENAI_ENDPOINT', () => 'https://acme.openai.azure.com/'],
    ['MAX_TOKENS', () => '4096'],
  ],
  database: [
    ['DATABASE_URL', () => 'postgres://postgres:postgres@localhost:5432/app_dev'],
    ['DATABASE_URL', () => 'postgresql://user:password@host:5432/db'],
    ['MONGODB_URI', () => 'mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/'],
    ['REDIS_URL', () => 'redis://:${REDIS_PASSWORD}@redis:6379/0'],
    ['BROKER_URL', () => 'amqp://guest:guest@localhost:5672//'],
    ['JDBC_URL', () => 'jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}'],
    ['DATABASE_URL', () => 'mysql://root:%s@%s:3306/app'],
    ['NEO4J_URI', () => 'bolt://neo4j:neo4j@localhost:7687'],
  ],
  observability: [
    ['DD_SITE', () => 'datadoghq.eu'],
    ['SENTRY_DSN', () => `https://${s(HEX, 32)}@o${num(6)}.ingest.sentry.io/${num(7)}`],
    ['DD_API_KEY', () => 'changeme'],
    ['GRAFANA_CLOUD_TOKEN', () => `glc_${s(ALNUM, 80)}`],
    ['DD_TRACE_ID', () => num(19)],
    ['NEW_RELIC_APP_NAME', () => 'orders-api'],
  ],
  saas: [
    ['MAPBOX_PUBLIC_TOKEN', () => `pk.${f.b64json({ u: 'acme', a: s(LOWER_ALNUM, 25) }, true)}.${s(B64URL, 22)}`],
    ['SHOPIFY_STORE', () => 'acme.myshopify.com'],
    ['JIRA_BASE_URL', () => 'https://acme.atlassian.net'],
    ['SECRET_KEY_BASE', () => 'secret_key_base_for_development_only_change_me'],
    ['HUBSPOT_PORTAL_ID', () => num(8)],
    ['LD_CLIENT_SIDE_ID', () => s(HEX, 24)],
    ['OKTA_ISSUER', () => 'https://acme.okta.com/oauth2/default'],
  ],
  crypto: [
    ['TLS_CERT', () => ({ value: f.pem('ec').replace(/PRIVATE KEY/g, 'PUBLIC KEY').trimEnd(), block: true, mangle: true })],
    ['SSH_PUBLIC_KEY', () => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${s(B64, 43)} deploy@ci`],
    ['JWT_EXAMPLE', () => 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
    ['SIGNING_KEY', () => ({ value: '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----', block: true })],
    ['AGE_RECIPIENT', () => `age1${s('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58)}`],
    ['DEPLOYER_ADDRESS', () => `0x${s(HEX, 40)}`],
    ['SOPS_AGE_KEY', () => `AGE-SECRET-KEY-1${'Q'.repeat(58)}`],
  ],
  generic: [
    ['DB_PASSWORD', () => 'changeme'],
    ['DB_PASSWORD', () => '${DB_PASSWORD}'],
    ['PASSWORD', () => '{{ .Values.password }}'],
    ['ADMIN_PASSWORD', () => '********'],
    ['password_hash', () => s(HEX, 32)],
    ['PASSWORD_MIN_LENGTH', () => '12'],
    ['API_KEY', () => 'your_api_key_here'],
    ['API_KEY_ID', () => s(ALNUM, 32)],
    ['REQUEST_ID', () => f.uuid()],
    ['CLIENT_SECRET', () => '${{ secrets.CLIENT_SECRET }}'],
    ['SECRET_NAME', () => 'prod/db/password'],
    ['TOKEN_URL', () => 'https://auth.example.org/oauth/token'],
    ['CSRF_TOKEN', () => s(ALNUM, 32)],
    ['TEST_PASSWORD', () => password()],
    ['MOCK_API_KEY', () => s(ALNUM, 32)],
    ['CHECKSUM_SHA256', () => s(HEX, 64)],
    ['PUBLIC_KEY', () => s(B64, 44)],
    ['SESSION_SECRET', () => 'please-change-this-secret'],
    ['TOKEN', () => 'tokenValue'],
    ['PASSWORD', () => 'Password: '],
    ['DB_PASSWORD', () => '{{ vault_db_password }}'],
    ['SMTP_PASSWORD', () => '$(cat /run/secrets/smtp)'],
    ['API_TOKEN', () => '<TOKEN>'],
    ['CLIENT_SECRET', () => '%(client_secret)s'],
    ['SECRET', () => '${SECRET:-dev-secret}'],
    ['PASSWORD_REGEX', () => '^(?=.*[A-Z]).{8,}$'],
    ['API_KEY_HEADER', () => 'X-API-Key'],
    ['TOKEN_TYPE', () => 'bearer'],
    ['API_KEY', () => 'settings.API_KEY'],
    ['ACCESS_TOKEN', () => 'None'],
    ['PASSWORD', () => 'P@ssw0rd'],
    ['ENCRYPTION_KEY_ID', () => f.uuid()],
    ['SECRET_VERSION', () => s(HEX, 32)],
    ['IMAGE_DIGEST', () => `sha256:${s(HEX, 64)}`],
    ['ETAG', () => s(HEX, 32)],
    ['NONCE_LENGTH', () => '32'],
    ['CACHE_KEY', () => `v1-deps-${s(HEX, 40)}`],
    ['TOKEN_ENDPOINT', () => 'https://login.example.org/oauth2/v2.0/token'],
  ],
  noise: [
    ['LOGO_PNG', () => s(B64, 300) + '=='],
    ['COMMIT', () => s(HEX, 40)],
    ['BUILD_ID', () => f.uuid()],
    ['INTEGRITY', () => `sha512-${s(B64, 86)}==`],
    ['RUN_ID', () => num(11)],
    ['PUBLIC_KEY_FINGERPRINT', () => `SHA256:${s(B64, 43)}`],
    ['CHANNEL_ID', () => `C${s(UPPER_ALNUM, 10)}`],
    ['TRACE_ID', () => s(HEX, 32)],
  ],
};

// ---------------------------------------------------------------------------------------------
// File syntaxes. A renderer takes a key and a value and returns the line(s) and where the value
// starts in them (so the planted span is exact even when the value is escaped).
// ---------------------------------------------------------------------------------------------
const snake = (k) => k.toLowerCase();
const camel = (k) => k.toLowerCase().replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const dotted = (k) => k.toLowerCase().replace(/_/g, '.');
const KINDS = {
  env: { file: '.env', forms: [(k, v) => `${k}=${v}`, (k, v) => `${k}="${v}"`] },
  yml: {
    file: 'config/app.yml',
    forms: [
      (k, v) => `  ${snake(k)}: ${v}`,
      (k, v) => `  ${snake(k)}: "${v}"`,
      (k, v) => `      ${k}: ${v}`,
      // Nested: `aws:\n  secret_access_key: ...` (the vendor is in the parent key).
      (k, v) => (k.includes('_') ? `${snake(k).split('_')[0]}:\n  ${snake(k).split('_').slice(1).join('_')}: ${v}` : `  ${snake(k)}: ${v}`),
    ],
  },
  json: { file: 'config/settings.json', forms: [(k, v) => `  "${camel(k)}": "${v}",`] },
  js: { file: 'src/config.js', forms: [(k, v) => `const ${camel(k)} = '${v}';`, (k, v) => `  ${camel(k)}: "${v}",`] },
  py: { file: 'app/settings.py', forms: [(k, v) => `${k} = "${v}"`, (k, v) => `os.environ.setdefault("${k}", "${v}")`] },
  properties: { file: 'src/main/resources/application.properties', forms: [(k, v) => `${dotted(k)}=${v}`] },
  tf: { file: 'infra/main.tf', forms: [(k, v) => `  ${snake(k)} = "${v}"`] },
  docker: { file: 'Dockerfile', forms: [(k, v) => `ENV ${k}=${v}`, (k, v) => `ARG ${k}="${v}"`] },
  sh: { file: 'scripts/deploy.sh', forms: [(k, v) => `export ${k}="${v}"`, (k, v) => `${k}='${v}'`] },
  ini: { file: 'conf/app.ini', forms: [(k, v) => `${snake(k)} = ${v}`] },
  xml: { file: 'settings.xml', forms: [] },
  netrc: { file: '.netrc', forms: [] },
  'json-file': { file: 'keys/service-account.json', forms: [] },
  'key-file': { file: 'keys/deploy.ppk', forms: [] },
};
const FILLER = {
  env: ['NODE_ENV=production', 'PORT=8080', 'LOG_LEVEL=info', 'FEATURE_FLAGS=search,checkout', 'TZ=UTC', 'AWS_REGION=eu-west-1', 'PUBLIC_URL=https://shop.example.org'],
  yml: ['app:', '  name: orders', '  replicas: 3', '  image: ghcr.io/acme/orders:1.4.2', 'logging:', '  level: info', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11'],
  json: ['{', '  "name": "orders",', '  "version": "1.4.2",', '  "timeout": 30,', '  "region": "eu-west-1",', '  "features": ["search", "checkout"],'],
  js: ["import express from 'express';", 'const app = express();', "app.get('/health', (_req, res) => res.send('ok'));", 'export const TIMEOUT_MS = 30_000;', "const region = process.env.AWS_REGION ?? 'eu-west-1';"],
  py: ['import os', 'from pathlib import Path', 'DEBUG = False', 'ALLOWED_HOSTS = ["shop.example.org"]', 'TIME_ZONE = "UTC"', 'BASE_DIR = Path(__file__).resolve().parent'],
  properties: ['spring.application.name=orders', 'server.port=8080', 'management.endpoints.web.exposure.include=health', 'logging.level.root=INFO'],
  tf: ['resource "aws_s3_bucket" "artifacts" {', '  bucket = "acme-artifacts"', '  tags = { team = "platform" }', '}', 'locals {', '  region = "eu-west-1"', '}'],
  docker: ['FROM node:20-alpine@sha256:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci --omit=dev', 'USER node', 'CMD ["node", "server.js"]'],
  sh: ['#!/usr/bin/env bash', 'set -euo pipefail', 'cd "$(dirname "$0")/.."', 'npm ci', 'npm run build', 'echo "deploying $(git rev-parse --short HEAD)"'],
  ini: ['[server]', 'host = 0.0.0.0', 'port = 8080', '[logging]', 'level = info'],
  xml: ['<?xml version="1.0" encoding="UTF-8"?>', '<settings>', '</settings>'],
  netrc: ['machine github.com', '  login x-access-token'],
  'json-file': [],
  'key-file': [],
};
const TEXT_KINDS = ['env', 'yml', 'json', 'js', 'py', 'properties', 'tf', 'docker', 'sh', 'ini'];

/**
 * Renders `value` (single-line) for key `k` in a random form of `kind`; returns text and value
 * offset. Decoys use flat forms only: nesting `TEST_PASSWORD` as `test:\n  password:` would
 * turn a labelled decoy into something a reviewer could call a real secret.
 */
function renderKV(kind, k, value, flat = false) {
  const forms = KINDS[kind].forms;
  const form = flat && kind === 'yml' ? pick(forms.slice(0, -1)) : pick(forms);
  const marker = '\u0000';
  const withMarker = form(k, marker);
  const at = withMarker.indexOf(marker);
  return { text: withMarker.replace(marker, value), at };
}

/** Multi-line values: a YAML block scalar, a JSON string with \n escapes, or a shell heredoc. */
function renderBlock(kind, k, value) {
  if (kind === 'yml') {
    const indented = value.split('\n').join('\n    ');
    return { text: `  ${snake(k)}: |\n    ${indented}`, at: `  ${snake(k)}: |\n    `.length, inFile: indented };
  }
  if (kind === 'json') {
    const escaped = JSON.stringify(value).slice(1, -1);
    return { text: `  "${camel(k)}": "${escaped}",`, at: `  "${camel(k)}": "`.length, inFile: escaped };
  }
  const head = kind === 'py' ? `${k} = """\n` : `cat > /run/${snake(k)} <<'EOF'\n`;
  const tail = kind === 'py' ? '\n"""' : '\nEOF';
  return { text: head + value + tail, at: head.length, inFile: value };
}

// ---------------------------------------------------------------------------------------------
// Build the corpus.
// ---------------------------------------------------------------------------------------------
const missing = DETECTORS.filter((d) => !SPECS[d.id]).map((d) => d.id);
const stale = Object.keys(SPECS).filter((id) => !DETECTORS.some((d) => d.id === id));
if (missing.length || stale.length) {
  console.error(`bench specs out of date: missing ${missing.join(', ') || '-'}; unknown ${stale.join(', ') || '-'}`);
  process.exit(1);
}
const familyOf = new Map(DETECTORS.map((d) => [d.id, d.family]));

/** Items to place: { kind?, render(kind) → { text, spans: [{ start, end, id? }] } }. */
const items = [];
for (let r = 0; r < rounds; r++) {
  for (const d of DETECTORS) {
    const spec = SPECS[d.id];
    if (spec.line) {
      items.push({
        kinds: spec.kinds,
        render: () => {
          const { text, secret } = spec.line();
          const start = text.indexOf(secret);
          return { text, spans: [{ start, end: start + secret.length, id: d.id }] };
        },
      });
      continue;
    }
    items.push({
      kinds: TEXT_KINDS,
      render: (kind) => {
        const made = spec.make();
        const key = spec.keys ? pick(spec.keys) : spec.key;
        const value = typeof made === 'string' ? made : made.value;
        const secret = typeof made === 'string' ? made : made.secret;
        if (typeof made !== 'string' && made.block) {
          const b = renderBlock(kind, key, value);
          return { text: b.text, spans: [{ start: b.at, end: b.at + b.inFile.length, id: d.id }] };
        }
        const { text, at } = renderKV(kind, key, value);
        const start = at + value.indexOf(secret);
        return { text, spans: [{ start, end: start + secret.length, id: d.id }] };
      },
    });
  }
  for (const [family, decoys] of Object.entries(DECOYS)) {
    for (const [key, make] of decoys) {
      items.push({
        kinds: TEXT_KINDS,
        decoyFamily: family,
        render: (kind) => {
          const made = make();
          const value = typeof made === 'string' ? made : made.value;
          const r = typeof made !== 'string' && made.block ? renderBlock(kind, key, value) : renderKV(kind, key, value, true);
          return { text: r.text, spans: [], decoy: { start: r.at, end: r.at + value.length, family } };
        },
      });
    }
  }
}

// Shuffle, then deal items into files of 4-10 items of a kind each accepts, with filler between.
for (let i = items.length - 1; i > 0; i--) {
  const j = rng.int(i + 1);
  [items[i], items[j]] = [items[j], items[i]];
}
const files = [];
const open = new Map();
for (const item of items) {
  const kind = pick(item.kinds);
  let file = open.get(kind);
  if (!file) {
    file = { kind, name: `${files.length}/${KINDS[kind].file}`, text: '', spans: [], decoys: [], count: 0, cap: kind.endsWith('-file') ? 1 : 4 + rng.int(7) };
    files.push(file);
    open.set(kind, file);
  }
  const filler = FILLER[kind];
  for (let n = rng.int(3); n > 0 && filler.length; n--) file.text += pick(filler) + '\n';
  const base = file.text.length;
  const out = item.render(kind);
  file.text += out.text + '\n';
  for (const sp of out.spans) file.spans.push({ start: base + sp.start, end: base + sp.end, id: sp.id });
  if (out.decoy) file.decoys.push({ start: base + out.decoy.start, end: base + out.decoy.end, family: out.decoy.family });
  if (++file.count >= file.cap) open.delete(kind);
}

// Hand-written decoy files: everything reported there is a false positive.
const decoyDir = join(root, 'test/secrets-corpus/decoys');
for (const name of readdirSync(decoyDir)) {
  files.push({ kind: 'decoy-file', name: `decoys/${name}`, text: readFileSync(join(decoyDir, name), 'utf8'), spans: [], decoys: [], count: 0 });
}

if (writeDir) {
  for (const file of files) {
    const path = join(writeDir, file.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
  }
  writeFileSync(join(writeDir, 'labels.json'), JSON.stringify(files.map(({ name, spans }) => ({ name, secrets: spans })), null, 1));
}

// ---------------------------------------------------------------------------------------------
// Scan and score.
// ---------------------------------------------------------------------------------------------
const stats = new Map(Object.keys(DETECTOR_FAMILIES).map((fam) => [fam, { detectors: DETECTOR_FAMILIES[fam].length, planted: 0, found: 0, foundAny: 0, reported: 0, correct: 0, decoys: 0 }]));
const noise = { decoys: 0 };
const misses = [];
const falsePositives = [];
let bytes = 0;
const t0 = performance.now();
const results = files.map((file) => {
  bytes += file.text.length;
  return detectSecrets(file.text);
});
const elapsed = performance.now() - t0;
const overlaps = (a, b) => a.start < b.end && b.start < a.end;

files.forEach((file, i) => {
  const hits = results[i];
  for (const d of file.decoys) (stats.get(d.family) ?? noise).decoys++;
  for (const sp of file.spans) {
    const st = stats.get(familyOf.get(sp.id));
    st.planted++;
    const hit = hits.find((h) => h.detectorId === sp.id && overlaps(h, sp));
    const other = hits.find((h) => overlaps(h, sp));
    if (other) st.foundAny++;
    if (hit) st.found++;
    else {
      misses.push(`${sp.id} in ${file.name}${other ? ` (reported as ${other.detectorId})` : ''}: ${JSON.stringify(file.text.slice(Math.max(0, sp.start - 40), sp.end + 10))}`);
    }
  }
  for (const h of hits) {
    const st = stats.get(familyOf.get(h.detectorId));
    st.reported++;
    if (file.spans.some((sp) => overlaps(h, sp))) st.correct++;
    else falsePositives.push(`${h.detectorId} in ${file.name}: ${JSON.stringify(file.text.slice(Math.max(0, h.start - 40), h.end + 10))}`);
  }
});

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const rows = [...stats.entries()];
const total = rows.reduce(
  (t, [, s]) => ({ detectors: t.detectors + s.detectors, planted: t.planted + s.planted, found: t.found + s.found, foundAny: t.foundAny + s.foundAny, reported: t.reported + s.reported, correct: t.correct + s.correct, decoys: t.decoys + s.decoys }),
  { detectors: 0, planted: 0, found: 0, foundAny: 0, reported: 0, correct: 0, decoys: noise.decoys },
);
const lines = [
  `Secrets detector accuracy (seed ${seed}, ${rounds} plants per detector, ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB, scanned in ${elapsed.toFixed(0)} ms)`,
  '',
  '| Family | Detectors | Planted | Found | Recall | Found by any | Decoys | Reported | Correct | Precision |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(([fam, s]) => `| ${fam} | ${s.detectors} | ${s.planted} | ${s.found} | ${pct(s.found, s.planted)} | ${pct(s.foundAny, s.planted)} | ${s.decoys} | ${s.reported} | ${s.correct} | ${pct(s.correct, s.reported)} |`),
  `| **all** | ${total.detectors} | ${total.planted} | ${total.found} | ${pct(total.found, total.planted)} | ${pct(total.foundAny, total.planted)} | ${total.decoys} | ${total.reported} | ${total.correct} | ${pct(total.correct, total.reported)} |`,
  '',
  'Recall counts a secret as found only when the detector it was planted for reports it; "found by any" also counts another detector (usually a generic one) reporting it.',
  `Decoys: ${total.decoys} generated look-alikes (${noise.decoys} of them high-entropy non-secrets: digests, ids, base64 data) plus ${readdirSync(decoyDir).length} hand-written decoy files (test/secrets-corpus/decoys/).`,
];
console.log(lines.join('\n'));
if (verbose || misses.length + falsePositives.length <= 20) {
  for (const m of misses) console.error(`MISS ${m}`);
  for (const fp of falsePositives) console.error(`FP   ${fp}`);
}
if (cleanDir) {
  const TEXT = /\.(?:[cm]?[jt]sx?|json|ya?ml|md|txt|toml|ini|cfg|conf|properties|xml|py|rb|go|java|kt|sh|env|tf)$/i;
  const reported = {};
  let count = 0;
  let size = 0;
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (TEXT.test(name) && st.size < 2_000_000) {
        const text = readFileSync(path, 'utf8');
        count++;
        size += text.length;
        for (const h of detectSecrets(text)) {
          const fam = familyOf.get(h.detectorId);
          reported[fam] = (reported[fam] ?? 0) + 1;
          if (verbose) console.error(`CLEAN ${h.detectorId} in ${path}: ${JSON.stringify(text.slice(Math.max(0, h.start - 40), h.end + 10))}`);
        }
      }
    }
  };
  walk(cleanDir);
  const list = Object.entries(reported).map(([fam, n]) => `${fam} ${n}`).join(', ') || 'none';
  console.log(`\nReported in ${count} files (${(size / 1e6).toFixed(1)} MB) of ${cleanDir}, assumed secret-free: ${list}.`);
}

const below = rows.filter(([, s]) => (s.planted && s.found / s.planted < 0.95) || (s.reported && s.correct / s.reported < 0.95));
if (below.length) process.exitCode = 1;
