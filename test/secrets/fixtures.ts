/**
 * Test secrets, built at run time so that no literal token sits in the repository (it would trip
 * push protection and every scanner that looks at this code, including our own).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { withBase62Checksum } from '../../src/secrets/validators/github.js';

const join2 = (...parts: string[]): string => parts.join('');

/** A checksum-valid GitHub classic PAT (fake). */
export const GH_PAT = withBase62Checksum(join2('gh', 'p_'), 'Q7vLk2Rt9XbN4mWc8ZpJ3sHd6FgY1a');
export const GH_PAT_2 = withBase62Checksum(join2('gh', 'p_'), 'Zx9Cv8Bn7Ma6Sd5Fg4Hj3Kl2Qw1Er0');
export const GH_PAT_3 = withBase62Checksum(join2('gh', 'p_'), 'Pl0Ok9Ij8Uh7Yg6Tf5Rd4Es3Wa2Qz1');
export const NPM_TOKEN = withBase62Checksum(join2('np', 'm_'), 'Hq3Jw5Ke7Lr9Zt2Xy4Cu6Vi8Bo1Np0');

/** An AWS access key pair in the real formats (fake values). */
export const AWS_KEY_ID = join2('AK', 'IA', 'QX4ZJ7TBNW2KH5RM');
export const AWS_SECRET = join2('wJalrXUtnF', 'EMI/K7MDENG/', 'bPxRfiCYzQ8Rk2Lq9T');
/** A Slack bot token in the real format (fake value). */
export const SLACK_BOT = join2('xo', 'xb-', '2918273645-3847561928374-', 'Zq8Wm3Kx9Lp2Vn7Rt4Yb6Hc1');
/** A hand-made password: no token shape, found only by where it sits. */
export const PASSWORD = join2('Tr0ub4dor', '&3-horse-', 'Battery9');

/**
 * Every form in which a secret must not appear in any output: as is, its random part, and
 * encoded (base64, base64url, hex, percent-encoding, JSON escapes).
 */
export function leakedForms(secret: string): string[] {
  const forms = [
    secret,
    secret.slice(4, 16),
    secret.slice(-12),
    // base64 of a longer text that holds the secret depends on where the secret starts modulo 3:
    // one form per alignment, from the first group made only of the secret's bytes.
    ...[0, 1, 2].flatMap((shift) =>
      (['base64', 'base64url'] as const).map((enc) => {
        const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(secret)]).toString(enc);
        return encoded.slice(shift === 0 ? 0 : 4, (shift === 0 ? 0 : 4) + 24);
      }),
    ),
    Buffer.from(secret).toString('hex').slice(0, 32),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ];
  return [...new Set(forms)];
}

/** The forms of `secrets` that occur in `text` (expect it to be empty). */
export function leaks(text: string, secrets: readonly string[]): string[] {
  return secrets.flatMap((s) => leakedForms(s).filter((f) => text.includes(f)));
}

export function tempDir(prefix = 'pw-secrets-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function write(root: string, rel: string, content: string | Buffer): string {
  const abs = join(root, rel);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return abs;
}

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Test Author',
      GIT_AUTHOR_EMAIL: 'author@example.com',
      GIT_COMMITTER_NAME: 'Test Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.com',
      ...env,
    },
  });
}

export function initRepo(dir: string): void {
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
}

/** Commits everything in the work tree with a fixed date and author, returns the commit id. */
export function commitAll(dir: string, message: string, opts: { author?: string; email?: string; date?: string } = {}): string {
  git(dir, ['add', '-A']);
  const env: Record<string, string> = {};
  if (opts.author) env.GIT_AUTHOR_NAME = opts.author;
  if (opts.email) env.GIT_AUTHOR_EMAIL = opts.email;
  if (opts.date) env.GIT_AUTHOR_DATE = env.GIT_COMMITTER_DATE = opts.date;
  git(dir, ['commit', '-q', '--allow-empty', '-m', message], env);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}
