import { describe, expect, it } from 'vitest';
import { findingsOf } from '../testing.js';
import { usedMajor } from './check.js';

const wf = (steps: string): Record<string, string> => ({ '.github/workflows/ci.yml': `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}` });

describe('outdated-action', () => {
  it('removed runtimes (medium) and two or more majors behind (low); SHA pins judged by their comment', async () => {
    const rows = await findingsOf('outdated-action', wf(`      - uses: actions/checkout@v2
      - uses: actions/setup-python@v4.7.1
      - uses: docker/build-push-action@v4
      - uses: actions/cache@13aacd865c20de90d75de3b17ebe84f7a17d57d2 # v3.3.1
      - uses: actions/setup-go@v4
`));
    expect(rows).toEqual([
      '.github/workflows/ci.yml:6 medium actions/checkout@v2 runs on node12, which GitHub removed from its runners on 2023-06-13; upgrade to v5 (the current major as of 2026-12-07)',
      '.github/workflows/ci.yml:7 medium actions/setup-python@v4.7.1 runs on node16, which GitHub removed from its runners on 2024-11-12; upgrade to v6 (the current major as of 2026-12-07)',
      '.github/workflows/ci.yml:8 medium docker/build-push-action@v4 runs on node16, which GitHub removed from its runners on 2024-11-12; upgrade to v6 (the current major as of 2026-12-07)',
      '.github/workflows/ci.yml:9 medium actions/cache@13aacd865c20 (v3.3.1) runs on node16, which GitHub removed from its runners on 2024-11-12; upgrade to v4 (the current major as of 2026-12-07)',
      '.github/workflows/ci.yml:10 low actions/setup-go@v4 is 2 major versions behind v6 (the current major as of 2026-12-07); old majors stop getting fixes',
    ]);
  });

  it('current and one-behind majors, branches, unknown actions and sub-paths are not reported', async () => {
    expect(await findingsOf('outdated-action', wf(`      - uses: actions/checkout@v5
      - uses: actions/checkout@v4
      - uses: actions/checkout@main
      - uses: someone/unknown-action@v1
      - uses: github/codeql-action/init@v2
`))).toEqual([]);
  });

  it.each([
    ['v4', undefined, 4],
    ['v4.1.1', undefined, 4],
    ['4', undefined, 4],
    ['8ade135a41bc03ea155e62e844d188df1ea18608', 'v4.1.0', 4],
    ['main', undefined, undefined],
  ])('usedMajor(%s, %s) = %s', (ref, comment, expected) => expect(usedMajor(ref, comment)).toBe(expected));
});
