import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CLI, REPO } from './helpers.js';

/*
 * End-to-end tests spawn dist/, not src/. Run against a build older than the sources they would
 * test yesterday's code and pass (or skip) while today's is broken, so a missing or stale build
 * fails them with the fix in the message. `npm test` builds first, so this only bites a direct
 * `npx vitest run test/...` after an edit.
 */

function newestSource(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const n = newestSource(path);
      if (n.mtimeMs > newest.mtimeMs) newest = n;
    } else if (!entry.name.endsWith('.test.ts')) {
      // Sources, rule READMEs and JSON data: everything the build turns into dist/.
      const mtimeMs = statSync(path).mtimeMs;
      if (mtimeMs > newest.mtimeMs) newest = { file: path, mtimeMs };
    }
  }
  return newest;
}

/** Why dist/ cannot stand for src/ (missing, or older than a source file), or null when it can. */
export function staleBuild(cli = CLI, srcDir = join(REPO, 'src')): string | null {
  if (!existsSync(cli)) return `${relative(REPO, cli)} is missing`;
  const built = statSync(cli).mtimeMs;
  const newest = newestSource(srcDir);
  return newest.mtimeMs > built ? `${relative(REPO, newest.file)} changed after ${relative(REPO, cli)} was built` : null;
}
