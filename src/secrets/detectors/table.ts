/**
 * The detector table of docs/secrets.md, generated from the detectors themselves so it cannot
 * drift: `table.test.ts` fails when the document differs (run it with `UPDATE_DOCS=1` to rewrite).
 * "Validation" says what offline check stands behind a finding; "confidence" is the detector's.
 */
import { CONTAINER_METAS } from '../containers.js';
import { PROVIDERS, UNVERIFIABLE } from '../verify.js';
import type { Detector } from '../types.js';
import { DETECTORS } from './index.js';

/** Named validators and what they check (the function name is stable: it is the code's own). */
const VALIDATORS: Record<string, string> = {
  validateBase62Checksum: 'prefix + length + CRC-32 checksum',
  validateGitlab: 'prefix + length; routable tokens: CRC-32 checksum',
  validateAwsKeyId: 'prefix + length; account id decoded',
  validateGcpKey: 'PEM key body is DER',
  validateEntraSecret: 'signature + length; `8Q~` secrets: Marvin32 checksum for high',
  validateAzureIdentifiable: 'service signature at a fixed offset + length; Marvin32 checksum (published seeds) for high',
  validateBedrock: 'prefix + decodes to a Bedrock key or presigned request',
  validatePypiToken: 'prefix + macaroon decodes (issuer)',
  validateJfrogReference: 'decodes to reftkn:01:...',
  validateBundler: 'key name + password not a placeholder',
  validateCoinbaseKey: 'CDP key name (organizations/<uuid>/apiKeys/<uuid>) + EC key body is DER',
  validateBitwardenAccessToken: 'version `0.` + UUID + client secret + base64 of a 16-byte key; id shown',
  validateCoinbaseEd25519: '64 bytes = Ed25519 seed + the public key derived from it',
  validateDiscord: 'first segment decodes to a user id',
  validateOpenaiMarker: 'prefix + T3BlbkFJ marker',
  validateUriPassword: 'URL structure + password not a placeholder',
  validateMapbox: 'payload decodes to a Mapbox user',
  validateIntercom: 'decodes to tok:<uuid>',
  validatePlainKey: 'PEM body is DER',
  validateEncryptedKey: 'PEM structure (encrypted)',
  validateOpenssh: 'openssh-key-v1 magic',
  validatePrivateKeyBlock: 'OpenPGP packet header',
  validateJwt: 'header and payload decode to JSON',
  validateAgeSecretKey: 'bech32 checksum',
  validateCommandPassword: 'command line + password not a placeholder',
  validateBasicHeader: 'decodes to user:password',
  validateBearer: 'header + random-looking value',
  validateXml: 'element name + value not a placeholder',
};

/** Validators given inline (no stable name): what they check, by detector id. */
const INLINE: Record<string, string> = {
  'bitbucket-datacenter-token': 'prefix + length; decodes to <id>:<secret> when it passes',
  'scalr-cli-credentials': 'credentials block + JWT decodes',
  'onepassword-service-account-token': 'prefix + payload decodes to JSON',
  'sentry-org-token': 'prefix + payload decodes to JSON',
  'grafana-cloud-token': 'prefix + payload decodes to JSON',
  // Details the hand-written table of docs/secrets.md used to carry, now kept here.
  'curl-user-password': 'command line (`-u`/`--user`, also across `\\` continuations) + password not a variable, template or placeholder, 6+ characters of 2+ classes',
  'wget-password': 'command line (`--password`, `--http-password`, `--ftp-password`, `--proxy-password`) + the checks of curl',
  'ldap-bind-password': '`bindpw` (nslcd, pam_ldap) or sssd `ldap_default_authtok` + the checks of curl',
  'nuget-cleartext-password': '`nuget.config` `ClearTextPassword` value, not a placeholder or `%VAR%`',
  'atlassian-datacenter-pat': 'key name + decodes to <numeric id>:<secret> (else dropped)',
  'generic-password': 'key names a password (numbered keys count: `DB_PASSWORD2`) + value not a decoy',
  'generic-api-key': 'key names an API key (`API_KEY_2`) + value not a decoy + random-looking',
  'generic-secret': 'key names a secret + value not a decoy + random-looking',
  'generic-token': 'key names a token (`refresh_token1`) + value not a decoy + random-looking',
};

function validation(d: Detector): string {
  const inline = INLINE[d.id];
  if (inline) return inline;
  const named = d.validate?.name ? VALIDATORS[d.validate.name] : undefined;
  if (named) return named;
  if (d.shape === 'keyed') return 'key name + value shape';
  if (d.shape === 'raw') return 'surrounding structure + value shape';
  // A token: a fixed vendor prefix; a fixed length when every quantifier is exact.
  return /\{\d+,\d*\}/.test(d.regex.source) ? 'prefix + length range' : 'prefix + fixed length';
}

const CONTAINER_VALIDATION = 'where it sits (file format / key) + value not a placeholder';

/** The `--verify` cell: the provider asked, "not verifiable" (on purpose, see README), or empty (no verifier). */
function verifyCell(id: string): string {
  const p = PROVIDERS.find((x) => x.detectors.includes(id));
  if (p) return p.name;
  return UNVERIFIABLE[id] ? `not verifiable: ${UNVERIFIABLE[id]}` : '';
}

/** The markdown table: one row per detector, ordered by family then id. */
export function detectorTable(): string {
  const rows = [
    ...DETECTORS.map((d) => ({ id: d.id, title: d.title, family: d.family, severity: d.severity, confidence: d.confidence, validation: validation(d) })),
    ...CONTAINER_METAS.map((c) => ({ ...c, validation: CONTAINER_VALIDATION })),
  ];
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
  unique.sort((a, b) => a.family.localeCompare(b.family) || a.id.localeCompare(b.id));
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| rule | provider / kind | family | validation | confidence | severity | `--verify` |',
    '|---|---|---|---|---|---|---|',
    ...unique.map((r) => `| \`secrets/${r.id}\` | ${esc(r.title)} | ${r.family} | ${esc(r.validation)} | ${r.confidence} | ${r.severity} | ${verifyCell(r.id)} |`),
  ].join('\n');
}

export const TABLE_START = '<!-- detector-table:start (generated by src/secrets/detectors/table.ts; UPDATE_DOCS=1 npx vitest run src/secrets/detectors/table.test.ts) -->';
export const TABLE_END = '<!-- detector-table:end -->';
