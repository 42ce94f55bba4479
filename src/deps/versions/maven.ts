import { cmpNum, cmpStr, type VersionScheme } from './types.js';

/**
 * Maven's version order (org.apache.maven.artifact.versioning.ComparableVersion, Maven 3.x):
 * versions split into numbers and qualifiers at `.`, `-` and digit/letter transitions; `-` and
 * transitions open a sub-list. Qualifiers order alpha < beta < milestone < rc (= cr) < snapshot
 * < release (= ga = final = "") < sp, unknown qualifiers after those, alphabetically; `a1`, `b1`,
 * `m1` mean alpha-1, beta-1, milestone-1. Trailing zeros and release qualifiers are dropped.
 */
type Item = { kind: 'int'; value: bigint } | { kind: 'str'; value: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function qualifierKey(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function strItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) v = ({ a: 'alpha', b: 'beta', m: 'milestone' } as Record<string, string>)[v] ?? v;
  return { kind: 'str', value: ALIASES[v] ?? v };
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === 0n;
  if (item.kind === 'str') return item.value === '';
  return item.items.length === 0;
}

function normalize(list: Item & { kind: 'list' }): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const last = list.items[i]!;
    if (isNull(last)) list.items.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

export function parseMaven(version: string): Item {
  const v = version.toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root;
  const stack = [root];
  let isDigit = false;
  let start = 0;
  const item = (digit: boolean, buf: string): Item => (digit ? { kind: 'int', value: BigInt(buf) } : strItem(buf, false));
  const open = (): void => {
    const sub: Item & { kind: 'list' } = { kind: 'list', items: [] };
    list.items.push(sub);
    list = sub;
    stack.push(sub);
  };
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '.') {
      list.items.push(i === start ? { kind: 'int', value: 0n } : item(isDigit, v.slice(start, i)));
      start = i + 1;
    } else if (c === '-') {
      list.items.push(i === start ? { kind: 'int', value: 0n } : item(isDigit, v.slice(start, i)));
      start = i + 1;
      open();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.items.push(strItem(v.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(item(true, v.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (v.length > start) list.items.push(item(isDigit, v.slice(start)));
  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

/** ComparableVersion's Item.compareTo, with `undefined` for Java's null (a missing item). */
function compareItem(a: Item, b: Item | undefined): number {
  if (a.kind === 'int') {
    if (!b) return a.value === 0n ? 0 : 1;
    if (b.kind === 'int') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    return 1;
  }
  if (a.kind === 'str') {
    if (!b) return cmpStr(qualifierKey(a.value), RELEASE_INDEX);
    if (b.kind === 'str') return cmpStr(qualifierKey(a.value), qualifierKey(b.value));
    return -1;
  }
  if (!b) return a.items.length === 0 ? 0 : compareItem(a.items[0]!, undefined);
  if (b.kind === 'int') return -1;
  if (b.kind === 'str') return 1;
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const l = a.items[i];
    const r = b.items[i];
    const d = l === undefined ? (r === undefined ? 0 : -compareItem(r, undefined)) : compareItem(l, r);
    if (d) return d;
  }
  return 0;
}

export const mavenScheme: VersionScheme = {
  valid: (v) => /^[0-9A-Za-z][0-9A-Za-z._+-]*$/.test(v),
  compare: (a, b) => compareItem(parseMaven(a), parseMaven(b)),
};

/**
 * NuGet (NuGetVersion): up to four numeric parts (missing ones are 0), then a prerelease sorts
 * before its release; prerelease labels compare one by one, numbers numerically and below text,
 * text case-insensitively; build metadata is ignored.
 */
const NUGET = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

export const nugetScheme: VersionScheme = {
  valid: (v) => NUGET.test(v.trim()),
  compare(a, b) {
    const x = NUGET.exec(a.trim())!;
    const y = NUGET.exec(b.trim())!;
    for (let i = 1; i <= 4; i++) {
      const d = cmpNum(Number(x[i] ?? 0), Number(y[i] ?? 0));
      if (d) return d;
    }
    const px = x[5];
    const py = y[5];
    if (!px || !py) return px ? -1 : py ? 1 : 0;
    const lx = px.split('.');
    const ly = py.split('.');
    for (let i = 0; i < Math.max(lx.length, ly.length); i++) {
      const l = lx[i];
      const r = ly[i];
      if (l === undefined) return -1;
      if (r === undefined) return 1;
      const ln = /^\d+$/.test(l);
      const rn = /^\d+$/.test(r);
      if (ln && rn) {
        const d = cmpNum(Number(l), Number(r));
        if (d) return d;
      } else if (ln !== rn) return ln ? -1 : 1;
      else {
        const d = cmpStr(l.toLowerCase(), r.toLowerCase());
        if (d) return d;
      }
    }
    return 0;
  },
};

/**
 * Composer (Packagist): `[v]major[.minor[.patch[.build]]][-stability[N]]`, stability dev < alpha <
 * beta < RC < stable < patch (`pl`, `p`), as Composer's VersionParser normalizes and PHP's
 * version_compare orders them.
 */
const COMPOSER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:[._-]?(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\d+)*))?(?:[.-]?(dev))?$/i;
const STABILITY: Record<string, number> = { alpha: 1, a: 1, beta: 2, b: 2, rc: 3, stable: 4, patch: 5, pl: 5, p: 5 };

export const composerScheme: VersionScheme = {
  valid: (v) => COMPOSER.test(v.trim()),
  compare(a, b) {
    const key = (v: string): number[] => {
      const m = COMPOSER.exec(v.trim())!;
      const nums = [1, 2, 3, 4].map((i) => Number(m[i] ?? 0));
      const stability = m[5] ? STABILITY[m[5].toLowerCase()]! : 4;
      const extra = (m[6] ?? '').split(/[.-]/).filter(Boolean).map(Number);
      // `1.0.0-dev` (a dev build of a release) sorts before its alpha; `-beta2-dev` before `-beta2`.
      const dev = m[7] ? -1 : 0;
      return m[7] && !m[5] ? [...nums, 0, 0, 0] : [...nums, stability, ...(extra.length ? extra : [0]), dev];
    };
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = cmpNum(x[i] ?? 0, y[i] ?? 0);
      if (d) return d;
    }
    return 0;
  },
};
