import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { CI_DETECTORS } from './ci.js';
import { ALNUM, B64, B64URL, BASE32, checkCase, coverageGaps, Fake, HEX, LOWER_ALNUM, Rng, UPPER_ALNUM, type DetectorCase } from './fake.js';

const f = new Fake(new Rng(3003));
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];
const yaml = (key: string, secret: string): [string, string] => [`  ${key}: "${secret}"`, secret];
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];

const scalrJwt = () => f.jwt({ jti: f.str(LOWER_ALNUM, 20), iss: 'https://acme.scalr.io', aud: 'scalr' });

const K8S_RAND = 'bcdfghjklmnpqrstvwxz2456789';
const bitwarden = (keyBytes = 16) => `0.${f.uuid()}.${f.str(ALNUM, 30)}:${Buffer.from(f.rng.bytes(keyBytes)).toString('base64')}`;
const infisical = () => `st.${f.str(HEX, 24)}.${f.str(HEX, 32)}.${f.str(HEX, 32)}`;
const rancher = () => `token-${f.str(K8S_RAND, 5)}:${f.str(K8S_RAND, 54)}`;

const CASES: DetectorCase[] = [
  {
    id: 'bitwarden-sm-access-token',
    pos: [env('BWS_ACCESS_TOKEN', bitwarden()), yaml('access_token', bitwarden()), line(bitwarden(), (s) => `await client.auth().loginAccessToken("${s}", stateFile);`)],
    // A 15- or 18-byte key is not a Bitwarden key; no name on the line; a bare id.
    neg: [`BWS_ACCESS_TOKEN=${bitwarden(15)}`, `BWS_ACCESS_TOKEN=${bitwarden(18)}`, `version = ${bitwarden()}`, `BWS_ACCESS_TOKEN=0.${f.uuid()}`],
  },
  {
    id: 'infisical-service-token',
    pos: [env('INFISICAL_TOKEN', infisical()), line(`st.${f.uuid()}.${f.str(HEX, 32)}.${f.str(HEX, 32)}`, (s) => `infisical run --token=${s} -- npm start`)],
    neg: [`INFISICAL_TOKEN=st.${f.str(HEX, 24)}.${f.str(HEX, 32)}`, `INFISICAL_TOKEN=st.${f.str(HEX, 24)}.${f.str(HEX, 20)}.${f.str(HEX, 32)}`, `const x = first.${f.str(HEX, 24)}.${f.str(HEX, 32)}.${f.str(HEX, 32)} // infisical`],
  },
  {
    id: 'rancher-api-token',
    pos: [env('CATTLE_TOKEN', rancher()), line(rancher(), (s) => `rancher login https://rancher.example.org --token ${s}`)],
    // Vowels are not in the alphabet; one character short.
    neg: [`CATTLE_TOKEN=token-${f.str(K8S_RAND, 5)}:${f.str(K8S_RAND, 50)}aeiou`, `CATTLE_TOKEN=token-${f.str(K8S_RAND, 5)}:${f.str(K8S_RAND, 53)}`, `token-abcde:${f.str(LOWER_ALNUM, 54)}`],
  },
  { id: 'circleci-personal-token', pos: [env('CIRCLE_TOKEN', `CCIPAT_${f.str(ALNUM, 22)}_${f.str(HEX, 40)}`)], neg: [`CCIPAT_${f.str(ALNUM, 22)}_${f.str(HEX, 20)}`] },
  { id: 'circleci-project-token', pos: [env('CIRCLE_PROJECT_TOKEN', `CCIPRJ_${f.str(ALNUM, 22)}_${f.str(HEX, 40)}`)], neg: [`CCIPRJ_${f.str(ALNUM, 10)}_${f.str(HEX, 40)}`] },
  { id: 'circleci-legacy-token', pos: [env('CIRCLECI_TOKEN', f.str(HEX, 40))], neg: [`CIRCLE_SHA1=${f.str(HEX, 40)}`] },
  { id: 'travis-ci-token', pos: [env('TRAVIS_API_TOKEN', f.str(B64URL, 22))], neg: [`TRAVIS_COMMIT=${f.str(HEX, 40)}`] },
  { id: 'jenkins-api-token', pos: [env('JENKINS_API_TOKEN', `11${f.str(HEX, 32)}`), yaml('jenkins_password', f.str(HEX, 32))], neg: [`JENKINS_URL=https://ci.example.org`, `JENKINS_API_TOKEN=${f.str(HEX, 20)}`] },
  { id: 'buildkite-api-token', pos: [env('BUILDKITE_API_TOKEN', `bkua_${f.str(HEX, 40)}`)], neg: [`bkua_${f.str(HEX, 30)}`] },
  { id: 'drone-ci-token', pos: [env('DRONE_TOKEN', f.str(ALNUM, 32))], neg: [`DRONE_COMMIT_SHA=${f.str(HEX, 40)}`] },
  {
    id: 'terraform-cloud-token',
    pos: [line(`${f.str(ALNUM, 14)}.atlasv1.${f.str(B64URL, 67)}`, (s) => `credentials "app.terraform.io" {\n  token = "${s}"\n}`)],
    neg: [`${f.str(ALNUM, 14)}.atlasv1.${f.str(B64URL, 20)}`],
  },
  {
    id: 'vault-service-token',
    pos: [env('VAULT_TOKEN', `hvs.${f.str(B64URL, 24)}`), env('VAULT_TOKEN', `hvs.CAESI${f.str(B64URL, 86)}`)],
    neg: ['VAULT_TOKEN=hvs.example', `hvs.${f.str(B64URL, 10)}`],
  },
  { id: 'vault-batch-token', pos: [env('VAULT_TOKEN', `hvb.${f.str(B64URL, 140)}`)], neg: [`hvb.${f.str(B64URL, 12)}`] },
  { id: 'vault-recovery-token', pos: [env('RECOVERY', `hvr.${f.str(B64URL, 24)}`)], neg: [`hvr.${f.str(B64URL, 8)}`] },
  { id: 'vault-legacy-token', pos: [env('VAULT_TOKEN', `s.${f.str(ALNUM, 24)}`), line(`s.${f.str(ALNUM, 24)}`, (s) => `curl -H "X-Vault-Token: ${s}" https://vault:8200/v1/secret`)], neg: [`s.${f.str(ALNUM, 24)}`, 'VAULT_TOKEN=s.xxxxxxxxxxxxxxxxxxxxxxxx'] },
  {
    id: 'doppler-token',
    pos: [env('DOPPLER_TOKEN', `dp.st.prd.${f.str(ALNUM, 43)}`), env('DOPPLER_TOKEN', `dp.pt.${f.str(ALNUM, 43)}`), env('DOPPLER_TOKEN', `dp.said.${f.str(ALNUM, 44)}`)],
    neg: [`dp.pt.${f.str(ALNUM, 20)}`, `dp.said.${f.str(ALNUM, 39)}`, `dp.xx.${f.str(ALNUM, 43)}`],
  },
  { id: 'pulumi-access-token', pos: [env('PULUMI_ACCESS_TOKEN', `pul-${f.str(HEX, 40)}`)], neg: [`pul-${f.str(HEX, 30)}`] },
  { id: 'octopus-deploy-api-key', pos: [env('OCTOPUS_API_KEY', `API-${f.str(UPPER_ALNUM, 26)}`)], neg: ['API-KEYNAMEDEFAULTSETTINGSXX', `API-${f.str(UPPER_ALNUM, 10)}`] },
  {
    id: 'harness-access-token',
    pos: [env('HARNESS_PLATFORM_API_KEY', `pat.${f.str(B64URL, 22)}.${f.str(ALNUM, 24)}.${f.str(ALNUM, 20)}`)],
    neg: [`pat.${f.str(B64URL, 22)}.${f.str(ALNUM, 10)}`],
  },
  { id: 'sonarqube-token', pos: [env('SONAR_TOKEN', `squ_${f.str(HEX, 40)}`), env('SONAR_TOKEN', `sqp_${f.str(HEX, 40)}`)], neg: [`sqx_${f.str(HEX, 40)}`] },
  { id: 'sonar-legacy-token', pos: [line(f.str(HEX, 40), (s) => `mvn sonar:sonar -Dsonar.login=${s}`)], neg: [`sonar.projectKey=${f.str(HEX, 40)}`] },
  { id: 'snyk-token', pos: [env('SNYK_TOKEN', f.uuid())], neg: [`SNYK_ORG_ID=${f.uuid()}`] },
  { id: 'codecov-token', pos: [env('CODECOV_TOKEN', f.uuid())], neg: ['CODECOV_TOKEN=${{ secrets.CODECOV_TOKEN }}'] },
  { id: 'infracost-api-key', pos: [env('INFRACOST_API_KEY', `ico-${f.str(ALNUM, 32)}`)], neg: [`ico-${f.str(ALNUM, 10)}`] },
  {
    id: 'teamcity-access-token',
    pos: [env('TEAMCITY_TOKEN', `eyJ0eXAiOiAiVENWMiJ9.${f.str(B64URL, 36)}.${f.str(B64URL, 48)}`)],
    neg: [`eyJ0eXAiOiAiVENWMiJ9.${f.str(B64URL, 10)}`],
  },
  {
    id: 'azure-devops-pat',
    pos: [env('AZURE_DEVOPS_EXT_PAT', `${f.str(ALNUM, 76)}AZDO${f.str(ALNUM, 4)}`)],
    neg: [`${f.str(ALNUM, 60)}AZDO${f.str(ALNUM, 4)}`],
  },
  {
    id: 'azure-devops-pat-legacy',
    pos: [env('AZURE_DEVOPS_PAT', f.str(BASE32.toLowerCase(), 52)), yaml('ado_token', f.str(BASE32.toLowerCase(), 52))],
    neg: [`AZURE_DEVOPS_ORG=${f.str(LOWER_ALNUM, 52)}`, `AZURE_DEVOPS_PAT=${f.str(BASE32.toLowerCase(), 30)}`],
  },
  {
    id: 'onepassword-service-account-token',
    pos: [env('OP_SERVICE_ACCOUNT_TOKEN', `ops_${f.b64json({ signInAddress: 'acme.1password.com', userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: f.str(B64URL, 22) }, email: `${f.str(LOWER_ALNUM, 12)}@1passwordserviceaccounts.com`, srpX: f.str(HEX, 64), muk: { kty: 'oct', k: f.str(B64URL, 43) }, secretKey: `A3-${f.str(UPPER_ALNUM, 6)}` })}`)],
    neg: [`ops_eyJ${f.str(B64, 300)}`],
  },
  { id: 'browserstack-access-key', pos: [env('BROWSERSTACK_ACCESS_KEY', f.str(ALNUM, 20))], neg: ['BROWSERSTACK_ACCESS_KEY=${{ secrets.BROWSERSTACK_ACCESS_KEY }}', `BROWSERSTACK_USERNAME=${f.str(LOWER_ALNUM, 20)}`] },
  { id: 'saucelabs-access-key', pos: [env('SAUCE_ACCESS_KEY', f.uuid()), yaml('sauce_labs_key', f.uuid())], neg: [`SAUCE_USERNAME=${f.uuid()}`, 'SAUCE_ACCESS_KEY=your-access-key'] },
  { id: 'coveralls-repo-token', pos: [env('COVERALLS_REPO_TOKEN', f.str(ALNUM, 33)), yaml('coveralls_token', f.str(ALNUM, 32))], neg: [`COVERALLS_SERVICE_NAME=${f.str(ALNUM, 33)}`, `COVERALLS_REPO_TOKEN=${f.str(ALNUM, 20)}`] },
  { id: 'codacy-token', pos: [env('CODACY_PROJECT_TOKEN', f.str(ALNUM, 32))], neg: [`CODACY_PROJECT_NAME=${f.str(ALNUM, 32)}`, `CODACY_PROJECT_TOKEN=${f.str(ALNUM, 31)}`] },
  { id: 'codeclimate-reporter-id', pos: [env('CC_TEST_REPORTER_ID', f.str(HEX, 64))], neg: [`CC_TEST_REPORTER_ID=${f.str(HEX, 40)}`, `CC_TEST_REPORTER_URL=${f.str(HEX, 64)}`] },
  { id: 'percy-token', pos: [env('PERCY_TOKEN', f.str(HEX, 64)), env('PERCY_TOKEN', `web_${f.str(HEX, 64)}`)], neg: [`PERCY_BRANCH=${f.str(HEX, 64)}`, `PERCY_TOKEN=web_${f.str(HEX, 40)}`] },
  { id: 'codemagic-api-token', pos: [env('CM_API_TOKEN', f.str(B64URL, 48)), yaml('codemagic_token', f.str(ALNUM, 43))], neg: [`CODEMAGIC_APP_ID=${f.str(HEX, 24)}`, `CM_API_TOKEN=${f.str(ALNUM, 20)}`] },
  { id: 'semaphore-api-token', pos: [env('SEMAPHORE_API_TOKEN', f.str(ALNUM, 20)), yaml('semaphore_token', f.str(B64URL, 40))], neg: ['SEMAPHORE_API_TOKEN=$SEMAPHORE_TOKEN', `SEMAPHORE_ORGANIZATION_URL=${f.str(LOWER_ALNUM, 20)}`] },
  {
    id: 'scalr-token',
    pos: [env('SCALR_TOKEN', scalrJwt())],
    neg: [`SCALR_TOKEN=eyJ${f.str(B64URL, 30)}.eyJ${f.str(B64URL, 60)}.${f.str(B64URL, 43)}`, 'SCALR_HOSTNAME=acme.scalr.io'],
  },
  {
    id: 'scalr-cli-credentials',
    pos: [line(scalrJwt(), (s) => `credentials "acme.scalr.io" {\n  token = "${s}"\n}`)],
    neg: [`credentials "app.terraform.io" {\n  token = "${scalrJwt()}"\n}`, 'credentials "acme.scalr.io" {\n  token = "<your token>"\n}'],
  },
];

describe('ci detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(CI_DETECTORS, CASES)).toEqual([]));
  it('a Bitwarden access token shows its access token id, never the secret or key', () => {
    const t = bitwarden();
    const hit = detectSecrets(`BWS_ACCESS_TOKEN=${t}`).find((x) => x.detectorId === 'bitwarden-sm-access-token');
    expect([hit?.secret, hit?.confidence, hit?.validation.properties]).toEqual([t, 'high', { accessTokenId: t.split('.')[1] }]);
  });

  it('percy-token: 64 hex with or without a token-type prefix, nothing shorter', () => {
    for (const prefix of ['', 'web_', 'app_', 'auto_', 'ss_', 'vmw_']) {
      const token = `${prefix}${f.str(HEX, 64)}`;
      expect(detectSecrets(`PERCY_TOKEN=${token}`).find((m) => m.detectorId === 'percy-token')?.secret).toBe(token);
    }
    expect(detectSecrets(`PERCY_TOKEN=app_${f.str(HEX, 63)}`).some((m) => m.detectorId === 'percy-token')).toBe(false);
  });
});
