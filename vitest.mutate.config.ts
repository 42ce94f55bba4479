import { defineConfig } from 'vitest/config';

// The unit tests of the modules stryker.config.mjs mutates (no end-to-end tests: they run dist/).
export default defineConfig({
  test: {
    include: [
      'src/platforms/github/**/*.test.ts',
      'src/platforms/gitlab/**/*.test.ts',
      'src/platforms/azure/**/*.test.ts',
      'src/platforms/circleci/**/*.test.ts',
      'src/audits/github/template-injection/*.test.ts',
      'src/audits/github/github-env/*.test.ts',
      'src/audits/github/unsound-contains/*.test.ts',
      'src/audits/gitlab/template-injection/*.test.ts',
      'src/audits/azure/template-injection/*.test.ts',
      'src/audits/azure/variable-injection/*.test.ts',
      'src/audits/azure/secret-echo/*.test.ts',
      'src/audits/circleci/template-injection/*.test.ts',
      'src/audits/circleci/variable-injection/*.test.ts',
      'src/audits/circleci/dynamic-config-injection/*.test.ts',
      'src/secrets/validators/*.test.ts',
      'src/secrets/mask.test.ts',
      'src/secrets/redact.test.ts',
      'src/report/mask*.test.ts',
      'src/secrets/decode*.test.ts',
      'src/core/policy.test.ts',
    ],
    testTimeout: 30000,
    // One long-lived worker without per-file isolation: Stryker re-runs a few tests per mutant,
    // and a fresh fork per run costs far more than the tests themselves.
    pool: 'threads',
    isolate: false,
    fileParallelism: false,
  },
});
