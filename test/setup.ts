import { resolve, sep } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { requireFreshBuild } from './fresh-build.js';
import { REPO } from './helpers.js';

// Every test file under test/ is end-to-end (it runs dist/): fail it up front when dist/ is stale.
const E2E = resolve(REPO, 'test') + sep;

beforeAll(() => {
  const file = expect.getState().testPath;
  if (file && resolve(file).startsWith(E2E)) requireFreshBuild();
});
