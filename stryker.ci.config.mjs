// The CI subset of mutation testing (`npm run mutate:ci`, run by .ci/run after `npm test`): the
// GitHub expression evaluator (what decides whether a condition or an `a && b` can carry attacker
// text) and the GitHub/npm token checksum, 373 mutants against their own unit tests only
// (vitest.mutate-ci.config.ts). The run fails below the break threshold, a few points under the
// measured score (bench/RESULTS.md), so a test deleted or weakened shows up as a failed build.
// Not here, on purpose: the attacker-controlled context table (src/platforms/github/contexts.ts)
// is module-level data, so nearly all of its ~220 mutants are "static" and each one reruns every
// included test; that alone would take longer than the whole subset. `npm test` already fails
// when one of its rows has no case (attacker-controlled.test.ts). The full list is in
// stryker.config.mjs (`npm run mutate`).
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'vitest.mutate-ci.config.ts', related: false },
  mutate: ['src/platforms/github/expressions/evaluate.ts', 'src/secrets/validators/github.ts', 'src/secrets/validators/checksum.ts'],
  reporters: ['clear-text', 'progress-append-only'],
  // Measured 96.5% (373 mutants, 2026-12-07); break a few points below so noise (a timeout
  // counted differently on a slower machine) does not fail CI, while a dropped test does.
  thresholds: { high: 95, low: 90, break: 92 },
  tempDirName: '/tmp/stryker-pipewarden-ci',
};
