import { defineConfig } from 'vitest/config';
import base from './vitest.mutate.config.js';

// The unit tests of the modules stryker.ci.config.mjs mutates. Kept small on purpose: a mutant in
// a module-level table (the attacker-controlled contexts) is "static", so Stryker runs every
// included test for it, and a smaller set makes each of those runs cheaper.
export default defineConfig({
  test: { ...base.test, include: ['src/platforms/github/**/*.test.ts', 'src/secrets/validators/*.test.ts'] },
});
