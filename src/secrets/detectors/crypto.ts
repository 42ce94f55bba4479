/** Key material and signed tokens: PEM / OpenSSH / PGP / PuTTY private keys, JWTs, age and WireGuard keys. */
import type { Detector, Validation } from '../types.js';
import { validateAgeSecretKey } from '../validators/bech32.js';
import { validateJwt } from '../validators/jwt.js';
import { validatePrivateKeyBlock } from '../validators/structure.js';
import { keyed, raw, token } from './build.js';

const family = 'crypto';

/**
 * A PEM block: BEGIN line, base64 body (with RFC 1421 headers and literal `\n` escapes when it
 * sits in a JSON string), END line with the same label. The lazy body stops at the first END.
 */
function pemBlock(labels: string): string {
  return `-----BEGIN (?<label>${labels})-----(?<body>[A-Za-z0-9+/=\\s\\\\:,.-]{40,16000}?)-----END \\k<label>-----`;
}

const isEncrypted = (block: string) => /ENCRYPTED/.test(block);

function validatePlainKey(secret: string): Validation {
  if (isEncrypted(secret)) return { status: 'invalid', note: 'passphrase-protected (reported as encrypted-private-key)' };
  return validatePrivateKeyBlock(secret);
}

function validateEncryptedKey(secret: string): Validation {
  if (!isEncrypted(secret)) return { status: 'invalid', note: 'not encrypted (reported as private-key)' };
  const v = validatePrivateKeyBlock(secret);
  return v.status === 'invalid' ? v : { ...v, note: `${v.note ?? ''}; passphrase-protected` };
}

/** OpenSSH keys name their cipher right after the magic: `none` means no passphrase. */
function validateOpenssh(secret: string): Validation {
  const v = validatePrivateKeyBlock(secret);
  if (v.status !== 'valid') return v;
  const body = secret.replace(/-----[A-Z ]{1,40}-----|\\[nr]|\s/g, '');
  const bytes = Buffer.from(body, 'base64');
  const len = bytes.readUInt32BE(15);
  const cipher = bytes.subarray(19, 19 + Math.min(len, 64)).toString('latin1');
  return { ...v, note: cipher === 'none' ? 'openssh-key-v1, not passphrase-protected' : `openssh-key-v1, passphrase-protected (${cipher})` };
}

export const CRYPTO_DETECTORS: Detector[] = [
  token({
    id: 'private-key',
    title: 'Private key (PEM: PKCS#8, RSA, EC, DSA)',
    family,
    severity: 'critical',
    keywords: ['-----begin'],
    before: '',
    pattern: pemBlock('RSA PRIVATE KEY|DSA PRIVATE KEY|EC PRIVATE KEY|PRIVATE KEY'),
    after: '',
    validate: validatePlainKey,
  }),
  token({
    id: 'encrypted-private-key',
    title: 'Passphrase-protected private key (PEM)',
    family,
    severity: 'medium',
    keywords: ['-----begin'],
    before: '',
    pattern: pemBlock('ENCRYPTED PRIVATE KEY|RSA PRIVATE KEY|DSA PRIVATE KEY|EC PRIVATE KEY'),
    after: '',
    validate: validateEncryptedKey,
  }),
  token({
    id: 'openssh-private-key',
    title: 'OpenSSH private key',
    family,
    severity: 'critical',
    keywords: ['-----begin openssh private key-----'],
    before: '',
    pattern: pemBlock('OPENSSH PRIVATE KEY'),
    after: '',
    validate: validateOpenssh,
  }),
  token({
    id: 'pgp-private-key',
    title: 'PGP private key block',
    family,
    severity: 'critical',
    keywords: ['-----begin pgp private key block-----'],
    before: '',
    pattern: pemBlock('PGP PRIVATE KEY BLOCK'),
    after: '',
    validate: validatePrivateKeyBlock,
  }),
  raw({
    id: 'ppk-private-key',
    title: 'PuTTY private key (.ppk)',
    family,
    severity: 'critical',
    keywords: ['putty-user-key-file-'],
    source:
      'PuTTY-User-Key-File-[23]: [a-z0-9-]{3,40}\\r?\\nEncryption: (?<enc>[a-z0-9-]{3,40})\\r?\\n[\\s\\S]{0,4000}?Private-Lines: [0-9]{1,3}\\r?\\n(?<secret>[A-Za-z0-9+/=\\r\\n]{40,8000}?)\\r?\\nPrivate-(?:MAC|Hash): [0-9a-f]{40,64}',
    validate: (_s, m) => ({ status: 'unknown', note: m.groups?.['enc'] === 'none' ? 'not passphrase-protected' : 'passphrase-protected' }),
  }),
  token({
    id: 'jwt',
    title: 'JSON Web Token',
    family,
    severity: 'medium',
    keywords: ['eyj'],
    before: '(?<![A-Za-z0-9_.-])',
    pattern: 'eyJ[A-Za-z0-9_-]{10,2000}\\.eyJ[A-Za-z0-9_-]{10,8000}\\.[A-Za-z0-9_-]{0,2000}',
    after: '(?![A-Za-z0-9_.-])',
    validate: validateJwt,
  }),
  token({
    id: 'age-secret-key',
    title: 'age encryption secret key',
    family,
    severity: 'critical',
    keywords: ['age-secret-key-1'],
    pattern: 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}',
    validate: validateAgeSecretKey,
  }),
  keyed({
    id: 'wireguard-private-key',
    title: 'WireGuard private key',
    family,
    severity: 'critical',
    keywords: ['privatekey'],
    names: ['privatekey'],
    // 32 bytes in base64: the last character before `=` carries only 4 data bits.
    value: '[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=',
    tail: '(?![A-Za-z0-9+/=])',
    minEntropy: 4,
  }),
  keyed({
    id: 'hex-private-key',
    title: 'Raw 256-bit private key in hex (e.g. Ethereum wallet)',
    family,
    severity: 'critical',
    keywords: ['private_key', 'privatekey', 'private-key', 'private.key'],
    names: ['private[_.-]?key'],
    value: '(?:0x)?[a-f0-9]{64}',
    minEntropy: 3.2,
  }),
];
