/** CI/CD, infrastructure as code and secret managers: CircleCI, Terraform, Vault, Doppler, Pulumi... */
import type { Detector, Validation } from '../types.js';
import { validateJwt } from '../validators/jwt.js';
import { base64JsonValidator } from '../validators/structure.js';
import { keyed, raw, token, UUID } from './build.js';

const family = 'ci';

/** Kubernetes' `rand.String` alphabet (no vowels, no 0/1/3): Rancher token names and keys use it. */
const K8S_RAND = '[bcdfghjklmnpqrstvwxz2456789]';

/**
 * Bitwarden Secrets Manager access tokens: `0.<access token id>.<client secret>:<key>`, where
 * the key is base64 of 16 bytes (the regex fixes that shape); the access token id is safe to show.
 */
function validateBitwardenAccessToken(secret: string): Validation {
  return { status: 'valid', properties: { accessTokenId: secret.split('.')[1]! } };
}

export const CI_DETECTORS: Detector[] = [
  token({
    id: 'circleci-personal-token',
    title: 'CircleCI personal API token',
    family,
    keywords: ['ccipat_'],
    pattern: 'CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}',
    minEntropy: 3.5,
  }),
  token({
    id: 'circleci-project-token',
    title: 'CircleCI project API token',
    family,
    keywords: ['cciprj_'],
    pattern: 'CCIPRJ_[A-Za-z0-9]{22}_[a-f0-9]{40}',
    minEntropy: 3.5,
  }),
  keyed({
    id: 'circleci-legacy-token',
    title: 'CircleCI API token (legacy)',
    family,
    keywords: ['circle'],
    names: ['circle[_.-]?(?:ci[_.-]|ci)?(?:api[_.-]|api)?token'],
    value: '[a-f0-9]{40}',
    minEntropy: 3,
  }),
  keyed({
    id: 'travis-ci-token',
    title: 'Travis CI API token',
    family,
    keywords: ['travis'],
    names: ['travis[A-Za-z0-9_.-]{0,16}token'],
    value: '[A-Za-z0-9_-]{22}',
    minEntropy: 3.2,
  }),
  keyed({
    id: 'jenkins-api-token',
    title: 'Jenkins API token',
    family,
    keywords: ['jenkins'],
    names: ['jenkins[A-Za-z0-9_.-]{0,20}(?:token|password|api[_.-]?key)'],
    value: '11[a-f0-9]{32}|[a-f0-9]{32}',
    minEntropy: 3,
  }),
  token({ id: 'buildkite-api-token', title: 'Buildkite API access token', family, keywords: ['bkua_'], pattern: 'bkua_[a-f0-9]{40}', minEntropy: 3 }),
  keyed({
    id: 'drone-ci-token',
    title: 'Drone CI token',
    family,
    keywords: ['drone'],
    names: ['drone[A-Za-z0-9_.-]{0,16}token'],
    value: '[A-Za-z0-9]{32}',
    minEntropy: 3.5,
  }),
  token({
    id: 'terraform-cloud-token',
    // Vagrant Cloud (HCP Vagrant) tokens have the same `<14>.atlasv1.<...>` shape.
    title: 'Terraform Cloud / Enterprise or Vagrant Cloud API token',
    family,
    severity: 'critical',
    keywords: ['atlasv1'],
    pattern: '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}',
    anchor: '\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}',
    after: '(?![A-Za-z0-9_=-])',
    minEntropy: 4,
  }),
  token({
    id: 'vault-service-token',
    title: 'HashiCorp Vault service token',
    family,
    severity: 'critical',
    keywords: ['hvs.'],
    pattern: 'hvs\\.[A-Za-z0-9_-]{24,300}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  token({
    id: 'vault-batch-token',
    title: 'HashiCorp Vault batch token',
    family,
    keywords: ['hvb.'],
    pattern: 'hvb\\.[A-Za-z0-9_-]{24,400}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.8,
  }),
  token({
    id: 'vault-recovery-token',
    title: 'HashiCorp Vault recovery token',
    family,
    severity: 'critical',
    keywords: ['hvr.'],
    pattern: 'hvr\\.[A-Za-z0-9_-]{24,300}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  keyed({
    id: 'vault-legacy-token',
    title: 'HashiCorp Vault token (pre-1.10 format)',
    family,
    severity: 'critical',
    keywords: ['vault'],
    names: ['vault[_.-]?token', 'x-vault-token'],
    value: '[sb]\\.[A-Za-z0-9]{24}',
    minEntropy: 3.5,
  }),
  token({
    id: 'doppler-token',
    title: 'Doppler token',
    family,
    // Doppler documents each kind with its own prefix and 40-44 alphanumerics (the range is theirs);
    // `dp.said.` is a short-lived service account identity token.
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.said.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    pattern: 'dp\\.st\\.[a-z0-9_-]{2,35}\\.[A-Za-z0-9]{40,44}|dp\\.(?:pt|st|sa|said|ct|scim|audit)\\.[A-Za-z0-9]{40,44}',
    minEntropy: 3.8,
  }),
  token({
    id: 'bitwarden-sm-access-token',
    title: 'Bitwarden Secrets Manager machine account access token',
    family,
    severity: 'critical',
    // The token's own start (`0.`) is everywhere in code: keyed to the names it goes by instead
    // (`BWS_ACCESS_TOKEN`, the sm-action's `access_token`, the SDKs' `accessTokenLogin`).
    keywords: ['bws', 'bitwarden', 'access_token', 'access-token', 'accesstoken'],
    pattern: `0\\.${UUID}\\.[A-Za-z0-9]{20,64}:[A-Za-z0-9+/]{22}==`,
    before: '(?<![A-Za-z0-9_.-])',
    after: '(?![A-Za-z0-9+/=])',
    minEntropy: 3.5,
    validate: validateBitwardenAccessToken,
  }),
  token({
    // `st.<token id>.<secret>.<key>`: the id is a 24-hex object id (or a UUID), secret and key hex.
    id: 'infisical-service-token',
    title: 'Infisical service token',
    family,
    severity: 'critical',
    // `st.` alone is everywhere in code: the line must name Infisical (`INFISICAL_TOKEN`, `infisical run --token`).
    keywords: ['infisical'],
    pattern: `st\\.(?:[a-f0-9]{24}|${UUID})\\.[a-f0-9]{32,64}\\.[a-f0-9]{32,64}`,
    before: '(?<![A-Za-z0-9_.-])',
    minEntropy: 3,
  }),
  token({
    // API keys are `token-<5>:<54>`, both parts drawn from Kubernetes' random-string alphabet.
    id: 'rancher-api-token',
    title: 'Rancher API token (access key and secret key)',
    family,
    severity: 'critical',
    keywords: ['token-'],
    pattern: `token-${K8S_RAND}{5}:${K8S_RAND}{54}`,
    minEntropy: 3.5,
  }),
  token({ id: 'pulumi-access-token', title: 'Pulumi access token', family, keywords: ['pul-'], pattern: 'pul-[a-f0-9]{40}', minEntropy: 3 }),
  token({
    id: 'octopus-deploy-api-key',
    title: 'Octopus Deploy API key',
    family,
    keywords: ['api-'],
    pattern: 'API-[A-Z0-9]{26}',
    minEntropy: 3.0,
  }),
  token({
    id: 'harness-access-token',
    title: 'Harness personal or service account token',
    family,
    keywords: ['pat.', 'sat.'],
    pattern: '(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}',
    minEntropy: 4,
  }),
  token({
    id: 'sonarqube-token',
    title: 'SonarQube / SonarCloud token',
    family,
    keywords: ['sqp_', 'squ_', 'sqa_'],
    pattern: 'sq[pua]_[a-f0-9]{40}',
    minEntropy: 3,
  }),
  keyed({
    id: 'sonar-legacy-token',
    title: 'SonarQube / SonarCloud token (legacy)',
    family,
    keywords: ['sonar'],
    names: ['sonar[_.-]?(?:login|token|auth[_.-]?token)'],
    value: '[a-f0-9]{40}',
    minEntropy: 3,
  }),
  keyed({
    id: 'snyk-token',
    title: 'Snyk API token',
    family,
    keywords: ['snyk'],
    names: ['snyk[_.-]?(?:api[_.-]|auth[_.-]|api|auth)?(?:token|key)'],
    value: UUID,
    minEntropy: 3,
  }),
  keyed({
    id: 'codecov-token',
    title: 'Codecov upload token',
    family,
    severity: 'medium',
    keywords: ['codecov'],
    names: ['codecov[_.-]?token'],
    value: UUID,
    minEntropy: 3,
  }),
  token({ id: 'infracost-api-key', title: 'Infracost API key', family, severity: 'medium', keywords: ['ico-'], pattern: 'ico-[A-Za-z0-9]{32}', minEntropy: 3.5 }),
  token({
    id: 'teamcity-access-token',
    title: 'TeamCity access token',
    family,
    keywords: ['eyj0exaioiaivenwmij9'],
    pattern: 'eyJ0eXAiOiAiVENWMiJ9\\.[A-Za-z0-9_-]{30,60}\\.[A-Za-z0-9_-]{40,80}',
    after: '(?![A-Za-z0-9_-])',
  }),
  token({
    id: 'azure-devops-pat',
    title: 'Azure DevOps personal access token',
    family,
    severity: 'critical',
    keywords: ['azdo'],
    // 84 characters with the fixed `AZDO` signature at offset 76 (format introduced in 2024).
    pattern: '[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}',
    anchor: 'AZDO[A-Za-z0-9]{4}',
    minEntropy: 4,
  }),
  keyed({
    id: 'azure-devops-pat-legacy',
    title: 'Azure DevOps personal access token (52-character format)',
    family,
    severity: 'critical',
    keywords: ['devops', 'ado_pat', 'ado-pat', 'ado_token', 'ado-token', 'azdo', 'vsts', 'azure'],
    names: ['azure[_.-]?devops[A-Za-z0-9_.-]{0,12}(?:pat|token)', 'ado[_.-]?(?:pat|token)', 'azdo[_.-]?(?:pat|token)', 'vsts[_.-]?(?:pat|token)'],
    value: '[a-z2-7]{52}',
    minEntropy: 3.8,
  }),
  token({
    id: 'onepassword-service-account-token',
    title: '1Password service account token',
    family,
    severity: 'critical',
    keywords: ['ops_eyj'],
    pattern: 'ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3}',
    after: '(?![A-Za-z0-9+/=])',
    validate: base64JsonValidator({ prefix: 'ops_', required: [], expose: { signInAddress: 'signInAddress' } }),
  }),
  // --- CI services and test clouds (issue 11): keyed, so medium confidence.
  keyed({ id: 'browserstack-access-key', title: 'BrowserStack access key', family, keywords: ['browserstack'], names: ['browserstack[A-Za-z0-9_.-]{0,16}(?:access[_.-]?key|key)'], value: '[A-Za-z0-9]{20}', minEntropy: 3.5 }),
  keyed({ id: 'saucelabs-access-key', title: 'Sauce Labs access key', family, keywords: ['sauce'], names: ['sauce(?:labs)?[A-Za-z0-9_.-]{0,16}(?:access[_.-]?key|key)'], value: UUID, minEntropy: 3 }),
  keyed({ id: 'coveralls-repo-token', title: 'Coveralls repository token', family, keywords: ['coveralls'], names: ['coveralls[A-Za-z0-9_.-]{0,16}token'], value: '[A-Za-z0-9]{32,40}', minEntropy: 3.5 }),
  keyed({ id: 'codacy-token', title: 'Codacy project or API token', family, keywords: ['codacy'], names: ['codacy[A-Za-z0-9_.-]{0,16}token'], value: '[A-Za-z0-9]{32}', minEntropy: 3.5 }),
  // The key ends in `id` (metadata for the keyed builder), so the assignment is matched here.
  raw({
    id: 'codeclimate-reporter-id',
    title: 'Code Climate test reporter id',
    family,
    confidence: 'medium',
    keywords: ['reporter_id', 'reporter-id'],
    source: '(?:CC_TEST_REPORTER_ID|cc-test-reporter-id)["\']?[ \\t]{0,4}[:=][ \\t]{0,4}["\']?(?<secret>[a-f0-9]{64})(?![A-Za-z0-9])',
    flags: 'i',
    minEntropy: 3.5,
  }),
  keyed({ id: 'percy-token', title: 'Percy project token', family, keywords: ['percy'], names: ['percy[A-Za-z0-9_.-]{0,16}token'], value: '(?:web_|app_|auto_|ss_|vmw_)?[a-f0-9]{64}', minEntropy: 3.5 }),
  keyed({ id: 'codemagic-api-token', title: 'Codemagic API token', family, keywords: ['codemagic', 'cm_api_token'], names: ['(?:codemagic|cm)[A-Za-z0-9_.-]{0,16}(?:api[_.-]|api)?token'], value: '[A-Za-z0-9_-]{40,64}', minEntropy: 3.5 }),
  keyed({ id: 'semaphore-api-token', title: 'Semaphore CI API token', family, keywords: ['semaphore'], names: ['semaphore[A-Za-z0-9_.-]{0,16}(?:api[_.-]|api)?token'], value: '[A-Za-z0-9_-]{20,64}', minEntropy: 3.5 }),
  // Scalr API tokens are JWTs; found by the key they are assigned to, or in a Terraform CLI
  // `credentials "<account>.scalr.io" { token = "..." }` block.
  keyed({
    id: 'scalr-token',
    title: 'Scalr API token',
    family,
    severity: 'critical',
    keywords: ['scalr'],
    names: ['scalr[A-Za-z0-9_.-]{0,16}token'],
    value: 'eyJ[A-Za-z0-9_-]{10,2000}\\.eyJ[A-Za-z0-9_-]{10,4000}\\.[A-Za-z0-9_-]{16,1000}',
    validate: validateJwt,
  }),
  raw({
    id: 'scalr-cli-credentials',
    title: 'Scalr API token in a Terraform CLI credentials block',
    family,
    severity: 'critical',
    keywords: ['scalr.io'],
    source:
      'credentials[ \\t]{1,4}"(?<host>[A-Za-z0-9.-]{1,200}\\.scalr\\.io)"[ \\t]{0,4}\\{[ \\t\\r\\n]{0,40}token[ \\t]{0,4}=[ \\t]{0,4}"(?<secret>eyJ[A-Za-z0-9_-]{10,2000}\\.eyJ[A-Za-z0-9_-]{10,4000}\\.[A-Za-z0-9_-]{16,1000})"',
    validate: (secret, m) => {
      const v = validateJwt(secret);
      return v.status === 'invalid' ? v : { ...v, properties: { ...v.properties, host: m.groups?.['host'] ?? '' } };
    },
  }),
];
