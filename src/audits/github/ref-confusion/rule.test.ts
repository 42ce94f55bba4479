import { describe, expect, it } from 'vitest';
import { summarize, yaml } from '../testing.js';
import { auditWithFacts, factsWith } from '../../../online/testing.js';
import { rule } from './rule.js';

const files = {
  '.github/workflows/ci.yml': yaml`
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - name: Both
            uses: owner/action@release
          - uses: owner/action@v2
          - uses: owner/action@main
          - uses: owner/action@${'b2'.repeat(20)}
          - uses: owner/action@\${{ inputs.ref }}
  `,
};

describe('ref-confusion', () => {
  it('reports a ref that is both a tag and a branch', () => {
    const facts = factsWith({ 'owner/action': { refs: { release: { tag: '1'.repeat(40), branch: '2'.repeat(40) }, v2: { tag: '3'.repeat(40) }, main: { branch: '4'.repeat(40) } } } });
    expect(summarize(auditWithFacts(rule, files, facts))).toEqual([
      '.github/workflows/ci.yml:7:15-7:35 medium/high step "Both" of job "build" uses owner/action@release, but "release" names both a tag and a branch of owner/action, so whoever can push that branch can decide which code runs; pin a full commit SHA',
    ]);
  });

  it('ignores tag-only and branch-only refs, SHA pins, unknown refs and missing facts', () => {
    expect(auditWithFacts(rule, files, factsWith({ 'owner/action': { refs: { v2: { tag: '3'.repeat(40) } } } }))).toEqual([]);
    expect(auditWithFacts(rule, files, undefined)).toEqual([]);
  });
});
