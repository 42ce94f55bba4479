import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ADVISORIES, ADVISORY_FILE, classifyRef, compareVersions, matchRange, parseAdvisoryDatabase, parsePolicyOptions, parseRange, parseVersion,
  policyFor, versionInComment, inInterval,
} from './uses-policy.js';

const v = (s: string) => parseVersion(s)!;
const sat = (version: string, range: string) => inInterval(v(version), parseRange(range));

describe('parseVersion / compareVersions', () => {
  it('parses 1-3 numeric parts with or without v, and pre-releases', () => {
    expect(v('v4')).toMatchObject({ major: 4, minor: 0, patch: 0, parts: 1 });
    expect(v('4.1')).toMatchObject({ major: 4, minor: 1, parts: 2 });
    expect(v('V35.7.7-sec')).toMatchObject({ major: 35, minor: 7, patch: 7, pre: 'sec', parts: 3 });
    for (const bad of ['main', 'release/v1', 'v1.2.3.4', 'latest', '', 'b4ffde6', 'v']) expect(parseVersion(bad)).toBeUndefined();
  });

  it('orders numerically and puts pre-releases before their release', () => {
    expect(compareVersions(v('1.10.0'), v('1.9.9'))).toBe(1);
    expect(compareVersions(v('2.0.0-beta.2'), v('2.0.0-beta.10'))).toBe(-1);
    expect(compareVersions(v('2.0.0-rc.1'), v('2.0.0'))).toBe(-1);
    expect(compareVersions(v('v1.2'), v('1.2.0'))).toBe(0);
  });
});

describe('parseRange / inInterval', () => {
  it('handles <, <=, >=, > and = comparators joined by commas', () => {
    expect(sat('45.0.7', '<= 45.0.7')).toBe(true);
    expect(sat('46.0.0', '<= 45.0.7')).toBe(false);
    expect(sat('40.9.9', '< 41')).toBe(true);
    expect(sat('41.0.0', '< 41')).toBe(false);
    expect(sat('41.0.0-beta', '< 41')).toBe(true);
    expect(sat('3.9.9', '>= 4.0.0, < 4.1.7')).toBe(false);
    expect(sat('4.0.0', '>= 4.0.0, < 4.1.7')).toBe(true);
    expect(sat('4.1.7', '>= 4.0.0, < 4.1.7')).toBe(false);
    expect(sat('1.0.0', '= 1.0.0')).toBe(true);
    expect(sat('1.0.1', '> 1.0.0')).toBe(true);
  });

  it('rejects anything else', () => {
    for (const bad of ['', '~1.2', '^1', '< main', '1.x', '<< 1']) expect(() => parseRange(bad)).toThrow(/invalid version range/);
  });
});

describe('matchRange', () => {
  it('classifies full versions, and floating major/minor tags by how much of their line is affected', () => {
    const r = parseRange('>= 4.0.0, < 4.1.7');
    expect(matchRange(v('v4.1.2'), r)).toBe('exact');
    expect(matchRange(v('v4.1.8'), r)).toBe('none');
    expect(matchRange(v('v4'), r)).toBe('floating-some');
    expect(matchRange(v('v4.0'), r)).toBe('floating-all');
    expect(matchRange(v('v4.1'), r)).toBe('floating-some');
    expect(matchRange(v('v4.2'), r)).toBe('none');
    expect(matchRange(v('v3'), r)).toBe('none');
    expect(matchRange(v('v5'), r)).toBe('none');
    expect(matchRange(v('v44'), parseRange('<= 45.0.7'))).toBe('floating-all');
    expect(matchRange(v('v45'), parseRange('<= 45.0.7'))).toBe('floating-some');
    expect(matchRange(v('v46'), parseRange('<= 45.0.7'))).toBe('none');
  });
});

describe('classifyRef', () => {
  it('tells SHAs, abbreviated SHAs, version tags and branches apart', () => {
    expect(classifyRef('b4ffde65f46336ab88eb53be808477a3936bae11')).toBe('sha');
    expect(classifyRef('b4ffde6')).toBe('short-sha');
    expect(classifyRef('1234567')).toBe('version');
    expect(classifyRef('v4.1.1')).toBe('version');
    expect(classifyRef('main')).toBe('branch');
    expect(classifyRef('release/v1')).toBe('branch');
    expect(classifyRef('deadbeef-dirty')).toBe('branch');
  });
});

describe('policies', () => {
  it('picks the most specific pattern', () => {
    const t = parsePolicyOptions({ policy: { '*': 'any', 'org/*': 'ref-pin', 'org/repo': 'hash-pin', 'org/repo/a/b': 'ref-pin' } });
    expect(policyFor(t, 'org', 'repo', 'a/b').policy).toBe('ref-pin');
    expect(policyFor(t, 'org', 'repo', 'a/b/c').policy).toBe('ref-pin');
    expect(policyFor(t, 'org', 'repo', 'a').policy).toBe('hash-pin');
    expect(policyFor(t, 'Org', 'other', '').policy).toBe('ref-pin');
    expect(policyFor(t, 'x', 'y', '').policy).toBe('any');
    expect(policyFor(parsePolicyOptions({}), 'actions', 'checkout', '')).toEqual({ policy: 'hash-pin' });
  });
});

describe('versionInComment', () => {
  it('reads the common pin-comment spellings', () => {
    expect(versionInComment(' # v4.1.2')).toMatchObject({ major: 4, minor: 1, patch: 2 });
    expect(versionInComment('  #tag=v3.0.0')).toMatchObject({ major: 3 });
    expect(versionInComment(' # pin@v2.1.0')).toMatchObject({ major: 2 });
    expect(versionInComment(' # 0.28.0')).toMatchObject({ minor: 28 });
    expect(versionInComment(' # main')).toBeUndefined();
    expect(versionInComment('')).toBeUndefined();
  });
});

describe('advisory database', () => {
  it('is found from the source tree (the same relative URL works from dist/, also 3 levels deep)', () => {
    const path = fileURLToPath(ADVISORY_FILE);
    expect(existsSync(path)).toBe(true);
    expect(path.replace(/\\/g, '/')).toMatch(/\/data\/advisories\/github-actions\.json$/);
    const fromDist = new URL('../../../data/advisories/github-actions.json', new URL('../../../dist/platforms/github/uses-policy.js', import.meta.url));
    expect(fileURLToPath(fromDist)).toBe(path);
  });

  it('ships a dated list with at least 20 advisories, all parseable', () => {
    expect(ADVISORIES.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(ADVISORIES.source).toContain('GitHub Advisory Database');
    expect(new Set(ADVISORIES.advisories.map((a) => a.id)).size).toBeGreaterThanOrEqual(20);
    const raw = JSON.parse(readFileSync(ADVISORY_FILE, 'utf8')) as { advisories: Array<{ id: string; package: string }> };
    const keys = raw.advisories.map((a) => `${a.id} ${a.package}`);
    expect(new Set(keys).size).toBe(keys.length);
    const changed = ADVISORIES.advisories.find((a) => a.id === 'GHSA-mrrh-fwg8-r2c3')!;
    expect(changed).toMatchObject({ cve: 'CVE-2025-30066', package: 'tj-actions/changed-files', patched: '46.0.1' });
    expect(changed.compromisedShas).toContain('0e58ed8671d6b60d0890c21b07f8835ace038e67');
  });

  it('rejects malformed entries with the entry named', () => {
    const base = { generated: '2026-01-01', source: 's', update: 'u' };
    const entry = { id: 'GHSA-mrrh-fwg8-r2c3', package: 'a/b', vulnerable: '< 2', severity: 'high', summary: 's' };
    expect(() => parseAdvisoryDatabase({ ...base, advisories: [entry] })).not.toThrow();
    expect(() => parseAdvisoryDatabase({ ...base, advisories: [{ ...entry, id: 'CVE-1' }] })).toThrow(/advisory 1 \(CVE-1\): "id" is not a GHSA id/);
    expect(() => parseAdvisoryDatabase({ ...base, advisories: [{ ...entry, vulnerable: '~2' }] })).toThrow(/invalid version range/);
    expect(() => parseAdvisoryDatabase({ ...base, advisories: [{ ...entry, severity: 'moderate' }] })).toThrow(/"severity" must be one of/);
    expect(() => parseAdvisoryDatabase({ ...base, advisories: [{ ...entry, vulnerable: undefined }] })).toThrow(/needs "vulnerable"/);
    expect(() => parseAdvisoryDatabase({ ...base, advisories: [{ ...entry, compromisedShas: ['abc'] }] })).toThrow(/40-hex/);
    expect(() => parseAdvisoryDatabase({ ...base })).toThrow(/"advisories" must be an array/);
  });
});
