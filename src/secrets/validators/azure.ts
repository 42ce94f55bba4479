/**
 * Azure "identifiable" keys (Storage, Cosmos DB, Service Bus, Event Hubs, Relay, Cache for Redis,
 * IoT, Container Registry, AI Search, Batch, API Management, Machine Learning classic, Functions). The decoded key is random bytes, then a 3-byte
 * service signature, then a 4-byte Marvin32 checksum (little-endian) of every byte before it.
 * The seed names the key kind; seeds and signatures are the ones Microsoft publishes in
 * microsoft/security-utilities (`IdentifiableMetadata.cs`, MIT), as facts, not code.
 *
 * Encoded, that puts the 4-character signature at a fixed offset: 64-byte keys are 88 characters
 * with it at 76 (then 6 checksum characters, the last one of `AQgw`, and `==`), 32-byte keys 44
 * characters with it at 33 (then `[A-P]`, 5 characters and `=`), 39-byte keys 52 characters with
 * it at 42 (then `[A-D]` and 5 characters). Azure Functions keys (40 bytes) use the URL-safe
 * alphabet: 56 characters with the signature at 44, then 6 checksum characters and `==`.
 */
import { marvin32 } from './marvin.js';

interface AzureKind {
  service: string;
  /** Checksum seeds, by the key kind they mark. */
  seeds: Record<string, bigint>;
  /** Encoded with the URL-safe alphabet (`-`, `_`), padding kept. */
  urlSafe?: true;
}

const MESSAGING: Record<string, bigint> = {
  send: 0x53656e6430303030n,
  listen: 0x4c697374656e3030n,
  manage: 0x4d616e6167653030n,
  system: 0x53797374656d3030n,
  unknown: 0x556e6b6e6f776e30n,
};

export const AZURE_KINDS: Readonly<Record<string, AzureKind>> = {
  '+ASt': { service: 'Azure Storage account key', seeds: { account: 0x44656661756c7430n } },
  ACDb: {
    service: 'Azure Cosmos DB key',
    seeds: {
      'master read-write': 0x4d61737452573030n,
      'master read-only': 0x4d617374524f3030n,
      'system all': 0x537973416c6c3030n,
      'system read-write': 0x5379737452573030n,
      'system read-only': 0x53797374524f3030n,
      resource: 0x5265736f75723030n,
      'data encryption': 0x456e637279703030n,
    },
  },
  '+ABa': { service: 'Azure Batch account key', seeds: { account: 0x4162416363743030n } },
  '+ASb': { service: 'Azure Service Bus key', seeds: MESSAGING },
  '+AEh': { service: 'Azure Event Hubs key', seeds: MESSAGING },
  '+ARm': { service: 'Azure Relay key', seeds: MESSAGING },
  AzCa: { service: 'Azure Cache for Redis key', seeds: { access: 0x4163636573733030n } },
  AIoT: { service: 'Azure IoT Hub key', seeds: { 'IoT Hub': 0x496f544875623030n, 'device provisioning': 0x4470734b65793030n, device: 0x4465766963653030n } },
  '+ACR': { service: 'Azure Container Registry key', seeds: { registry: 0x41435244666c7430n } },
  AzSe: { service: 'Azure AI Search key', seeds: { admin: 0x5041646d696e3030n, query: 0x5175657279303030n } },
  APIM: {
    service: 'Azure API Management key',
    // The subscription seed has the same value as IoT Hub's; that is how it is published.
    seeds: { 'direct management': 0x54656e616e743030n, subscription: 0x496f544875623030n, gateway: 0x4761746577793030n, repository: 0x4769744b65793030n },
  },
  '+AMC': { service: 'Azure Machine Learning (classic) web service key', seeds: { 'web service': 0x436c617373696330n } },
  // Azure Functions host keys: 40 bytes, URL-safe, padding kept (azure-functions-host SecretGenerator).
  AzFu: { service: 'Azure Functions key', seeds: { master: 0x4d61737465723030n, system: 0x53797374656d3030n, function: 0x46756e6374693030n }, urlSafe: true },
};

/** Encoded length → offset of the 4-character signature. */
export const AZURE_SIGNATURE_OFFSETS: Readonly<Record<number, number>> = { 88: 76, 44: 33, 52: 42, 56: 44 };

export interface AzureKeyCheck {
  service: string;
  /** The key kind whose seed reproduces the checksum; undefined when none does. */
  kind?: string;
}

/** The service named by the signature, and the key kind whose checksum matches; undefined without a signature at its offset. */
export function checkAzureIdentifiable(key: string): AzureKeyCheck | undefined {
  const offset = AZURE_SIGNATURE_OFFSETS[key.length];
  const kind = offset === undefined ? undefined : AZURE_KINDS[key.slice(offset, offset + 4)];
  if (!kind || !(kind.urlSafe ? /^[A-Za-z0-9_-]+={0,2}$/ : /^[A-Za-z0-9+/]+={0,2}$/).test(key)) return undefined;
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length < 8) return { service: kind.service };
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = bytes.readUInt32LE(bytes.length - 4);
  for (const [name, seed] of Object.entries(kind.seeds)) {
    if (marvin32(body, seed) === stored) return { service: kind.service, kind: name };
  }
  return { service: kind.service };
}

/**
 * A well-formed identifiable key: `random` (base64 characters, as many as the signature's
 * offset for `length`), the signature, and the checksum under `seed`. For test data only.
 */
export function buildAzureIdentifiableKey(random: string, signature: string, seed: bigint, length: 88 | 44 | 52 | 56): string {
  const offset = AZURE_SIGNATURE_OFFSETS[length]!;
  if (random.length !== offset) throw new Error(`an Azure key of ${length} characters has ${offset} random characters before its signature`);
  const pad = length === 88 || length === 56 ? '==' : length === 44 ? '=' : '';
  const bytes = Buffer.from(random + signature + 'A'.repeat(length - pad.length - offset - 4) + pad, 'base64');
  bytes.writeUInt32LE(marvin32(bytes.subarray(0, bytes.length - 4), seed), bytes.length - 4);
  const key = bytes.toString('base64');
  return AZURE_KINDS[signature]?.urlSafe ? key.replace(/\+/g, '-').replace(/\//g, '_') : key;
}

/**
 * Microsoft Entra ID (Azure AD) client secrets: 3 characters, a version signature (`8Q~` now,
 * `7Q~` before), random characters, and for `8Q~` the first 3 digits of a Marvin32 checksum of
 * everything before them (Latin-1 bytes), written most significant digit first in the password
 * alphabet below. `7Q~` secrets carry no checksum. Facts from microsoft/security-utilities
 * (`IdentifiableMetadata.IsAzureAadClientAppIdentifiableSecret`).
 */
export const ENTRA_SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';
const ENTRA_SECRET_SEED = 0x4161645077643030n;

/** `n` in base `alphabet.length`, most significant digit first, no leading zeros ('' for 0). */
export function encodeInAlphabet(n: number, alphabet: string): string {
  let out = '';
  for (let v = n >>> 0; v > 0; v = Math.floor(v / alphabet.length)) out = alphabet[v % alphabet.length] + out;
  return out;
}

/** The 3 checksum characters an `8Q~` secret with this text before them ends with. */
export function entraSecretChecksum(textBefore: string): string {
  return encodeInAlphabet(marvin32(Buffer.from(textBefore, 'latin1'), ENTRA_SECRET_SEED), ENTRA_SECRET_ALPHABET).slice(0, 3);
}

/** `valid`/`mismatch` for `8Q~` secrets, `no-checksum` for `7Q~` and other versions. */
export function checkEntraClientSecret(secret: string): 'valid' | 'mismatch' | 'no-checksum' {
  if (secret.slice(3, 6) !== '8Q~' || secret.length < 10) return 'no-checksum';
  return entraSecretChecksum(secret.slice(0, -3)) === secret.slice(-3) ? 'valid' : 'mismatch';
}
