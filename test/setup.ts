import { resolve, sep } from 'node:path';
import { beforeAll, expect, inject } from 'vitest';
import { REPO } from './helpers.js';

// Every test file under test/ is end-to-end (it runs dist/): fail it up front when dist/ was
// missing or older than src/ when the run started (test/global-setup.ts).
const E2E = resolve(REPO, 'test') + sep;

beforeAll(() => {
  const file = expect.getState().testPath;
  const stale = inject('staleBuild');
  if (file && resolve(file).startsWith(E2E) && stale) {
    throw new Error(`${stale}: run \`npm run build\` (npm test does it) so end-to-end tests do not test stale code`);
  }
});
