// Mutation testing (issue 18): the modules where a silent regression is a security hole.
// `npm run mutate` runs all of them (long: run it nice'd, one process); `npm run mutate:ci` a
// subset small enough for CI. Pass `--mutate path` to narrow a run further.
// Only the unit tests that exercise these modules run (vitest.mutate.config.ts): the end-to-end
// tests spawn the built CLI, which Stryker's instrumented sources never reach.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 5000,
  mutate: [
    'src/platforms/github/contexts.ts',
    'src/platforms/github/taint.ts',
    'src/platforms/github/expressions/evaluate.ts',
    'src/platforms/gitlab/contexts.ts',
    'src/platforms/azure/taint.ts',
    'src/platforms/azure/scripts.ts',
    'src/platforms/circleci/taint.ts',
    'src/platforms/circleci/interpolate.ts',
    'src/secrets/validators/checksum.ts',
    'src/secrets/validators/github.ts',
    'src/secrets/validators/gitlab.ts',
    'src/secrets/validators/bech32.ts',
    'src/secrets/mask.ts',
    'src/secrets/redact.ts',
    'src/secrets/decode.ts',
    'src/core/policy.ts',
  ],
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '/tmp/stryker-pipewarden',
  cleanTempDir: 'always',
};
