import { describe, expect, it } from 'vitest';
import { matchGlob, matchRuleId, normalizePath, parseIgnorePath } from './glob.js';

describe('matchGlob', () => {
  it.each([
    ['.github/workflows/ci.yml', '.github/workflows/ci.yml', true],
    ['.github/workflows/*.yml', '.github/workflows/ci.yml', true],
    ['.github/workflows/*.yml', '.github/workflows/sub/ci.yml', false],
    ['**/*.yml', 'ci.yml', true],
    ['**/*.yml', 'a/b/ci.yml', true],
    ['a/**/b.yml', 'a/b.yml', true],
    ['a/**/b.yml', 'a/x/y/b.yml', true],
    ['a/**', 'a/x/y', true],
    ['a/**', 'ab/x', false],
    ['vendor', 'vendor/lib/x.js', true],
    ['vendor', 'vendor2/x.js', false],
    ['./src/*.ts', 'src/a.ts', true],
    ['src/?.ts', 'src/a.ts', true],
    ['src/?.ts', 'src/ab.ts', false],
    ['a.b', 'axb', false],
    ['a+(b)', 'a+(b)', true],
    ['*.yml', 'x/ci.yml', false],
  ])('%s vs %s -> %s', (glob, path, expected) => {
    expect(matchGlob(glob, path)).toBe(expected);
  });

  it('normalizes separators and ./', () => {
    expect(normalizePath('.\\a\\b\\')).toBe('a/b');
    expect(matchGlob('a/*.yml', 'a\\x.yml')).toBe(true);
  });
});

describe('matchRuleId', () => {
  it('matches exact ids, * and prefixes', () => {
    expect(matchRuleId('*', 'anything/at-all')).toBe(true);
    expect(matchRuleId('a', 'a')).toBe(true);
    expect(matchRuleId('a', 'ab')).toBe(false);
    expect(matchRuleId('secrets/*', 'secrets/aws-access-key')).toBe(true);
    expect(matchRuleId('secrets/*', 'template-injection')).toBe(false);
    expect(matchRuleId('a.b', 'axb')).toBe(false);
  });
});

describe('parseIgnorePath', () => {
  it('splits an optional :LINE suffix', () => {
    expect(parseIgnorePath('a/b.yml:12')).toEqual({ glob: 'a/b.yml', line: 12 });
    expect(parseIgnorePath('a/b.yml')).toEqual({ glob: 'a/b.yml' });
    expect(parseIgnorePath('a:b.yml')).toEqual({ glob: 'a:b.yml' });
  });
});
