import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { Rng } from '../detectors/fake.js';
import { AZURE_KINDS, checkAzureIdentifiable, checkEntraClientSecret, encodeInAlphabet } from './azure.js';
import { marvin32 } from './marvin.js';

/*
 * Well-formed identifiable keys, made here from a seeded generator: random base64 up to the
 * signature's offset, the signature, then the checksum characters, computed over the decoded
 * bytes before the 4 checksum bytes and written back little-endian. marvin32 itself is pinned
 * to the published vectors in marvin.test.ts.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_ALPHABET = ALPHABET.replace('+', '-').replace('/', '_');
const LAYOUT: Record<string, { length: 88 | 44 | 52 | 56; offset: number; pad: string; url?: true }> = {
  '+ASt': { length: 88, offset: 76, pad: '==' },
  ACDb: { length: 88, offset: 76, pad: '==' },
  '+ABa': { length: 88, offset: 76, pad: '==' },
  APIM: { length: 88, offset: 76, pad: '==' },
  '+AMC': { length: 88, offset: 76, pad: '==' },
  '+ASb': { length: 44, offset: 33, pad: '=' },
  '+AEh': { length: 44, offset: 33, pad: '=' },
  '+ARm': { length: 44, offset: 33, pad: '=' },
  AzCa: { length: 44, offset: 33, pad: '=' },
  AIoT: { length: 44, offset: 33, pad: '=' },
  '+ACR': { length: 52, offset: 42, pad: '' },
  AzSe: { length: 52, offset: 42, pad: '' },
  AzFu: { length: 56, offset: 44, pad: '==', url: true },
};
const alphabetOf = (signature: string) => (LAYOUT[signature]!.url ? URL_ALPHABET : ALPHABET);

const rng = new Rng(20261208);
const randomChars = (n: number, alphabet = ALPHABET) => Array.from({ length: n }, () => alphabet[rng.int(64)]).join('');

function makeKey(signature: string, seed: bigint): string {
  const { length, offset, pad } = LAYOUT[signature]!;
  // 'A' (all zero bits) after the signature: the checksum bytes are written over them below.
  const draft = randomChars(offset, alphabetOf(signature)) + signature + 'A'.repeat(length - pad.length - offset - 4) + pad;
  const bytes = Buffer.from(draft, 'base64');
  bytes.writeUInt32LE(marvin32(bytes.subarray(0, bytes.length - 4), seed), bytes.length - 4);
  const key = LAYOUT[signature]!.url ? bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_') : bytes.toString('base64');
  if (key.length !== length || key.slice(0, offset + 4) !== draft.slice(0, offset + 4)) throw new Error(`layout broke for ${signature}`);
  return key;
}

/** Every key with one checksum character changed in a bit that is data, not base64 padding. */
function checksumCorruptions(key: string, signature: string): string[] {
  const { offset, pad } = LAYOUT[signature]!;
  const alphabet = alphabetOf(signature);
  const bits = Buffer.from(key, 'base64').length * 8;
  const out: string[] = [];
  for (let i = offset + 4; i < key.length - pad.length; i++) {
    const dataBits = Math.min(6, bits - 6 * i);
    const idx = alphabet.indexOf(key[i]!);
    for (const flip of [1 << (6 - dataBits), 1 << 5]) out.push(key.slice(0, i) + alphabet[idx ^ flip] + key.slice(i + 1));
  }
  return out;
}

describe('Azure identifiable keys: signature and Marvin32 checksum', () => {
  it('accepts a generated key of every published signature and seed, naming the service and key kind', () => {
    const seen: string[] = [];
    for (const [signature, { service, seeds }] of Object.entries(AZURE_KINDS)) {
      for (const [kind, seed] of Object.entries(seeds)) {
        for (let n = 0; n < 5; n++) expect(checkAzureIdentifiable(makeKey(signature, seed))).toEqual({ service, kind });
        seen.push(`${signature}/${kind}`);
      }
    }
    expect(seen).toHaveLength(39);
  });

  it('rejects the checksum after any change to one checksum character, and after any change to the body', () => {
    for (const signature of Object.keys(LAYOUT)) {
      const { service, seeds } = AZURE_KINDS[signature]!;
      const key = makeKey(signature, Object.values(seeds)[0]!);
      const bad = checksumCorruptions(key, signature);
      // 6 checksum characters in every layout (on 32- and 39-byte keys the first also carries the last bits of the body), two changes each.
      expect(bad.length).toBe(12);
      for (const k of bad) expect({ k, c: checkAzureIdentifiable(k) }).toEqual({ k, c: { service } });
      for (const i of [0, 17, LAYOUT[signature]!.offset - 1]) {
        const alphabet = alphabetOf(signature);
        const body = key.slice(0, i) + alphabet[alphabet.indexOf(key[i]!) ^ 1] + key.slice(i + 1);
        expect(checkAzureIdentifiable(body)).toEqual({ service });
      }
    }
  });

  it('a key of one kind is not taken for another: seeds and signatures are not interchangeable', () => {
    const storage = makeKey('+ASt', AZURE_KINDS['+ASt']!.seeds['account']!);
    const storageSeedUnderCosmos = 'ACDb' + storage.slice(80);
    expect(checkAzureIdentifiable(storage.slice(0, 76) + storageSeedUnderCosmos)).toEqual({ service: 'Azure Cosmos DB key' });
    // The ACR seed under the Search signature: right shape, wrong seed.
    const acrSeeded = makeKey('AzSe', AZURE_KINDS['+ACR']!.seeds['registry']!);
    expect(checkAzureIdentifiable(acrSeeded)).toEqual({ service: 'Azure AI Search key' });
  });

  it('no signature at the offset for the length: not an identifiable key', () => {
    const key = makeKey('+ASt', AZURE_KINDS['+ASt']!.seeds['account']!);
    expect(checkAzureIdentifiable(key.slice(1))).toBeUndefined();
    expect(checkAzureIdentifiable(key.slice(0, 76) + 'XASt' + key.slice(80))).toBeUndefined();
  });

  it('in a scan: high confidence and the key kind when the checksum holds, medium without it', () => {
    const good = makeKey('+ASt', AZURE_KINDS['+ASt']!.seeds['account']!);
    const bad = checksumCorruptions(good, '+ASt')[0]!;
    const hit = (k: string) => detectSecrets(`  "primaryKey": "${k}",\n`).find((m) => m.detectorId === 'azure-identifiable-key');
    expect([hit(good)?.confidence, hit(good)?.validation.status, hit(good)?.validation.properties]).toEqual(['high', 'valid', { service: 'Azure Storage account key', keyKind: 'account' }]);
    expect([hit(bad)?.confidence, hit(bad)?.validation.status, hit(bad)?.validation.properties]).toEqual(['medium', 'unknown', { service: 'Azure Storage account key' }]);
    // Under a Storage key name, the keyed Storage detector (also medium) reports the unchecked one.
    expect(detectSecrets(`AZURE_STORAGE_KEY=${bad}\n`).map((m) => [m.detectorId, m.confidence])).toEqual([['azure-storage-account-key', 'medium']]);
    expect(detectSecrets(`AZURE_STORAGE_KEY=${good}\n`).map((m) => [m.detectorId, m.confidence])).toEqual([['azure-identifiable-key', 'high']]);
    // A Functions key, URL-safe, in the query string where it usually travels.
    const fn = makeKey('AzFu', AZURE_KINDS['AzFu']!.seeds['function']!);
    const inUrl = detectSecrets(`curl "https://acme-fn.azurewebsites.net/api/deploy?code=${fn}"\n`).find((m) => m.detectorId === 'azure-identifiable-key');
    expect([inUrl?.secret, inUrl?.confidence, inUrl?.validation.properties]).toEqual([fn, 'high', { service: 'Azure Functions key', keyKind: 'function' }]);
  });
});

describe('Entra ID client secrets: the 8Q~ checksum', () => {
  const PASSWORD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';
  const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[rng.int(alphabet.length)]).join('');
  /** Most significant digit first, written here independently of the validator. */
  const digits = (n: number, alphabet: string) => {
    const out: string[] = [];
    for (let v = n; v > 0; v = Math.floor(v / alphabet.length)) out.unshift(alphabet[v % alphabet.length]!);
    return out.join('');
  };
  function makeSecret(): string {
    const head = pick(PASSWORD.replace('-', ''), 3) + '8Q~' + pick(PASSWORD, 31);
    return head + digits(marvin32(Buffer.from(head, 'latin1'), 0x4161645077643030n), PASSWORD).slice(0, 3);
  }

  it('encodes like the published encoder vectors (base62 alphabet)', () => {
    const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    expect(encodeInAlphabet(2883656711, B62)).toBe('399Wq7');
    expect(encodeInAlphabet(0xffffffff, B62)).toBe('4gfFC3');
    expect(encodeInAlphabet(0, B62)).toBe('');
  });

  it('accepts generated secrets; rejects every change to a checksum or body character', () => {
    for (let n = 0; n < 40; n++) {
      const secret = makeSecret();
      expect(secret).toHaveLength(40);
      expect(checkEntraClientSecret(secret)).toBe('valid');
      for (let i = 0; i < secret.length; i++) {
        if (i >= 3 && i < 6) continue; // the signature: changing it makes another version
        const c = secret[i]!;
        const next = PASSWORD[(PASSWORD.indexOf(c) + 1) % PASSWORD.length]!;
        const swapped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
        for (const d of new Set([next, swapped])) {
          if (d === c) continue;
          const bad = secret.slice(0, i) + d + secret.slice(i + 1);
          expect({ bad, r: checkEntraClientSecret(bad) }).toEqual({ bad, r: 'mismatch' });
        }
      }
    }
  });

  it('7Q~ secrets have no checksum to check', () => {
    const legacy = pick(PASSWORD.replace('-', ''), 3) + '7Q~' + pick(PASSWORD, 34);
    expect(checkEntraClientSecret(legacy)).toBe('no-checksum');
  });

  it('in a scan: high with the checksum, medium without it or for 7Q~', () => {
    const good = makeSecret();
    const bad = good.slice(0, -1) + (good.endsWith('a') ? 'b' : 'a');
    const legacy = 'Xy3' + '7Q~' + pick(PASSWORD.replace(/[~.]/g, ''), 34);
    const scan = (s: string) => detectSecrets(`AZURE_CLIENT_SECRET=${s}\n`).map((m) => [m.detectorId, m.confidence, m.validation.status]);
    expect(scan(good)).toEqual([['azure-ad-client-secret', 'high', 'valid']]);
    expect(scan(bad)).toEqual([['azure-ad-client-secret', 'medium', 'unknown']]);
    expect(scan(legacy)).toEqual([['azure-ad-client-secret', 'medium', 'unknown']]);
  });
});
