/**
 * Deterministic fake credentials in real formats (right prefix, length, alphabet and checksum),
 * for the detector tests and the accuracy bench. Generating them at run time keeps literal
 * token-shaped strings out of the repository, so push protection has nothing to flag; they are
 * random and were never issued by any provider.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { AZURE_KINDS, buildAzureIdentifiableKey, ENTRA_SECRET_ALPHABET, entraSecretChecksum } from '../validators/azure.js';
import { bech32Encode } from '../validators/bech32.js';
import { withBase62Checksum } from '../validators/github.js';
import { buildGitlabRoutableToken } from '../validators/gitlab.js';
import { serializeMacaroonV2 } from '../validators/pypi.js';

export const DIGITS = '0123456789';
export const HEX = '0123456789abcdef';
export const HEX_UPPER = '0123456789ABCDEF';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const ALNUM = DIGITS + UPPER + LOWER;
export const LOWER_ALNUM = DIGITS + LOWER;
export const UPPER_ALNUM = DIGITS + UPPER;
export const LETTERS = UPPER + LOWER;
export const B64 = ALNUM + '+/';
export const B64URL = ALNUM + '-_';
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** mulberry32: small, fast, good enough for test data; never for real secrets. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  str(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

function wrap64(b64: string, width = 64): string {
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += width) lines.push(b64.slice(i, i + width));
  return lines.join('\n');
}

function sshString(data: Uint8Array | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** Generators bound to one Rng so a test or corpus is reproducible from its seed. */
export class Fake {
  constructor(readonly rng: Rng) {}

  str(alphabet: string, n: number): string {
    return this.rng.str(alphabet, n);
  }
  uuid(): string {
    const h = (n: number) => this.rng.str(HEX, n);
    return `${h(8)}-${h(4)}-4${h(3)}-${this.rng.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
  }
  /** GitHub ghp_/gho_/ghu_/ghs_/ghr_ or npm_ token with a correct CRC-32. */
  checksummed(prefix: string): string {
    return withBase62Checksum(prefix, this.rng.str(ALNUM, 30));
  }
  /** An Azure identifiable key with the signature at its offset and a valid Marvin32 checksum (the kind's first published seed). */
  azureKey(signature: string): string {
    const length = ['+ASt', 'ACDb', '+ABa', 'APIM', '+AMC'].includes(signature) ? 88 : ['+ACR', 'AzSe'].includes(signature) ? 52 : signature === 'AzFu' ? 56 : 44;
    const offset = { 88: 76, 52: 42, 56: 44, 44: 33 }[length];
    return buildAzureIdentifiableKey(this.rng.str(B64, offset), signature, Object.values(AZURE_KINDS[signature]!.seeds)[0]!, length);
  }
  /** An Entra ID client secret of the current `8Q~` version, with its checksum. */
  entraSecret(): string {
    const head = this.rng.str(ALNUM, 3) + '8Q~' + this.rng.str(ENTRA_SECRET_ALPHABET, 31);
    return head + entraSecretChecksum(head);
  }
  gitlabRoutable(prefix: string): string {
    return buildGitlabRoutableToken(prefix, this.rng.bytes(16), { o: 1 + this.rng.int(1e6), u: 1 + this.rng.int(1e7) });
  }
  pypi(location = 'pypi.org'): string {
    const macaroon = serializeMacaroonV2({
      location,
      identifier: this.uuid(),
      caveats: [JSON.stringify({ version: 1, permissions: 'user' }), `{"nbf":${1700000000 + this.rng.int(1e7)}}`],
      signature: this.rng.bytes(32),
    });
    return 'pypi-' + Buffer.from(macaroon).toString('base64url');
  }
  jwt(payload: Record<string, unknown> = {}, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = { sub: this.uuid(), iat: 1700000000 + this.rng.int(1e7), ...payload };
    const sig = header['alg'] === 'none' ? '' : Buffer.from(this.rng.bytes(32)).toString('base64url');
    return `${enc(header)}.${enc(claims)}.${sig}`;
  }
  /** AWS key id; with `account`, a current-format id that encodes it. */
  awsKeyId(prefix = 'AKIA', account?: number): string {
    if (account === undefined) return prefix + this.rng.pick(['Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z']) + this.rng.str(BASE32, 15);
    // 1 marker bit, 40 account bits, then random bits up to 80.
    let bits = (1n << 79n) | (BigInt(account) << 39n) | BigInt(this.rng.int(2 ** 30)) * 512n + BigInt(this.rng.int(512));
    let out = '';
    for (let i = 0; i < 16; i++) {
      out = BASE32[Number(bits & 31n)] + out;
      bits >>= 5n;
    }
    return prefix + out;
  }
  awsSecret(): string {
    // Mixed case and digits as real keys have; regenerate in the unlikely event one class is missing.
    for (;;) {
      const s = this.rng.str(B64, 40);
      if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s)) return s;
    }
  }
  age(): string {
    const data: number[] = [];
    for (let i = 0; i < 52; i++) data.push(this.rng.int(32));
    return bech32Encode('age-secret-key-', data).toUpperCase();
  }
  /** A Coinbase CDP Ed25519 secret: base64 of a seeded random 32-byte seed and its public key. */
  ed25519Cdp(): string {
    const seed = Buffer.from(this.rng.bytes(32));
    const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    return Buffer.concat([seed, createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32)]).toString('base64');
  }
  /** A real, freshly generated private key in PEM (test-only key material, never used). */
  pem(kind: 'pkcs8' | 'rsa' | 'ec' | 'encrypted' | 'rsa-encrypted' = 'pkcs8'): string {
    if (kind === 'rsa' || kind === 'rsa-encrypted') {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      return privateKey.export(kind === 'rsa' ? { type: 'pkcs1', format: 'pem' } : { type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'fixture' }).toString();
    }
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    if (kind === 'ec') return privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    if (kind === 'encrypted') return privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'fixture' }).toString();
    return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
  /** openssh-key-v1 container with random key bytes (structure is what detectors check). */
  openssh(cipher = 'none'): string {
    const pub = Buffer.concat([sshString('ssh-ed25519'), sshString(this.rng.bytes(32))]);
    const blob = Buffer.concat([
      Buffer.from('openssh-key-v1\0', 'latin1'),
      sshString(cipher),
      sshString(cipher === 'none' ? 'none' : 'bcrypt'),
      sshString(cipher === 'none' ? new Uint8Array() : this.rng.bytes(24)),
      Buffer.from([0, 0, 0, 1]),
      sshString(pub),
      sshString(this.rng.bytes(144)),
    ]);
    return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap64(blob.toString('base64'), 70)}\n-----END OPENSSH PRIVATE KEY-----\n`;
  }
  pgp(): string {
    const packet = Buffer.concat([Buffer.from([0xc5, 0xc0, 0x58, 0x04]), this.rng.bytes(300)]);
    return `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${wrap64(packet.toString('base64'))}\n=${this.rng.str(B64, 4)}\n-----END PGP PRIVATE KEY BLOCK-----\n`;
  }
  ppk(encryption = 'none'): string {
    const priv = wrap64(Buffer.from(this.rng.bytes(48)).toString('base64'));
    return [
      'PuTTY-User-Key-File-3: ssh-ed25519',
      `Encryption: ${encryption}`,
      'Comment: deploy@build',
      'Public-Lines: 2',
      wrap64(Buffer.from(this.rng.bytes(51)).toString('base64')),
      `Private-Lines: ${priv.split('\n').length}`,
      priv,
      `Private-MAC: ${this.rng.str(HEX, 64)}`,
      '',
    ].join('\n');
  }
  /** A service account key file as `gcloud iam service-accounts keys create` writes it. */
  gcpServiceAccount(project = 'build-' + this.rng.str(LOWER_ALNUM, 6)): { json: string; privateKey: string } {
    const privateKey = this.pem('pkcs8');
    const json = JSON.stringify(
      {
        type: 'service_account',
        project_id: project,
        private_key_id: this.rng.str(HEX, 40),
        private_key: privateKey,
        client_email: `deployer@${project}.iam.gserviceaccount.com`,
        client_id: this.rng.str(DIGITS, 21),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: 'https://oauth2.googleapis.com/token',
      },
      null,
      2,
    );
    // In the file the key's newlines are `\n` escapes: that is the secret's text there.
    return { json, privateKey: JSON.stringify(privateKey).slice(1, -1) };
  }
  /** Base64 JSON with a prefix, as Sentry org tokens and Grafana Cloud tokens carry. */
  b64json(obj: Record<string, unknown>, url = false): string {
    const s = Buffer.from(JSON.stringify(obj)).toString(url ? 'base64url' : 'base64');
    return url ? s : s.replace(/=+$/, '');
  }
  discordBot(): string {
    const id = String(100000000000000000n + BigInt(this.rng.int(2 ** 30)) * 1000000000n + BigInt(this.rng.int(1e9)));
    return `${Buffer.from(id).toString('base64').replace(/=+$/, '')}.${this.rng.str(B64URL, 6)}.${this.rng.str(B64URL, 38)}`;
  }
}

/** One row of a detector's table test: texts it must report `secret` in, and texts it must ignore. */
export interface DetectorCase {
  id: string;
  pos: Array<[text: string, secret: string]>;
  neg: string[];
}

type Detect = (text: string) => Array<{ detectorId: string; secret: string }>;

/** Failures of one table row, as readable messages (empty when the detector behaves). */
export function checkCase(c: DetectorCase, detect: Detect): string[] {
  const out: string[] = [];
  for (const [text, secret] of c.pos) {
    const hits = detect(text);
    if (!hits.some((h) => h.detectorId === c.id && h.secret === secret)) {
      out.push(`missed in ${JSON.stringify(text.slice(0, 160))}; got ${JSON.stringify(hits.map((h) => h.detectorId))}`);
    }
  }
  for (const text of c.neg) {
    if (detect(text).some((h) => h.detectorId === c.id)) out.push(`false positive in ${JSON.stringify(text.slice(0, 160))}`);
  }
  return out;
}

/** Detector ids without a positive and a negative example, and rows for unknown ids. */
export function coverageGaps(detectors: ReadonlyArray<{ id: string }>, cases: readonly DetectorCase[]): string[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const gaps = detectors.filter((d) => !byId.get(d.id)?.pos.length || !byId.get(d.id)?.neg.length).map((d) => `no positive+negative: ${d.id}`);
  for (const c of cases) if (!detectors.some((d) => d.id === c.id)) gaps.push(`table row for a detector of another family: ${c.id}`);
  return gaps;
}
