import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { CRYPTO_DETECTORS } from './crypto.js';
import { B64, checkCase, coverageGaps, Fake, HEX, Rng, type DetectorCase } from './fake.js';

const f = new Fake(new Rng(1212));
const whole = (block: string): [string, string] => [`# deploy key\n${block}\n# end`, block.trimEnd()];
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];
const PLACEHOLDER_PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...REPLACE...WITH...YOUR...KEY...\n-----END RSA PRIVATE KEY-----';
const wg = () => f.str(B64, 42) + f.rng.pick(['A', 'E', 'I', 'M', 'Q', 'U', 'Y', 'c', 'g', 'k', 'o', 's', 'w', '0', '4', '8']) + '=';

const CASES: DetectorCase[] = [
  {
    id: 'private-key',
    pos: [whole(f.pem('pkcs8')), whole(f.pem('rsa')), whole(f.pem('ec')), line(JSON.stringify(f.pem('pkcs8')).slice(1, -1).replace(/\\n$/, ''), (s) => `{"key": "${s}\\n"}`)],
    neg: [PLACEHOLDER_PEM, '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(64) + '\n-----END PRIVATE KEY-----', f.pem('encrypted')],
  },
  { id: 'encrypted-private-key', pos: [whole(f.pem('encrypted')), whole(f.pem('rsa-encrypted'))], neg: [f.pem('pkcs8')] },
  { id: 'openssh-private-key', pos: [whole(f.openssh()), whole(f.openssh('aes256-ctr'))], neg: ['-----BEGIN OPENSSH PRIVATE KEY-----\n' + f.str(B64, 200) + '\n-----END OPENSSH PRIVATE KEY-----'] },
  { id: 'pgp-private-key', pos: [whole(f.pgp())], neg: ['-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nAAAA' + f.str(B64, 100) + '\n-----END PGP PRIVATE KEY BLOCK-----'] },
  {
    id: 'ppk-private-key',
    pos: [((k: string) => [k, /Private-Lines: \d+\n([\s\S]*?)\nPrivate-MAC/.exec(k)![1]!] as [string, string])(f.ppk())],
    neg: ['PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: x\nPublic-Lines: 1\nAAAA\nPrivate-Lines: 1\n<private key here>\nPrivate-MAC: <mac>'],
  },
  {
    id: 'jwt',
    pos: [line(f.jwt({ iss: 'https://auth.acme.example', exp: 1900000000 }), (s) => `Authorization: Bearer ${s}`), line(f.jwt({ role: 'service_role' }, { alg: 'none' }), (s) => `SUPABASE_KEY=${s}`)],
    neg: ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'eyJub3RqdXN0YW55.eyJ0aGluZzEyMzQ1.sig'],
  },
  { id: 'age-secret-key', pos: [line(f.age(), (s) => `# created: 2024-01-01\n# public key: age1...\n${s}`)], neg: ['AGE-SECRET-KEY-1' + 'Q'.repeat(58)] },
  { id: 'wireguard-private-key', pos: [line(wg(), (s) => `[Interface]\nPrivateKey = ${s}\nAddress = 10.0.0.2/32`)], neg: [`PublicKey = ${wg()}`, 'PrivateKey = <client-private-key>'] },
  { id: 'hex-private-key', pos: [line(`0x${f.str(HEX, 64)}`, (s) => `DEPLOYER_PRIVATE_KEY=${s}`)], neg: [`DEPLOYER_ADDRESS=0x${f.str(HEX, 40)}`, `private_key_hash=${f.str(HEX, 64)}`] },
];

describe('crypto detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(CRYPTO_DETECTORS, CASES)).toEqual([]));

  it('exposes JWT claims and flags unsigned tokens', () => {
    const [m] = detectSecrets(`token=${f.jwt({ iss: 'https://issuer.example' }, { alg: 'none', typ: 'JWT' })}`);
    expect(m).toMatchObject({ detectorId: 'jwt', confidence: 'high', validation: { status: 'valid', properties: { alg: 'none', iss: 'https://issuer.example' } } });
    expect(m!.validation.note).toMatch(/unsigned/);
  });

  it('tells whether an OpenSSH key has a passphrase', () => {
    expect(detectSecrets(f.openssh())[0]?.validation.note).toMatch(/not passphrase-protected/);
    expect(detectSecrets(f.openssh('aes256-ctr'))[0]?.validation.note).toMatch(/\(aes256-ctr\)/);
  });
});
