import { describe, expect, it } from 'vitest';
import { findingsOf } from '../testing.js';

const job = (head: string, run: string): string => `on: push\n${head}jobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - run: ${run}\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}\n`;

describe('install-scripts-in-privileged-job', () => {
  it('npm/yarn installs in a job with publishing credentials (high) or other secrets (medium)', async () => {
    expect(await findingsOf('install-scripts-in-privileged-job', { '.github/workflows/r.yml': job('permissions:\n  contents: write\n', 'npm ci') })).toEqual([
      '.github/workflows/r.yml:9 high npm ci runs the install scripts of every dependency in job "release", which holds NPM_TOKEN, GITHUB_TOKEN (contents: write); add `--ignore-scripts` and run the few scripts you need explicitly, or install in a job without credentials',
    ]);
    const other = `on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: yarn install --frozen-lockfile\n        env:\n          SENTRY_DSN: \${{ secrets.SENTRY_DSN }}\n`;
    expect(await findingsOf('install-scripts-in-privileged-job', { '.github/workflows/t.yml': other })).toEqual([
      '.github/workflows/t.yml:6 medium yarn install --frozen-lockfile runs the install scripts of every dependency in job "test", which holds SENTRY_DSN; set `enableScripts: false` in .yarnrc.yml (Yarn 2+) or pass `--ignore-scripts` (Yarn 1) and run the few scripts you need explicitly, or install in a job without credentials',
    ]);
  });

  it('--ignore-scripts, .npmrc ignore-scripts, pnpm, jobs without credentials: nothing', async () => {
    expect(await findingsOf('install-scripts-in-privileged-job', { '.github/workflows/r.yml': job('', 'npm ci --ignore-scripts') })).toEqual([]);
    expect(await findingsOf('install-scripts-in-privileged-job', { '.github/workflows/r.yml': job('', 'pnpm install') })).toEqual([]);
    expect(await findingsOf('install-scripts-in-privileged-job', { '.github/workflows/r.yml': job('', 'npm ci'), '.npmrc': 'ignore-scripts=true\n' })).toEqual([]);
    expect(await findingsOf('install-scripts-in-privileged-job', { '.github/workflows/r.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci\n' })).toEqual([]);
  });

  it('a read-only GITHUB_TOKEN and write scopes with persist-credentials: false are not credentials in reach', async () => {
    const wf = 'on: push\npermissions:\n  contents: write\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n        with:\n          persist-credentials: false\n      - run: npm ci\n';
    expect(await findingsOf('install-scripts-in-privileged-job', { '.github/workflows/t.yml': wf })).toEqual([]);
  });
});
