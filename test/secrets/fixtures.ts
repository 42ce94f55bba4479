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
