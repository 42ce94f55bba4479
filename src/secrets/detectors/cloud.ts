/** Cloud and hosting platforms: AWS, Google Cloud, Azure, Alibaba, Tencent, IBM, DigitalOcean, Heroku... */
import type { Detector, Validation } from '../types.js';
import { validateAwsKeyId } from '../validators/aws.js';
import { checkAzureIdentifiable, checkEntraClientSecret } from '../validators/azure.js';
import { validatePrivateKeyBlock } from '../validators/structure.js';
import { plausibleToken } from './decoys.js';
import { keyed, raw, token, UUID } from './build.js';

const family = 'cloud';

/**
 * Bedrock API keys: long-term `ABSK` + base64 of `BedrockAPIKey-<id>-at-<account>:<secret>`;
 * short-term `bedrock-api-key-` + base64 of a presigned `bedrock.amazonaws.com` request.
 */
function validateBedrock(secret: string): Validation {
  const long = secret.startsWith('ABSK');
  const text = Buffer.from(secret.slice(long ? 4 : 16), 'base64').toString('latin1');
  if (long) return /^BedrockAPIKey-[^:]{1,200}:./.test(text) ? { status: 'valid', note: 'decodes to BedrockAPIKey-<id>:<secret>' } : { status: 'invalid', note: 'does not decode to BedrockAPIKey-' };
  return text.startsWith('bedrock.amazonaws.com') ? { status: 'valid', note: 'decodes to a presigned bedrock.amazonaws.com request' } : { status: 'invalid', note: 'does not decode to a bedrock request' };
}

/** AWS documentation's sample secret key; never a leak. */
const AWS_DOC_SECRET = /EXAMPLEKEY$/;

function validateAwsSecret(secret: string, m: RegExpExecArray): Validation {
  // Yandex Cloud static keys are S3-compatible; `YC...` under a Yandex name is theirs.
  // The line up to the match, at most 256 characters back: a bounded look, however long the line.
  const head = m.input.slice(Math.max(0, m.index - 256), m.index + m[0].length);
  if (secret.startsWith('YC') && /yandex/i.test(head.slice(head.lastIndexOf('\n') + 1))) return { status: 'invalid', note: 'Yandex Cloud key (see yandex-static-key-secret)' };
  if (AWS_DOC_SECRET.test(secret)) return { status: 'invalid', note: 'AWS documentation example key' };
  // Real secrets mix cases and digits; a 40-character word or hex run is something else.
  if (!/[a-z]/.test(secret) || !/[A-Z]/.test(secret) || !/[0-9]/.test(secret)) return { status: 'invalid', note: 'not a random base64 string' };
  return plausibleToken(secret);
}

/** GCP key files name the service account and project next to the key: safe, useful context. */
function validateGcpKey(secret: string, m: RegExpExecArray): Validation {
  const v = validatePrivateKeyBlock(secret);
  if (v.status === 'invalid') return v;
  const around = m.input.slice(Math.max(0, m.index - 4000), m.index + m[0].length + 4000);
  const properties: Record<string, string> = {};
  const email = /"client_email"\s{0,4}:\s{0,4}"([^"\s]{1,200})"/.exec(around)?.[1];
  const project = /"project_id"\s{0,4}:\s{0,4}"([^"\s]{1,100})"/.exec(around)?.[1];
  if (email) properties['serviceAccount'] = email;
  if (project) properties['projectId'] = project;
  return { ...v, properties };
}

/**
 * Microsoft's identifiable keys: a service signature at a fixed offset and a Marvin32 checksum
 * (validators/azure.ts). A checksum that matches a published seed makes the key certain; one that
 * matches none is still reported, at the detector's medium confidence: Microsoft may use seeds it
 * has not published (Redis keys have a variant we do not reproduce), so a mismatch is no proof
 * the key is fake.
 */
function validateAzureIdentifiable(secret: string): Validation {
  const c = checkAzureIdentifiable(secret);
  if (!c) return { status: 'invalid', note: 'no Azure key signature at its offset' };
  const properties: Record<string, string> = { service: c.service };
  if (c.kind) return { status: 'valid', note: `${c.service}: Marvin32 checksum (${c.kind} key seed)`, properties: { ...properties, keyKind: c.kind } };
  const v = plausibleToken(secret);
  return v.status === 'invalid' ? v : { status: 'unknown', note: `${c.service} signature; the Marvin32 checksum matches no published seed`, properties };
}

/**
 * Entra ID client secrets of the current `8Q~` version end in 3 checksum characters
 * (validators/azure.ts): a match makes the secret certain. A mismatch is still reported, at
 * medium: the scheme is known only from Microsoft's scanner code, not from a specification that
 * promises every `8Q~` secret follows it.
 */
function validateEntraSecret(secret: string): Validation {
  const c = checkEntraClientSecret(secret);
  if (c === 'valid') return { status: 'valid', note: '8Q~ secret: Marvin32 checksum' };
  const v = plausibleToken(secret);
  if (v.status === 'invalid') return v;
  return c === 'mismatch' ? { status: 'unknown', note: '8Q~ secret whose checksum does not match' } : v;
}

/** Azure connection strings name the account: report it. */
function withAccount(group: string, name: string) {
  return (secret: string, m: RegExpExecArray): Validation => {
    const v = plausibleToken(secret);
    const value = m.groups?.[group];
    return value && v.status !== 'invalid' ? { ...v, properties: { [name]: value } } : v;
  };
}

export const CLOUD_DETECTORS: Detector[] = [
  token({
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    family,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: '(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}',
    minEntropy: 3,
    validate: validateAwsKeyId,
  }),
  keyed({
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    family,
    severity: 'critical',
    confidence: 'high',
    keywords: ['secret_access', 'secretaccess', 'secret-access', 'aws_secret', 'aws-secret', 'aws.secret', 'awssecret'],
    names: ['aws[_.-]?secret[_.-]?(?:access[_.-]|access)?key', 'secret[_.-]?access[_.-]?key', 'aws[_.-]?secret'],
    value: '[A-Za-z0-9/+]{40}',
    minEntropy: 3.8,
    validate: validateAwsSecret,
  }),
  token({
    id: 'aws-session-token',
    title: 'AWS temporary session token',
    family,
    severity: 'high',
    keywords: ['iqojb3jpz2lux2vj', 'fwogzxivyxdze'],
    pattern: '(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)[A-Za-z0-9/+]{100,2000}={0,2}',
    after: '(?![A-Za-z0-9/+=])',
    minEntropy: 4,
  }),
  token({
    id: 'aws-mws-key',
    title: 'Amazon Marketplace Web Service auth token',
    family,
    keywords: ['amzn.mws.'],
    pattern: `amzn\\.mws\\.${UUID}`,
  }),
  token({
    id: 'aws-appsync-api-key',
    title: 'AWS AppSync API key',
    family,
    severity: 'medium',
    keywords: ['da2-'],
    pattern: 'da2-[a-z0-9]{26}',
    minEntropy: 3.2,
  }),
  token({
    id: 'gcp-api-key',
    title: 'Google API key',
    family,
    keywords: ['aiza'],
    pattern: 'AIza[A-Za-z0-9_-]{35}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  raw({
    id: 'gcp-service-account-key',
    title: 'Google Cloud service account key (JSON)',
    family,
    severity: 'critical',
    keywords: ['"private_key"'],
    source:
      '"private_key"[ \\t]{0,4}:[ \\t]{0,4}"(?<secret>-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\\\ \\r\\n]{64,8000}?-----END PRIVATE KEY-----(?:\\\\n)?)"',
    validate: validateGcpKey,
  }),
  token({
    id: 'gcp-oauth-client-secret',
    title: 'Google OAuth client secret',
    family,
    keywords: ['gocspx-'],
    pattern: 'GOCSPX-[A-Za-z0-9_-]{28}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  token({
    id: 'google-oauth-access-token',
    title: 'Google OAuth access token',
    family,
    severity: 'medium',
    keywords: ['ya29.'],
    pattern: 'ya29\\.[A-Za-z0-9_-]{30,1000}',
    after: '(?![A-Za-z0-9_.-])',
    minEntropy: 4,
  }),
  token({
    id: 'google-oauth-refresh-token',
    title: 'Google OAuth refresh token',
    family,
    keywords: ['1//0'],
    before: '(?<![A-Za-z0-9_/:.])',
    pattern: '1//0[A-Za-z0-9_-]{40,400}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 4,
  }),
  token({
    id: 'firebase-cloud-messaging-key',
    title: 'Firebase Cloud Messaging legacy server key',
    family,
    keywords: [':apa91b'],
    pattern: 'AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}',
    after: '(?![A-Za-z0-9_-])',
  }),
  raw({
    id: 'azure-storage-connection-string',
    title: 'Azure Storage account key in a connection string',
    family,
    severity: 'critical',
    keywords: ['accountkey='],
    source: 'AccountName=(?<account>[a-z0-9]{3,24});[ \\t]{0,2}AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)',
    flags: 'i',
    validate: withAccount('account', 'storageAccount'),
  }),
  keyed({
    id: 'azure-storage-account-key',
    title: 'Azure Storage account key',
    family,
    severity: 'critical',
    keywords: ['storage', 'accountkey', 'account_key', 'account-key'],
    names: ['storage[_.-]?(?:account[_.-]|account)?(?:access[_.-]|access)?key', 'account[_.-]?key'],
    value: '[A-Za-z0-9+/]{86}==',
    minEntropy: 4.5,
  }),
  raw({
    id: 'azure-sas-token',
    title: 'Azure shared access signature (SAS)',
    family,
    keywords: ['sig='],
    source: 'sv=[0-9]{4}-[0-9]{2}-[0-9]{2}[A-Za-z0-9&=%:._-]{0,400}?[&?;]sig=(?<secret>[A-Za-z0-9%+/]{40,100}(?:%3D|=){0,2})',
    minEntropy: 4,
  }),
  token({
    id: 'azure-ad-client-secret',
    title: 'Microsoft Entra ID (Azure AD) client secret',
    family,
    // High when the `8Q~` checksum holds (validateEntraSecret); `7Q~` secrets have none.
    confidence: 'medium',
    keywords: ['q~'],
    before: '(?<![A-Za-z0-9_~.-])',
    pattern: '[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}',
    after: '(?![A-Za-z0-9_~.-])',
    minEntropy: 3.5,
    validate: validateEntraSecret,
  }),
  raw({
    id: 'azure-service-bus-connection-string',
    title: 'Azure Service Bus / Event Hubs shared access key',
    family,
    keywords: ['sharedaccesskey='],
    source: 'Endpoint=sb://(?<ns>[A-Za-z0-9.-]{1,200})/?;[ \\t]{0,2}SharedAccessKeyName=[^;\\s"\']{1,100};[ \\t]{0,2}SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)',
    flags: 'i',
    validate: withAccount('ns', 'namespace'),
  }),
  raw({
    id: 'azure-iot-hub-connection-string',
    title: 'Azure IoT Hub shared access key',
    family,
    keywords: ['azure-devices.net'],
    source: 'HostName=(?<hub>[A-Za-z0-9.-]{1,200}\\.azure-devices\\.net);[ \\t]{0,2}(?:SharedAccessKeyName|DeviceId)=[^;\\s"\']{1,100};[ \\t]{0,2}SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)',
    flags: 'i',
    validate: withAccount('hub', 'hub'),
  }),
  raw({
    id: 'azure-cosmosdb-key',
    title: 'Azure Cosmos DB account key',
    family,
    severity: 'critical',
    keywords: ['accountendpoint='],
    source: 'AccountEndpoint=https://(?<account>[A-Za-z0-9.-]{1,200})(?::[0-9]{1,5}|)/?;[ \\t]{0,2}AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)',
    flags: 'i',
    validate: withAccount('account', 'endpoint'),
  }),
  raw({
    id: 'azure-app-configuration-connection-string',
    title: 'Azure App Configuration access key',
    family,
    keywords: ['azconfig.io'],
    source: 'Endpoint=https://(?<store>[A-Za-z0-9.-]{1,100}\\.azconfig\\.io);[ \\t]{0,2}Id=[^;\\s"\']{1,100};[ \\t]{0,2}Secret=(?<secret>[A-Za-z0-9+/]{43}=)',
    flags: 'i',
    validate: withAccount('store', 'store'),
  }),
  token({
    id: 'azure-identifiable-key',
    title: 'Azure identifiable key (Storage, Cosmos DB, Service Bus, Event Hubs, Relay, Redis, IoT Hub, Container Registry, AI Search, Batch, API Management, ML classic, Functions)',
    family,
    severity: 'critical',
    // High only when the Marvin32 checksum matches (validateAzureIdentifiable).
    confidence: 'medium',
    keywords: ['+ast', 'acdb', '+aba', 'apim', '+amc', '+asb', '+aeh', '+arm', 'azca', 'aiot', '+acr', 'azse', 'azfu'],
    before: '(?<![A-Za-z0-9+/_-])',
    // Matched from the signature on, the key's start checked behind it: the signature sits
    // 33-76 characters in, and a regex that has to try every position of a text for a
    // 76-character run first was a third of all detector regex time (bench/RESULTS.md, issue 9).
    anchor:
      '(?:(?:\\+ASt|ACDb|\\+ABa|APIM|\\+AMC)[A-Za-z0-9+/]{5}[AQgw]==|(?:\\+ASb|\\+AEh|\\+ARm|AzCa|AIoT)[A-P][A-Za-z0-9+/]{5}=|(?:\\+ACR|AzSe)[A-D][A-Za-z0-9+/]{5}|AzFu[A-Za-z0-9_-]{5}[AQgw]==)',
    // The last alternative: Azure Functions keys, URL-safe base64 (`-`, `_`).
    pattern:
      '[A-Za-z0-9+/]{76}(?:\\+ASt|ACDb|\\+ABa|APIM|\\+AMC)[A-Za-z0-9+/]{5}[AQgw]==|[A-Za-z0-9+/]{33}(?:\\+ASb|\\+AEh|\\+ARm|AzCa|AIoT)[A-P][A-Za-z0-9+/]{5}=|[A-Za-z0-9+/]{42}(?:\\+ACR|AzSe)[A-D][A-Za-z0-9+/]{5}|[A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw]==',
    after: '(?![A-Za-z0-9+/=_-])',
    minEntropy: 4,
    validate: validateAzureIdentifiable,
  }),
  // Entra ID (Azure AD) refresh tokens are opaque but shaped: `0.A` or `1.A`, a tenant/client
  // segment, an optional `.1`-style version, then `.Ag` and a long encrypted body (observed
  // 250+ characters), sometimes a third `.A...` segment (an alternation with the empty string,
  // not `?`, which the quantifier policy forbids around a variable run).
  token({
    id: 'azure-entra-refresh-token',
    title: 'Microsoft Entra ID (Azure AD) refresh token',
    family,
    confidence: 'medium',
    keywords: ['0.a', '1.a'],
    before: '(?<![A-Za-z0-9_.-])',
    pattern: '[01]\\.A[A-Za-z0-9_-]{50,1000}(?:\\.[0-9])?\\.Ag[A-Za-z0-9_-]{250,6000}(?:\\.A[A-Za-z0-9_-]{200,3000}|)',
    after: '(?![A-Za-z0-9_.-])',
    minEntropy: 4.5,
  }),
  token({
    id: 'alibaba-access-key-id',
    title: 'Alibaba Cloud AccessKey id',
    family,
    keywords: ['ltai'],
    pattern: 'LTAI[A-Za-z0-9]{12,20}',
    minEntropy: 3,
  }),
  keyed({
    id: 'alibaba-access-key-secret',
    title: 'Alibaba Cloud AccessKey secret',
    family,
    severity: 'critical',
    keywords: ['alibaba', 'aliyun', 'alicloud', 'accesskeysecret', 'access_key_secret', 'access-key-secret'],
    names: ['(?:alibaba|aliyun|alicloud)[A-Za-z0-9_.-]{0,20}secret', 'access[_.-]?key[_.-]?secret'],
    value: '[A-Za-z0-9]{30}',
    minEntropy: 3.8,
  }),
  token({
    id: 'tencent-cloud-secret-id',
    title: 'Tencent Cloud SecretId',
    family,
    keywords: ['akid'],
    pattern: 'AKID[A-Za-z0-9]{32}',
    minEntropy: 3.5,
  }),
  keyed({
    id: 'tencent-cloud-secret-key',
    title: 'Tencent Cloud SecretKey',
    family,
    severity: 'critical',
    keywords: ['tencent'],
    names: ['tencent[A-Za-z0-9_.-]{0,20}secret[_.-]?key'],
    value: '[A-Za-z0-9]{32}',
    minEntropy: 3.8,
  }),
  keyed({
    id: 'ibm-cloud-api-key',
    title: 'IBM Cloud API key',
    family,
    keywords: ['ibm', 'ic_api_key', 'ic-api-key'],
    names: ['ibm[_.-]?(?:cloud[_.-]|cloud)?api[_.-]?key', 'ibmcloud[_.-]?api[_.-]?key', 'ic[_.-]api[_.-]key'],
    value: '[A-Za-z0-9_-]{44}',
    minEntropy: 4,
  }),
  token({ id: 'digitalocean-pat', title: 'DigitalOcean personal access token', family, keywords: ['dop_v1_'], pattern: 'dop_v1_[a-f0-9]{64}', minEntropy: 3.2 }),
  token({ id: 'digitalocean-oauth-token', title: 'DigitalOcean OAuth access token', family, keywords: ['doo_v1_'], pattern: 'doo_v1_[a-f0-9]{64}', minEntropy: 3.2 }),
  token({ id: 'digitalocean-refresh-token', title: 'DigitalOcean OAuth refresh token', family, keywords: ['dor_v1_'], pattern: 'dor_v1_[a-f0-9]{64}', minEntropy: 3.2 }),
  keyed({
    id: 'heroku-api-key',
    title: 'Heroku API key',
    family,
    keywords: ['heroku'],
    names: ['heroku[A-Za-z0-9_.-]{0,20}(?:key|token|password|secret)'],
    value: UUID,
    minEntropy: 3,
  }),
  token({
    id: 'heroku-api-key-v2',
    title: 'Heroku API key',
    family,
    keywords: ['hrku-'],
    pattern: 'HRKU-AA[A-Za-z0-9_-]{58}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 4,
  }),
  // Cloudflare's scannable credentials (every token created or rolled since 2025): `cfk_` (global
  // API key), `cfut_` (user API token), `cfat_` (account API token), then 40 alphanumerics and a
  // checksum (Cloudflare's documentation). The checksum's shape, 8 lower-case hex, is taken from
  // trufflehog's detector; its algorithm is unpublished, so it is not checked.
  token({
    id: 'cloudflare-scannable-token',
    title: 'Cloudflare API token or global API key (cfut_/cfat_/cfk_)',
    family,
    severity: 'critical',
    keywords: ['cfk_', 'cfut_', 'cfat_'],
    pattern: '(?:cfk|cfut|cfat)_[A-Za-z0-9]{40}[a-f0-9]{8}',
    minEntropy: 4,
  }),
  keyed({
    id: 'cloudflare-api-token',
    title: 'Cloudflare API token',
    family,
    keywords: ['cloudflare', 'cf_api_token', 'cf-api-token', 'cf_token'],
    names: ['cloudflare[A-Za-z0-9_.-]{0,16}token', 'cf[_.-]?(?:api[_.-]|api)?token'],
    value: '[A-Za-z0-9_-]{40}',
    minEntropy: 4,
  }),
  keyed({
    id: 'cloudflare-global-api-key',
    title: 'Cloudflare global API key',
    family,
    severity: 'critical',
    keywords: ['cloudflare', 'cf_api_key', 'cf-api-key', 'cf_key'],
    names: ['cloudflare[A-Za-z0-9_.-]{0,16}key', 'cf[_.-]?(?:api[_.-]|api)?key'],
    value: '[a-f0-9]{37}',
    minEntropy: 3,
  }),
  token({
    id: 'cloudflare-origin-ca-key',
    title: 'Cloudflare Origin CA key',
    family,
    keywords: ['v1.0-'],
    pattern: 'v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}',
    minEntropy: 3,
  }),
  token({
    id: 'flyio-access-token',
    title: 'Fly.io access token',
    family,
    keywords: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
    pattern: 'fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,3000}={0,3}|fm2_[A-Za-z0-9+/]{100,3000}={0,3}',
    after: '(?![A-Za-z0-9_+/=-])',
    minEntropy: 4,
  }),
  keyed({
    id: 'scaleway-secret-key',
    title: 'Scaleway secret key',
    family,
    keywords: ['scw_secret', 'scw-secret', 'scaleway', 'scw'],
    names: ['scw[_.-]?secret[_.-]?key', 'scaleway[A-Za-z0-9_.-]{0,16}secret'],
    value: UUID,
    minEntropy: 3,
  }),
  keyed({
    id: 'linode-api-token',
    title: 'Linode (Akamai) API token',
    family,
    keywords: ['linode'],
    names: ['linode[A-Za-z0-9_.-]{0,16}token'],
    value: '[a-f0-9]{64}',
    minEntropy: 3.2,
  }),
  keyed({
    id: 'hetzner-cloud-token',
    title: 'Hetzner Cloud API token',
    family,
    keywords: ['hcloud', 'hetzner'],
    names: ['hcloud[_.-]?token', 'hetzner[A-Za-z0-9_.-]{0,16}token'],
    value: '[A-Za-z0-9]{64}',
    minEntropy: 4,
  }),
  keyed({
    id: 'vultr-api-key',
    title: 'Vultr API key',
    family,
    keywords: ['vultr'],
    names: ['vultr[A-Za-z0-9_.-]{0,16}(?:key|token)'],
    value: '[A-Z0-9]{36}',
    minEntropy: 3.5,
  }),
  keyed({
    id: 'vercel-token',
    title: 'Vercel access token',
    family,
    keywords: ['vercel', 'now_token'],
    names: ['vercel[A-Za-z0-9_.-]{0,16}token', 'now[_.-]token'],
    value: '[A-Za-z0-9]{24}',
    minEntropy: 3.4,
  }),
  keyed({
    id: 'netlify-token',
    title: 'Netlify access token',
    family,
    keywords: ['netlify'],
    names: ['netlify[A-Za-z0-9_.-]{0,16}token'],
    value: 'nfp_[A-Za-z0-9]{36}|[A-Za-z0-9_-]{43}',
    minEntropy: 3.8,
  }),
  token({ id: 'supabase-access-token', title: 'Supabase personal access token', family, keywords: ['sbp_'], pattern: 'sbp_[a-f0-9]{40}', minEntropy: 3 }),
  token({
    id: 'supabase-secret-key',
    title: 'Supabase secret API key',
    family,
    keywords: ['sb_secret_'],
    pattern: 'sb_secret_[A-Za-z0-9_-]{20,64}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.5,
  }),
  token({ id: 'render-api-key', title: 'Render API key', family, keywords: ['rnd_'], pattern: 'rnd_[A-Za-z0-9]{32}', minEntropy: 3.5 }),
  token({
    id: 'openshift-user-token',
    title: 'OpenShift user token',
    family,
    keywords: ['sha256~'],
    before: '(?<![A-Za-z0-9_-])',
    pattern: 'sha256~[A-Za-z0-9_-]{43}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.8,
  }),
  token({
    id: 'yandex-api-key',
    title: 'Yandex Cloud API key',
    family,
    keywords: ['aqvn'],
    pattern: 'AQVN[A-Za-z0-9_-]{35,38}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 3.8,
  }),
  token({
    id: 'yandex-iam-token',
    title: 'Yandex Cloud IAM token',
    family,
    severity: 'medium',
    keywords: ['t1.'],
    pattern: 't1\\.[A-Za-z0-9_-]{10,300}={0,2}\\.[A-Za-z0-9_-]{86}={0,2}',
    after: '(?![A-Za-z0-9_=-])',
    minEntropy: 4,
  }),
  keyed({
    id: 'yandex-static-key-secret',
    title: 'Yandex Cloud static access key secret',
    family,
    keywords: ['yandex', 'yc_secret', 'yc-secret'],
    names: ['yandex[A-Za-z0-9_.-]{0,20}(?:secret|key)', 'yc[_.-]secret'],
    value: 'YC[A-Za-z0-9_-]{38}',
    minEntropy: 4,
  }),
  // --- Hosting and network platforms (issue 11).
  token({
    id: 'tailscale-key',
    title: 'Tailscale auth, API or OAuth client key',
    family,
    keywords: ['tskey-'],
    pattern: 'tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{4,20}CNTRL-[A-Za-z0-9]{20,64}',
    minEntropy: 3.5,
  }),
  token({ id: 'scalingo-api-token', title: 'Scalingo API token', family, keywords: ['tk-us-'], pattern: 'tk-us-[A-Za-z0-9_-]{48}', after: '(?![A-Za-z0-9_-])', minEntropy: 4 }),
  token({ id: 'deno-deploy-token', title: 'Deno Deploy access token', family, keywords: ['ddp_', 'ddo_'], pattern: 'dd[po]_[A-Za-z0-9]{36}', minEntropy: 4 }),
  keyed({ id: 'railway-token', title: 'Railway API or project token', family, keywords: ['railway'], names: ['railway[A-Za-z0-9_.-]{0,16}token'], value: UUID, minEntropy: 3 }),
  keyed({ id: 'fastly-api-token', title: 'Fastly API token', family, keywords: ['fastly'], names: ['fastly[A-Za-z0-9_.-]{0,16}(?:token|key)'], value: '[A-Za-z0-9_-]{32}', minEntropy: 3.5 }),
  token({
    id: 'aws-bedrock-api-key',
    title: 'Amazon Bedrock API key',
    family,
    severity: 'critical',
    keywords: ['absk', 'bedrock-api-key-'],
    pattern: '(?:ABSK[A-Za-z0-9+/]{40,400}={0,2}|bedrock-api-key-[A-Za-z0-9+/]{40,2000}={0,2})',
    after: '(?![A-Za-z0-9+/=])',
    validate: validateBedrock,
  }),
];
