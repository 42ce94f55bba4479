import { describe, expect, it } from 'vitest';
import { summarize, yaml } from '../testing.js';
import { auditWithFacts, factsWith } from '../../../online/testing.js';
import { rule } from './rule.js';

const TAGGED = 'a1'.repeat(20);
const BETWEEN = 'd4'.repeat(20);
const IMPOSTOR = 'e5'.repeat(20);
const files = {
  '.github/workflows/ci.yml': yaml`
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: owner/action@${TAGGED}
          - uses: owner/action@${BETWEEN}
          - uses: owner/action@${IMPOSTOR}
          - uses: owner/action@v1
  `,
};
const repo = {
  tags: [{ name: 'v1.0.0', sha: TAGGED }],
  tagsComplete: true,
  latestRelease: 'v1.0.0',
  commits: { [BETWEEN]: { reachability: 'reachable' as const, via: 'branch main' }, [IMPOSTOR]: { reachability: 'unreachable' as const } },
};

describe('stale-action-refs', () => {
  it('reports a SHA pin that is no tag, naming the latest release', () => {
    expect(summarize(auditWithFacts(rule, files, factsWith({ 'owner/action': repo })))).toEqual([
      `.github/workflows/ci.yml:7:15-7:68 low/high step 2 of job "build" uses owner/action@${BETWEEN}, but commit d4d4d4d4d4d4 is not the commit of any tag of owner/action: it is unreleased code between versions; pin the commit of a release tag (latest release: v1.0.0)`,
    ]);
  });

  it('stays silent when the tag list is truncated, the repo has no tags, or facts are missing', () => {
    expect(auditWithFacts(rule, files, factsWith({ 'owner/action': { ...repo, tagsComplete: false } }))).toEqual([]);
    expect(auditWithFacts(rule, files, factsWith({ 'owner/action': { ...repo, tags: [] } }))).toEqual([]);
    expect(auditWithFacts(rule, files, undefined)).toEqual([]);
  });
});
