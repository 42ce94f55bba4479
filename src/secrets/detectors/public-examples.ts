/**
 * Credentials that vendors publish in their documentation for everyone to copy (AWS's sample
 * key pair, the Azurite storage emulator's fixed account key, jwt.io's sample token, Stripe's
 * docs test keys). They grant nothing, so a hit on one is noise. The list holds SHA-256
 * hashes, not the values, so the repository carries no token-shaped strings for push protection
 * to flag; `listed` is the date each entry was checked against its source. Review the list when
 * a vendor rotates its docs: a stale entry only hides that one exact value.
 */
import { createHash } from 'node:crypto';

export interface PublicExample {
  /** SHA-256 (hex) of the exact value. */
  sha256: string;
  provider: string;
  what: string;
  source: string;
  /** ISO date the entry was checked against its source. */
  listed: string;
}

export const PUBLIC_EXAMPLES: readonly PublicExample[] = [
  { sha256: '1a5d44a2dca19669d72edf4c4f1c27c4c1ca4b4408fbb17f6ce4ad452d78ddb3', provider: 'AWS', what: 'sample access key id (AKIA...EXAMPLE)', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html', listed: '2026-12-07' },
  { sha256: '78314b11be2e581549ac1c4f616563fad3fdf0c3b71678f6e2299182080e0598', provider: 'AWS', what: 'sample secret access key (...EXAMPLEKEY)', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html', listed: '2026-12-07' },
  { sha256: '0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059', provider: 'Azure', what: 'Azurite / storage emulator devstoreaccount1 account key', source: 'https://learn.microsoft.com/azure/storage/common/storage-use-azurite', listed: '2026-12-07' },
  { sha256: '7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606', provider: 'jwt.io', what: 'HS256 sample token (sub 1234567890, John Doe)', source: 'https://jwt.io/', listed: '2026-12-07' },
  { sha256: '2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326', provider: 'Stripe', what: 'API reference sample test-mode secret key', source: 'https://docs.stripe.com/api', listed: '2026-12-07' },
  { sha256: 'f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397', provider: 'Stripe', what: 'older docs sample test-mode secret key', source: 'https://docs.stripe.com/keys', listed: '2026-12-07' },
  { sha256: 'b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b', provider: 'Stripe', what: 'docs sample test-mode publishable key', source: 'https://docs.stripe.com/keys', listed: '2026-12-07' },
];

const HASHES: ReadonlySet<string> = new Set(PUBLIC_EXAMPLES.map((e) => e.sha256));

/**
 * The published example `secret` is, or undefined. `user:password` values (docker auths,
 * Basic credentials) are also checked by their password part.
 */
export function publicExample(secret: string, examples: ReadonlySet<string> = HASHES): string | undefined {
  if (secret.length < 16 || secret.length > 4096) return undefined;
  const candidates = [secret];
  const colon = secret.indexOf(':');
  if (colon > 0 && secret.length - colon > 16) candidates.push(secret.slice(colon + 1));
  for (const c of candidates) {
    const h = createHash('sha256').update(c).digest('hex');
    if (examples.has(h)) return PUBLIC_EXAMPLES.find((e) => e.sha256 === h)?.what ?? 'published example';
  }
  return undefined;
}
