import { describe, expect, it } from 'vitest';
import { SCHEMES } from './index.js';
import { isAffected, smallestFix } from './ranges.js';
import type { Ecosystem } from '../model.js';

/** Each row: a < b in the ecosystem's order (and so b > a); `=` rows compare equal. */
const ORDER: Record<Ecosystem, Array<[string, '<' | '=', string]>> = {
  npm: [
    ['1.0.0-alpha', '<', '1.0.0-alpha.1'],
    ['1.0.0-alpha.1', '<', '1.0.0-alpha.beta'],
    ['1.0.0-alpha.beta', '<', '1.0.0-beta'],
    ['1.0.0-beta.2', '<', '1.0.0-beta.11'],
    ['1.0.0-rc.1', '<', '1.0.0'],
    ['1.0.0', '=', '1.0.0+build.5'],
    ['1.9.9', '<', '1.10.0'],
    ['0.0.9', '<', '0.1.0-0'],
  ],
  'crates.io': [
    ['0.1.43', '<', '0.2.0'],
    ['1.0.0-pre.1', '<', '1.0.0'],
    ['1.6.0', '<', '1.6.1'],
  ],
  Go: [
    ['v0.0.0-20191109021931-daa7c04131f5', '<', 'v0.0.0-20200101000000-aaaaaaaaaaaa'],
    ['v0.0.0-20211112202133-69e39bad7dc2', '<', 'v0.0.1'],
    ['v1.2.3', '<', 'v1.2.4-0.20191109021931-daa7c04131f5'],
    ['v1.2.4-0.20191109021931-daa7c04131f5', '<', 'v1.2.4'],
    ['v2.0.0+incompatible', '=', 'v2.0.0'],
    ['v1.9.0', '<', 'v1.10.0'],
    ['1.2.3', '=', 'v1.2.3'],
  ],
  PyPI: [
    ['1.0.dev0', '<', '1.0a1'],
    ['1.0a1', '<', '1.0a2.dev1'],
    ['1.0a2.dev1', '<', '1.0a2'],
    ['1.0a2', '<', '1.0b1'],
    ['1.0b1', '<', '1.0rc1'],
    ['1.0c1', '=', '1.0rc1'],
    ['1.0rc1', '<', '1.0'],
    ['1.0', '=', '1.0.0'],
    ['1.0', '<', '1.0+local.1'],
    ['1.0+local.1', '<', '1.0+local.2'],
    ['1.0+abc', '<', '1.0+1'],
    ['1.0+local', '<', '1.0.post1.dev1'],
    ['1.0.post1.dev1', '<', '1.0.post1'],
    ['1.0-1', '=', '1.0.post1'],
    ['1.0.post1', '<', '1.1.dev0'],
    ['2.0', '<', '1!0.5'],
    ['1!1.0', '<', '1!1.1'],
    ['v1.0', '=', '1.0'],
    ['1.0ALPHA1', '=', '1.0a1'],
    ['1.0-preview2', '=', '1.0rc2'],
    ['2.10', '>' as '<', '2.9'].reverse() as [string, '<', string],
  ],
  RubyGems: [
    ['1.0.0.pre1', '<', '1.0.0'],
    ['1.0.0.a', '<', '1.0.0.b'],
    ['1.0.0.rc1', '<', '1.0.0.rc2'],
    ['1.0', '=', '1.0.0'],
    ['1.0.0-rc1', '=', '1.0.0.pre.rc1'],
    ['1.9', '<', '1.10'],
    ['6.1.7.6', '<', '6.1.7.7'],
    ['1.0.0.beta', '<', '1.0.0.1'],
  ],
  Maven: [
    ['1.0-alpha-1', '<', '1.0-beta-1'],
    ['1.0-alpha1', '=', '1.0-a1'],
    ['1.0-beta-1', '<', '1.0-milestone-1'],
    ['1.0-m1', '=', '1.0-milestone-1'],
    ['1.0-milestone-1', '<', '1.0-rc-1'],
    ['1.0-rc-1', '=', '1.0-cr-1'],
    ['1.0-rc-1', '<', '1.0-SNAPSHOT'],
    ['1.0-SNAPSHOT', '<', '1.0'],
    ['1.0', '=', '1.0.0'],
    ['1.0', '=', '1.0-ga'],
    ['1.0', '=', '1.0.final'],
    ['1.0', '<', '1.0-sp-1'],
    ['1.0-sp-1', '<', '1.0-whatever'],
    ['1.0', '<', '1.0.1'],
    ['2.9.8', '<', '2.9.10.1'],
    ['2.14.1', '<', '2.15.0'],
    ['30.0-android', '<', '30.0-jre'],
    ['1.0.RELEASE', '=', '1.0'],
    ['5.3.0.RC1', '<', '5.3.0'],
  ],
  NuGet: [
    ['1.0.0-alpha', '<', '1.0.0-beta'],
    ['1.0.0-Beta', '=', '1.0.0-beta'],
    ['1.0.0-2', '<', '1.0.0-alpha'],
    ['1.0.0-beta', '<', '1.0.0'],
    ['1.0', '=', '1.0.0.0'],
    ['1.0.0.1', '>' as '<', '1.0.0'].reverse() as [string, '<', string],
    ['12.0.1', '<', '13.0.1'],
    ['1.0.0+meta', '=', '1.0.0'],
  ],
  Packagist: [
    ['v1.0.0', '=', '1.0.0'],
    ['1.0.0-dev', '<', '1.0.0-alpha1'],
    ['1.0.0-alpha1', '<', '1.0.0-beta'],
    ['1.0.0-beta2', '<', '1.0.0-RC1'],
    ['1.0.0-RC1', '<', '1.0.0'],
    ['1.0.0', '<', '1.0.0-p1'],
    ['6.20.41', '<', '6.20.42'],
    ['1.0', '=', '1.0.0.0'],
  ],
};

describe.each(Object.entries(ORDER))('%s version order', (eco, rows) => {
  const scheme = SCHEMES[eco as Ecosystem];
  it.each(rows)('%s %s %s', (a, op, b) => {
    expect(scheme.valid(a)).toBe(true);
    expect(scheme.valid(b)).toBe(true);
    const d = Math.sign(scheme.compare(a, b)) || 0;
    expect(d).toBe(op === '=' ? 0 : -1);
    expect(Math.sign(scheme.compare(b, a)) || 0).toBe(d === 0 ? 0 : -d);
  });
});

describe('invalid versions are rejected, not guessed', () => {
  it.each([
    ['npm', '1.0'],
    ['npm', 'latest'],
    ['Go', 'master'],
    ['PyPI', '1.0-foo-bar'],
    ['NuGet', '1.0.0.0.0'],
    ['Packagist', 'dev-main'],
  ] as Array<[Ecosystem, string]>)('%s %s', (eco, v) => expect(SCHEMES[eco].valid(v)).toBe(false));
});

describe('OSV ranges', () => {
  const npm = SCHEMES.npm;
  const r = (...events: object[]) => ({ ranges: [{ type: 'SEMVER', events }], versions: [] });
  it.each([
    ['4.17.20', r({ introduced: '0' }, { fixed: '4.17.21' }), true],
    ['4.17.21', r({ introduced: '0' }, { fixed: '4.17.21' }), false],
    ['4.17.21-rc.1', r({ introduced: '0' }, { fixed: '4.17.21' }), true],
    ['1.5.0', r({ introduced: '1.0.0' }, { fixed: '1.2.0' }, { introduced: '1.4.0' }, { fixed: '1.6.0' }), true],
    ['1.3.0', r({ introduced: '1.0.0' }, { fixed: '1.2.0' }, { introduced: '1.4.0' }, { fixed: '1.6.0' }), false],
    ['0.9.0', r({ introduced: '1.0.0' }, { fixed: '1.2.0' }), false],
    ['2.0.0', r({ introduced: '0' }, { last_affected: '2.0.0' }), true],
    ['2.0.1', r({ introduced: '0' }, { last_affected: '2.0.0' }), false],
    ['3.0.0', r({ introduced: '0' }), true],
    ['3.0.0', { ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }], versions: [] }, false],
    ['1.2.3', { ranges: [], versions: ['1.2.3'] }, true],
  ])('%s in %j: %s', (v, affected, expected) => expect(isAffected(npm, v, affected)).toBe(expected));

  it('PyPI ranges use PEP 440 order, including epochs', () => {
    const py = SCHEMES.PyPI;
    const a = { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }], versions: [] };
    expect(isAffected(py, '1.9.post1', a)).toBe(true);
    expect(isAffected(py, '2.0rc1', a)).toBe(true);
    expect(isAffected(py, '2.0.0', a)).toBe(false);
    expect(isAffected(py, '1!0.1', a)).toBe(false);
  });

  it('smallest upgrade that fixes every advisory', () => {
    const a1 = r({ introduced: '0' }, { fixed: '1.2.0' });
    const a2 = r({ introduced: '1.0.0' }, { fixed: '1.1.5' }, { introduced: '1.2.0' }, { fixed: '1.2.3' });
    expect(smallestFix(npm, '1.0.5', [a1, a2])).toBe('1.2.3');
    expect(smallestFix(npm, '1.0.5', [a1])).toBe('1.2.0');
    expect(smallestFix(npm, '1.0.5', [a1, r({ introduced: '0' })])).toBeUndefined();
  });
});
