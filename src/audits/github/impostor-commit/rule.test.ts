import { describe, expect, it } from 'vitest';
import { summarize, yaml } from '../testing.js';
import { auditWithFacts, factsWith } from '../../../online/testing.js';
import { emptyFacts } from '../../../online/facts.js';
import { rule } from './rule.js';

const GOOD = 'a1'.repeat(20);
const BAD = 'e5'.repeat(20);
const GONE = 'c3'.repeat(20);
const files = {
  '.github/workflows/ci.yml': yaml`
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: Owner/Action@${BAD}
          - uses: owner/action@${GOOD}
          - uses: owner/action@${GONE}
          - uses: owner/action@v1
      call:
        uses: owner/action/.github/workflows/w.yml@${BAD}
  `,
};
const facts = factsWith({
  'owner/action': { commits: { [BAD]: { reachability: 'unreachable' }, [GOOD]: { reachability: 'reachable', via: 'tag v1' }, [GONE]: { reachability: 'missing' } } },
});

describe('impostor-commit', () => {
  it('reports SHA pins that no branch or tag contains (owner/repo case-insensitive), including reusable workflows, and unknown commits', () => {
    expect(summarize(auditWithFacts(rule, files, facts))).toEqual([
      `.github/workflows/ci.yml:6:15-6:68 critical/high step 1 of job "build" uses Owner/Action@${BAD}, but commit e5e5e5e5e5e5 is on no branch or tag of Owner/Action: it can only come from a fork, whose code GitHub serves under the original name; pin a commit from the repository's own history`,
      `.github/workflows/ci.yml:8:15-8:68 high/medium step 3 of job "build" uses owner/action@${GONE}, but GitHub does not know commit c3c3c3c3c3c3 in owner/action or its forks (404): the pin names no code of the action (a mistyped or rewritten SHA, or deleted history), so the step fails or was never checked against what it runs; pin a commit from the repository's own history`,
      `.github/workflows/ci.yml:11:11-11:88 critical/high job "call" calls reusable workflow owner/action/.github/workflows/w.yml@${BAD}, but commit e5e5e5e5e5e5 is on no branch or tag of owner/action: it can only come from a fork, whose code GitHub serves under the original name; pin a commit from the repository's own history`,
    ]);
  });

  it('reports a pin GitHub does not know at all (404 for the commit) high/medium, not as a fork commit', () => {
    const missingOnly = factsWith({ 'owner/action': { commits: { [GONE]: { reachability: 'missing' } } } });
    expect(summarize(auditWithFacts(rule, files, missingOnly))).toEqual([
      `.github/workflows/ci.yml:8:15-8:68 high/medium step 3 of job "build" uses owner/action@${GONE}, but GitHub does not know commit c3c3c3c3c3c3 in owner/action or its forks (404): the pin names no code of the action (a mistyped or rewritten SHA, or deleted history), so the step fails or was never checked against what it runs; pin a commit from the repository's own history`,
    ]);
  });

  it('stays silent for reachable or undecided commits, and without facts', () => {
    expect(auditWithFacts(rule, files, factsWith({ 'owner/action': {} }))).toEqual([]);
    expect(auditWithFacts(rule, files, factsWith({ 'owner/action': { commits: { [GOOD]: { reachability: 'reachable', via: 'tag v1' } } } }))).toEqual([]);
    expect(auditWithFacts(rule, files, undefined)).toEqual([]);
    expect(auditWithFacts(rule, files, { ...facts, available: false })).toEqual([]);
    expect(auditWithFacts(rule, files, emptyFacts())).toEqual([]);
  });
});
