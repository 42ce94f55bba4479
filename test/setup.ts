import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { beforeAll, expect, inject } from 'vitest';
import { ensureFreshBuild } from './fresh-build.js';
import { CLI, REPO } from './helpers.js';

// Every test file under test/ is end-to-end (it runs dist/). When dist/ was missing or older than
// src/ when the run started (test/global-setup.ts), the first end-to-end file to start runs
// `npm run build` (a lock file makes the other workers wait for it instead of building again);
// when that is turned off or fails, every end-to-end file fails up front with the reason.
const E2E = resolve(REPO, 'test') + sep;

/** Generous: a build on a loaded machine, or waiting for another worker's. */
const BUILD_TIMEOUT_MS = 20 * 60_000;

beforeAll(async () => {
  const file = expect.getState().testPath;
  const stale = inject('staleBuild');
  if (!file || !resolve(file).startsWith(E2E) || !stale) return;
  const checkedAt = inject('buildCheckedAt');
  // Fresh means "built during this run": an edit made after the run started does not fail (or
  // rebuild for) the files that start later.
  const builtSince = () => existsSync(CLI) && statSync(CLI).mtimeMs >= checkedAt;
  const reason = await ensureFreshBuild({ stale: () => (builtSince() ? null : stale) });
  if (reason) throw new Error(reason);
}, BUILD_TIMEOUT_MS);
