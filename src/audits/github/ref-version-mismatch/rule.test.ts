import { describe, expect, it } from 'vitest';
import { summarize, yaml } from '../testing.js';
import { auditWithFacts, factsWith } from '../../../online/testing.js';
import { rule } from './rule.js';

const V120 = 'a1'.repeat(20);
const V110 = 'b2'.repeat(20);
const V300 = 'c3'.repeat(20);
const files = {
  '.github/workflows/ci.yml': yaml`
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: owner/action@${V120} # v1.2.0
          - uses: owner/action@${V110} # v1.2.0
          - uses: owner/action@${V110} # tag=1.2.0
          - uses: owner/action@${V110} # v1
          - uses: owner/action@${V300} # v1
          - uses: owner/action@${V110} # v9.9.9
          - uses: owner/action@${V110} # pinned for reasons
  `,
};
const facts = factsWith({
  'owner/action': {
    tags: [{ name: 'v3.0.0', sha: V300 }, { name: 'v1.2.0', sha: V120 }, { name: 'v1.1.0', sha: V110 }],
    tagsComplete: true,
    tagCommits: { 'v1.2.0': V120, '1.2.0': null, v1: V120, 'v9.9.9': null, '9.9.9': null },
  },
});

describe('ref-version-mismatch', () => {
  it('reports a comment naming another release than the pinned commit', () => {
    expect(summarize(auditWithFacts(rule, files, facts))).toEqual([
      `.github/workflows/ci.yml:7:15-7:68 medium/high step 2 of job "build" uses owner/action@${V110} with comment "v1.2.0", but tag v1.2.0 of owner/action is commit a1a1a1a1a1a1 and the pinned commit is v1.1.0; make the SHA and the comment agree`,
      `.github/workflows/ci.yml:8:15-8:68 medium/high step 3 of job "build" uses owner/action@${V110} with comment "1.2.0", but tag v1.2.0 of owner/action is commit a1a1a1a1a1a1 and the pinned commit is v1.1.0; make the SHA and the comment agree`,
      `.github/workflows/ci.yml:10:15-10:68 medium/high step 5 of job "build" uses owner/action@${V300} with comment "v1", but tag v1 of owner/action is commit a1a1a1a1a1a1 and the pinned commit is v3.0.0; make the SHA and the comment agree`,
    ]);
  });

  it('accepts a floating comment over a release of that line, unknown tags, prose comments and missing facts', () => {
    const only = (line: number) => auditWithFacts(rule, files, facts).filter((f) => f.location.startLine === line);
    expect(only(6)).toEqual([]);
    expect(only(9)).toEqual([]);
    expect(only(11)).toEqual([]);
    expect(only(12)).toEqual([]);
    expect(auditWithFacts(rule, files, undefined)).toEqual([]);
  });
});
