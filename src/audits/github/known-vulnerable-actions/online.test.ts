import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { auditWithFacts, factsWith } from '../../../online/testing.js';
import { rule } from './rule.js';

const files = {
  '.github/workflows/ci.yml': yaml`
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - uses: adv/vuln@v3.0.1
          - uses: adv/vuln@v3.1.0
          - uses: tj-actions/changed-files@v45.0.7
  `,
};
const online = {
  id: 'GHSA-2c8p-q4wx-9rvm',
  cve: 'CVE-2099-0001',
  package: 'adv/vuln',
  vulnerable: '< 3.1.0',
  patched: '3.1.0',
  severity: 'high',
  summary: 'adv/vuln writes the job token to the step summary',
};

describe('known-vulnerable-actions with advisories fetched online', () => {
  it('adds online advisories to the shipped list', () => {
    const got = summarize(auditWithFacts(rule, files, factsWith({}, { advisories: [online] })));
    expect(got[0]).toBe('.github/workflows/ci.yml:6:15-6:30 high/high step 1 of job "build" uses adv/vuln@v3.0.1, a release affected by GHSA-2c8p-q4wx-9rvm (CVE-2099-0001): adv/vuln writes the job token to the step summary; upgrade to 3.1.0 or later and pin it by commit SHA');
    expect(got.filter((l) => l.includes(':7:'))).toEqual([]);
    expect(got.filter((l) => l.includes('tj-actions'))).toHaveLength(1);
  });

  it('keeps the shipped entry when both know an advisory, and skips malformed online entries', () => {
    const dup = { ...online, id: 'GHSA-mrrh-fwg8-r2c3', package: 'tj-actions/changed-files', vulnerable: '<= 45.0.7', summary: 'online summary' };
    const got = summarize(auditWithFacts(rule, files, factsWith({}, { advisories: [dup, { id: 'nope', package: 'adv/vuln', severity: 'high', summary: 'x', vulnerable: '< 9' }] })));
    expect(got).toEqual(summarize(auditFiles(rule, files)));
    expect(got.join('\n')).not.toContain('online summary');
  });

  it('behaves exactly as offline without facts', () => {
    expect(summarize(auditWithFacts(rule, files, undefined))).toEqual(summarize(auditFiles(rule, files)));
  });
});
